package io.vigil.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.detect.Explanation;
import io.vigil.detect.LoadOptions;
import io.vigil.detect.LoadResult;
import io.vigil.detect.Rule;
import io.vigil.detect.RuleProblem;
import io.vigil.detect.RuleSet;
import io.vigil.event.Event;
import io.vigil.event.JsonEventParser;
import io.vigil.ingest.LogReader;
import io.vigil.ingest.ReadProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil rules}: check that rules compile, and try one rule on sample events. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = "Check Sigma rules, or try one on sample events.",
    subcommands = {RulesCommand.Check.class, RulesCommand.Test.class})
final class RulesCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    err.println(
        "vigil rules: say what to do: 'vigil rules check PATH...' or 'vigil rules test RULE"
            + " EVENTS...'.");
    spec.commandLine().usage(err);
    return 2;
  }

  /** {@code vigil rules check}: compile every rule, list each problem, exit 1 when any failed. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Parse and compile every rule; print each problem as file:line [id] reason, then a"
            + " summary.",
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:every rule compiled", "1:some rules failed", "2:bad usage"})
  static final class Check implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin RuleLoadOptions load = new RuleLoadOptions();

    @Option(
        names = "--json",
        description =
            "Print one JSON object: {\"total\":N,\"ok\":N,\"failed\":[{\"file\",\"line\",\"id\","
                + "\"error\"}]}.")
    boolean json;

    @Option(names = "--warnings", description = "Also list warnings (rules that loaded).")
    boolean warnings;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Rule files or directories.")
    List<Path> paths;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      for (Path p : paths) {
        String why = RuleLoadOptions.unreadable(p);
        if (why != null) {
          err.println(
              "vigil rules check: cannot read "
                  + p
                  + ": "
                  + why
                  + ". Give Sigma rule files or directories of them.");
          return 2;
        }
      }
      LoadOptions options;
      try {
        options = load.resolve();
      } catch (IllegalArgumentException e) {
        err.println("vigil rules check: " + e.getMessage());
        return 2;
      }
      LoadResult result = RuleSet.load(paths, options);
      int total = result.total();
      List<RuleProblem> errors = result.errors();
      // A rule compiles when it produced no error; some compiled rules stay inactive until an
      // organisation value (an |expand placeholder) is configured, and are listed as warnings.
      Set<String> failedRules = new LinkedHashSet<>();
      for (RuleProblem p : errors) {
        failedRules.add(p.file() + "\0" + p.ruleId());
      }
      int ok = Math.max(0, total - failedRules.size());
      int inactive = Math.max(0, ok - result.ruleSet().rules().size());
      if (json) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(text)) {
          g.writeStartObject();
          g.writeNumberField("total", total);
          g.writeNumberField("ok", ok);
          g.writeNumberField("inactive", inactive);
          g.writeArrayFieldStart("failed");
          for (RuleProblem p : errors) {
            g.writeStartObject();
            g.writeStringField("file", p.file() == null ? "" : p.file().toString());
            g.writeNumberField("line", p.line());
            g.writeStringField("id", p.ruleId());
            g.writeStringField("error", p.message());
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        }
        out.println(text);
        out.flush();
      } else {
        for (RuleProblem p : errors) {
          out.println(p);
        }
        if (warnings) {
          for (RuleProblem p : result.warnings()) {
            out.println("warning: " + p);
          }
        }
        out.printf(
            Locale.ROOT,
            "%s%,d rules: %,d compiled, %,d failed (%,d problem%s), %,d inactive until a"
                + " placeholder is set, %,d warning%s%s%n",
            errors.isEmpty() ? "" : "\n",
            total,
            ok,
            total - ok,
            errors.size(),
            errors.size() == 1 ? "" : "s",
            inactive,
            result.warnings().size(),
            result.warnings().size() == 1 ? "" : "s",
            warnings || result.warnings().isEmpty() ? "" : " (--warnings lists them)");
        out.flush();
      }
      return errors.isEmpty() ? 0 : 1;
    }
  }

  /** {@code vigil rules test}: whether a rule fires on each sample event, and why not. */
  @Command(
      name = "test",
      mixinStandardHelpOptions = true,
      description = {
        "Show for each event whether the rule fires and, when it does not, why: which selection"
            + " failed on which field, with the value seen.",
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {
        "0:the rule fired on at least one event",
        "1:the rule fired on no event, or did not load",
        "2:bad usage or unreadable input"
      })
  static final class Test implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin RuleLoadOptions load = new RuleLoadOptions();

    @Option(names = "--all", description = "Explain events the rule fires on as well.")
    boolean all;

    @Parameters(index = "0", paramLabel = "RULE", description = "A Sigma rule file.")
    Path rule;

    @Parameters(
        index = "1..*",
        arity = "1..*",
        paramLabel = "EVENTS",
        description = "Event files (any format vigil hunt reads) or directories.")
    List<Path> events;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      String why = RuleLoadOptions.unreadable(rule);
      if (why != null) {
        err.println("vigil rules test: cannot read rule " + rule + ": " + why + ".");
        return 2;
      }
      for (Path p : events) {
        why = RuleLoadOptions.unreadable(p);
        if (why != null) {
          err.println(
              "vigil rules test: cannot read events "
                  + p
                  + ": "
                  + why
                  + ". Give files of JSON events.");
          return 2;
        }
      }
      LoadOptions options;
      try {
        options = load.resolve();
      } catch (IllegalArgumentException e) {
        err.println("vigil rules test: " + e.getMessage());
        return 2;
      }
      LoadResult result = RuleSet.load(List.of(rule), options);
      for (RuleProblem p : result.errors()) {
        err.println("vigil rules test: " + p);
      }
      RuleSet set = result.ruleSet();
      if (set.rules().isEmpty()) {
        err.println("vigil rules test: no rule loaded from " + rule + "; fix the problems above.");
        return 1;
      }
      LogReader.Result read = new LogReader(new JsonEventParser(set.schema())).readAll(events);
      for (ReadProblem p : read.problems()) {
        err.println("vigil rules test: " + p);
      }
      int fired = 0;
      for (Event event : read.events()) {
        for (Rule r : set.rules()) {
          Explanation explanation = set.explain(r, event);
          String where = event.origin() + "#" + event.index();
          if (explanation.fires()) {
            fired++;
          }
          if (explanation.fires() && !all) {
            out.println(where + ": FIRES  " + r.title());
          } else {
            out.println(where + ": " + explanation.render().stripTrailing());
          }
        }
      }
      out.printf(
          Locale.ROOT,
          "%n%,d event%s, %,d fired%s%n",
          read.events().size(),
          read.events().size() == 1 ? "" : "s",
          fired,
          read.problems().isEmpty() ? "" : ", " + read.problems().size() + " unreadable");
      out.flush();
      return fired > 0 ? 0 : 1;
    }
  }
}
