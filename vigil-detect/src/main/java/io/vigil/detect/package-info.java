/**
 * The Sigma detection engine: a pure library, rules and events in, detections out.
 *
 * <pre>{@code
 * LoadResult loaded = RuleSet.load(List.of(Path.of("rules")), LoadOptions.defaults());
 * loaded.errors().forEach(System.err::println);     // file:line [id]: what, expected, what to do
 * RuleSet rules = loaded.ruleSet();                  // immutable; share it between threads
 * JsonEventParser parser = new JsonEventParser(rules.schema());
 * for (Detection d : rules.match(parser.parse(line, "file.jsonl", n))) { ... }
 * System.out.println(rules.explain(rule, event).render());
 * }</pre>
 *
 * <p>Inside, rules compile into condition trees ({@code Cond}) over value tests ({@code
 * ValueTest}); Sigma field names resolve to event paths, and log sources to event conditions,
 * through mapping files ({@code Mappings}). Matching routes each event to the bucket of rules of
 * its log source ({@code RouteCache}, {@code Bucket}), marks candidate rules through one automaton
 * per field ({@code FieldAutomaton}) over the atoms chosen by {@code AtomIndex} and a scan of the
 * raw text for keywords ({@code KeywordScanner}), and evaluates only those; {@code
 * RuleSet.matchNaive} is the reference without any of this. docs/SIGMA.md describes the semantics
 * and the mapping format.
 */
package io.vigil.detect;
