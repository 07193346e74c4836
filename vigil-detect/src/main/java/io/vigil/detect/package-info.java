/**
 * The Sigma detection engine: load rules once with {@link io.vigil.detect.RuleSet#load}, parse
 * events with {@code new JsonEventParser(ruleSet.schema())}, and call {@link
 * io.vigil.detect.RuleSet#match} from any thread.
 *
 * <p>Rules compile into condition trees ({@code Cond}) over value tests ({@code ValueTest}); field
 * names resolve to event paths through mapping files (built-in: Windows event logs), which also say
 * which events belong to a log source. See docs/SIGMA.md.
 */
package io.vigil.detect;
