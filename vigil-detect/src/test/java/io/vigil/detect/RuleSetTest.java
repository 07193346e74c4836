package io.vigil.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.event.Event;
import io.vigil.event.JsonEventParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleSetTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  private static String rule(String id, String detection) {
    return "title: t "
        + id
        + "\nid: "
        + id
        + "\nlevel: High\nstatus: test\nauthor: someone\n"
        + "tags:\n  - attack.execution\n  - attack.t1059\nreferences:\n  - https://example.com\n"
        + "logsource:\n  product: windows\n  category: process_creation\ndetection:\n"
        + detection;
  }

  private static Event event(RuleSet rules, String json) {
    return new JsonEventParser(rules.schema()).parse(json, "test", 1);
  }

  @Test
  void load_brokenRules_reportsFileLineIdAndReasonAndLoadsTheRest() throws IOException {
    Path good =
        write(
            "a/good.yml",
            rule("good-1", "  sel:\n    Image|endswith: '\\cmd.exe'\n  condition: sel\n"));
    Path modifier =
        write(
            "a/modifier.yml",
            rule("bad-mod", "  sel:\n    Image|endswith|foo: x\n  condition: sel\n"));
    Path regex =
        write(
            "a/regex.yml",
            rule("bad-re", "  sel:\n    CommandLine|re: '(?<=a)b'\n  condition: sel\n"));
    Path cond =
        write("b/cond.yml", rule("bad-cond", "  sel:\n    Image: x\n  condition: sel and (sel\n"));
    Path yaml = write("b/yaml.yml", "title: broken\nid: bad-yaml\ndetection:\n  sel: [a, b\n");
    Path nameRef =
        write(
            "b/name.yml",
            rule(
                "bad-name", "  selection:\n    Image: x\n  condition: selection and not filter\n"));

    LoadResult r = RuleSet.load(List.of(dir), LoadOptions.defaults());

    assertThat(r.total()).isEqualTo(6);
    assertThat(r.ruleSet().rules()).extracting(Rule::id).containsExactly("good-1");
    assertThat(r.errors()).hasSize(5);
    assertThat(r.errors().get(0).toString())
        .isEqualTo(
            modifier
                + ":16 [bad-mod]: unknown modifier 'foo' in 'Image|endswith|foo'; expected one of all,"
                + " base64, base64offset, cased, cidr, contains, day, dotall, endswith, exists,"
                + " expand, fieldref, gt, gte, hour, i, ignorecase, lt, lte, m, minute, month,"
                + " multiline, neq, re, s, startswith, utf16, utf16be, utf16le, week, wide,"
                + " windash, year: fix the spelling or remove it");
    assertThat(r.errors().get(1).file()).isEqualTo(regex);
    assertThat(r.errors().get(1).line()).isEqualTo(16);
    assertThat(r.errors().get(1).ruleId()).isEqualTo("bad-re");
    assertThat(r.errors().get(1).message())
        .startsWith("'CommandLine|re': the regular expression '(?<=a)b' does not compile in RE2")
        .endsWith("rewrite it without them");
    assertThat(r.errors().get(2).toString())
        .isEqualTo(cond + ":17 [bad-cond]: condition 'sel and (sel': missing ')' at the end");
    assertThat(r.errors().get(3).toString())
        .isEqualTo(
            nameRef
                + ":17 [bad-name]: condition references 'filter', but the detection defines only"
                + " selection; define 'filter' under detection or fix the condition");
    assertThat(r.errors().get(4).file()).isEqualTo(yaml);
    assertThat(r.errors().get(4).ruleId()).isEqualTo("bad-yaml");
    assertThat(r.errors().get(4).line()).isEqualTo(5);
    assertThat(r.errors().get(4).message())
        .startsWith("not valid YAML: ")
        .endsWith("fix the YAML syntax at this line");
    assertThat(good).exists();
  }

  @Test
  void load_correlationRule_isAnExplicitWarning() throws IOException {
    write(
        "c.yml",
        rule("base", "  sel:\n    Image: x\n  condition: sel\n")
            + "---\ntitle: many\nid: corr-1\ncorrelation:\n  type: event_count\n  rules: [base]\n"
            + "  group-by: [User]\n  timespan: 5m\n  condition:\n    gte: 10\n");
    LoadResult r = RuleSet.load(List.of(dir), LoadOptions.defaults());
    assertThat(r.errors()).isEmpty();
    assertThat(r.ruleSet().rules()).extracting(Rule::id).containsExactly("base");
    assertThat(r.warnings())
        .anySatisfy(
            w -> {
              assertThat(w.ruleId()).isEqualTo("corr-1");
              assertThat(w.line()).isEqualTo(19);
              assertThat(w.message()).startsWith("correlation rules are not supported yet");
            });
  }

  @Test
  void load_actionGlobalDocuments_isAnExplicitError() throws IOException {
    write(
        "g.yml",
        "action: global\ntitle: x\n---\n" + rule("r", "  sel:\n    Image: x\n  condition: sel\n"));
    LoadResult r = RuleSet.load(List.of(dir), LoadOptions.defaults());
    assertThat(r.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.message())
                  .startsWith(
                      "multi-document rules ('action: global', Sigma v1) are not supported");
            });
  }

  @Test
  void load_overLimits_errorsNameTheSetting() throws IOException {
    write("deep.yml", rule("deep", "  sel:\n    Image: x\n  condition: sel\n"));
    write(
        "re.yml",
        rule("long-re", "  sel:\n    Image|re: '" + "a".repeat(50) + "'\n  condition: sel\n"));
    LoadResult r =
        RuleSet.load(
            List.of(dir), LoadOptions.defaults().withLimits(new Limits(1 << 20, 2, 10, 20, 100)));
    assertThat(r.errors())
        .extracting(RuleProblem::message)
        .anySatisfy(m -> assertThat(m).contains("sigma.max-yaml-depth"))
        .anySatisfy(m -> assertThat(m).contains("sigma.max-yaml-depth"));
    LoadResult r2 =
        RuleSet.load(
            List.of(dir.resolve("re.yml")),
            LoadOptions.defaults().withLimits(new Limits(1 << 20, 32, 10, 20, 100)));
    assertThat(r2.errors())
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("sigma.max-regex-length"));
    LoadResult r3 =
        RuleSet.load(
            List.of(dir.resolve("re.yml")),
            LoadOptions.defaults().withLimits(new Limits(100, 32, 10, 200, 100)));
    assertThat(r3.errors())
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("sigma.max-file-chars"));
  }

  @Test
  void load_yamlAliasBomb_isRejected() throws IOException {
    StringBuilder sb = new StringBuilder("a: &a [x, x]\n");
    for (int i = 0; i < 12; i++) {
      sb.append("b").append(i).append(": &b").append(i).append(" [*a, *a]\n");
    }
    write("bomb.yml", sb.toString());
    LoadResult r = RuleSet.load(List.of(dir), LoadOptions.defaults());
    assertThat(r.errors())
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("sigma.max-yaml-aliases"));
  }

  @Test
  void match_detection_carriesRuleMetadata() throws IOException {
    write("m.yml", rule("meta-1", "  sel:\n    Image|endswith: '\\cmd.exe'\n  condition: sel\n"));
    RuleSet rules = RuleSet.load(List.of(dir), LoadOptions.defaults()).ruleSet();
    List<Detection> d =
        rules.match(
            event(
                rules,
                "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Image\":\"C:\\\\cmd.exe\"}"));
    assertThat(d)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.rule().id()).isEqualTo("meta-1");
              assertThat(x.rule().level()).isEqualTo("high");
              assertThat(x.rule().status()).isEqualTo("test");
              assertThat(x.rule().tags()).containsExactly("attack.execution", "attack.t1059");
              assertThat(x.rule().author()).isEqualTo("someone");
              assertThat(x.rule().references()).containsExactly("https://example.com");
              assertThat(x.rule().logsource())
                  .isEqualTo(new LogSource("windows", "process_creation", null));
            });
    assertThat(rules.match(event(rules, "{\"EventID\":1}"))).isEmpty();
  }

  @Test
  void routeLabel_namesTheLogSourceMostRulesOfTheBucketHaveAndTheirCount() throws IOException {
    write("a.yml", rule("pc-1", "  sel:\n    Image|endswith: '\\cmd.exe'\n  condition: sel\n"));
    write("b.yml", rule("pc-2", "  sel:\n    Image|endswith: '\\sh.exe'\n  condition: sel\n"));
    write(
        "c.yml",
        rule("reg-1", "  sel:\n    TargetObject|contains: 'run'\n  condition: sel\n")
            .replace("process_creation", "registry_set"));
    RuleSet rules = RuleSet.load(List.of(dir), LoadOptions.defaults()).ruleSet();
    String sysmon = "\"Channel\":\"Microsoft-Windows-Sysmon/Operational\"";
    String processCreation = rules.routeLabel(event(rules, "{\"EventID\":1," + sysmon + "}"));
    assertThat(processCreation).contains("category=process_creation").endsWith("(2 rules)");
    assertThat(rules.routeLabel(event(rules, "{\"EventID\":13," + sysmon + "}")))
        .contains("category=registry_set")
        .endsWith("(1 rule)");
    assertThat(rules.routeLabel(event(rules, "{\"EventID\":4624}"))).isEqualTo("(no rules)");
  }

  @Test
  void match_filtersOnIndexedFields_answeredByTheAutomata_sameAsEvaluatingThem()
      throws IOException {
    // filters (never atoms) of every kind on fields the bucket's automata read anyway: their
    // tests are answered by bits the scan sets, except a cased test and short substrings
    write(
        "p.yml",
        rule(
            "ps",
            """
              sel:
                CommandLine|contains: 'powershell'
              filter_sub:
                CommandLine|contains:
                  - '\\windows\\temp\\'
                  - 'bypass'
                  - '-ep'
              filter_end:
                CommandLine|endswith: '.ps1'
              filter_start:
                CommandLine|startswith: 'C:\\Tools\\'
              filter_cased:
                CommandLine|contains|cased: 'IEX'
              condition: sel and not 1 of filter_*
            """));
    write(
        "c.yml",
        rule(
            "cmd",
            """
              sel:
                Image|endswith: '\\cmd.exe'
              filter:
                Image|contains: '\\temp\\'
              filter_exact:
                Image: 'C:\\Windows\\System32\\cmd.exe'
              condition: sel and not 1 of filter*
            """));
    write(
        "a.yml",
        rule(
            "all",
            """
              sel:
                CommandLine|contains|all:
                  - 'invoke'
                  - 'downloadstring'
              condition: sel
            """));
    RuleSet rules = RuleSet.load(List.of(dir), LoadOptions.defaults()).ruleSet();
    String head = "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",";
    Map<String, List<String>> expected = new java.util.LinkedHashMap<>();
    expected.put("\"CommandLine\":\"PowerShell -w hidden\"}", List.of("ps"));
    expected.put("\"CommandLine\":\"powershell C:\\\\WINDOWS\\\\Temp\\\\x\"}", List.of());
    expected.put("\"CommandLine\":\"powershell -EP Bypass\"}", List.of());
    expected.put("\"CommandLine\":\"powershell -ep x\"}", List.of());
    expected.put("\"CommandLine\":\"powershell run.PS1\"}", List.of());
    expected.put("\"CommandLine\":\"c:\\\\tools\\\\powershell\"}", List.of());
    expected.put("\"CommandLine\":\"powershell IEX(x)\"}", List.of());
    expected.put("\"CommandLine\":\"powershell iex(x)\"}", List.of("ps"));
    expected.put("\"CommandLine\":[\"powershell\",\"bypass\"]}", List.of());
    expected.put("\"CommandLine\":\"Invoke-X; DownloadString(u)\"}", List.of("all"));
    expected.put("\"CommandLine\":\"Invoke-X\"}", List.of());
    expected.put("\"Image\":\"C:\\\\x\\\\cmd.exe\"}", List.of("cmd"));
    expected.put("\"Image\":\"C:\\\\Temp\\\\cmd.exe\"}", List.of());
    expected.put("\"Image\":\"c:\\\\windows\\\\system32\\\\CMD.EXE\"}", List.of());
    expected.put("\"Image\":\"c:\\\\windows\\\\system32\\\\CMD.EXE \"}", List.of());
    for (Map.Entry<String, List<String>> c : expected.entrySet()) {
      Event e = event(rules, head + c.getKey());
      // twice: the second time, the field's values come from the bucket's memo
      for (int round = 0; round < 2; round++) {
        List<String> fired = rules.match(e).stream().map(d -> d.rule().id()).toList();
        assertThat(fired).as(c.getKey()).isEqualTo(c.getValue());
        assertThat(rules.matchNaive(e).stream().map(d -> d.rule().id()).toList())
            .as(c.getKey())
            .isEqualTo(fired);
      }
    }
    assertThat(rules.indexStats())
        .containsPattern("[1-9][0-9]* field items answered by the automata");
  }

  @Test
  void match_eventFromAnotherSchema_stillMatches() throws IOException {
    write("m.yml", rule("other", "  sel:\n    Image|endswith: '\\cmd.exe'\n  condition: sel\n"));
    RuleSet rules = RuleSet.load(List.of(dir), LoadOptions.defaults()).ruleSet();
    Event e =
        new JsonEventParser(io.vigil.event.FieldSchema.of(List.of("Image", "Other")))
            .parse(
                "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Image\":\"C:\\\\cmd.exe\"}",
                "t",
                1);
    assertThat(rules.match(e)).hasSize(1);
  }

  @Test
  void filter_byIdWithMatchingLogsource_suppressesMatches() throws IOException {
    write("r1.yml", rule("r1", "  sel:\n    Image|endswith: '\\rar.exe'\n  condition: sel\n"));
    write("r2.yml", rule("r2", "  sel:\n    Image|endswith: '\\rar.exe'\n  condition: sel\n"));
    write(
        "filters/f.yml",
        "title: Filter admins\nid: f1\nlogsource:\n  product: windows\n  category: process_creation\n"
            + "filter:\n  rules:\n    - r1\n    - missing-rule\n  selection:\n    User|startswith: 'adm_'\n  condition: not selection\n");
    LoadResult r = RuleSet.load(List.of(dir), LoadOptions.defaults());
    assertThat(r.errors()).isEmpty();
    assertThat(r.warnings())
        .extracting(RuleProblem::message)
        .anySatisfy(
            m -> assertThat(m).startsWith("filter names rules that are not loaded: missing-rule"));
    RuleSet rules = r.ruleSet();
    String base =
        "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Image\":\"C:\\\\rar.exe\",\"User\":\"%s\"}";
    assertThat(rules.match(event(rules, base.formatted("adm_bob"))))
        .extracting(d -> d.rule().id())
        .containsExactly("r2");
    assertThat(rules.match(event(rules, base.formatted("bob"))))
        .extracting(d -> d.rule().id())
        .containsExactly("r1", "r2");
  }

  @Test
  void filter_logsourceOutsideRule_doesNotApply() throws IOException {
    write("r1.yml", rule("r1", "  sel:\n    Image|endswith: '\\rar.exe'\n  condition: sel\n"));
    write(
        "f.yml",
        "title: f\nid: f2\nlogsource:\n  product: windows\n  category: file_event\n"
            + "filter:\n  rules: any\n  selection:\n    User: x\n  condition: not selection\n");
    LoadResult r = RuleSet.load(List.of(dir), LoadOptions.defaults());
    RuleSet rules = r.ruleSet();
    assertThat(
            rules.match(
                event(
                    rules,
                    "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Image\":\"C:\\\\rar.exe\",\"User\":\"x\"}")))
        .hasSize(1);
    assertThat(r.warnings())
        .extracting(RuleProblem::message)
        .anySatisfy(m -> assertThat(m).startsWith("filter applies to no rule"));
  }

  @Test
  void filter_byRuleName_applies() throws IOException {
    write(
        "r1.yml",
        "name: rar_usage\n"
            + rule("r1", "  sel:\n    Image|endswith: '\\rar.exe'\n  condition: sel\n"));
    write(
        "f.yml",
        "title: f\nlogsource:\n  product: windows\nfilter:\n  rules: rar_usage\n  sel:\n    User: x\n  condition: not sel\n");
    RuleSet rules = RuleSet.load(List.of(dir), LoadOptions.defaults()).ruleSet();
    assertThat(
            rules.match(
                event(
                    rules,
                    "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Image\":\"C:\\\\rar.exe\",\"User\":\"x\"}")))
        .isEmpty();
  }

  @Test
  void load_userMapping_routesNewLogsourceAndRenamesFields() throws IOException {
    Path mapping =
        write(
            "map/linux.yml",
            "product: linux\npaths: ['{field}', 'process.{field}']\nfields:\n  Image: [process.executable]\n"
                + "logsources:\n  - category: process_creation\n    detection:\n      sel:\n        event.type: start\n      condition: sel\n");
    write(
        "rules/l.yml",
        "title: l\nid: lin-1\nlogsource:\n  product: linux\n  category: process_creation\ndetection:\n  sel:\n    Image|endswith: /bash\n    CommandLine|contains: curl\n  condition: sel\n");
    LoadResult r =
        RuleSet.load(
            List.of(dir.resolve("rules")),
            LoadOptions.defaults().withMappingFiles(List.of(mapping)));
    assertThat(r.errors()).isEmpty();
    assertThat(r.warnings()).isEmpty();
    RuleSet rules = r.ruleSet();
    assertThat(
            rules.match(
                event(
                    rules,
                    "{\"event\":{\"type\":\"start\"},\"process\":{\"executable\":\"/bin/bash\",\"CommandLine\":\"curl x\"}}")))
        .hasSize(1);
    assertThat(
            rules.match(
                event(
                    rules,
                    "{\"event\":{\"type\":\"end\"},\"process\":{\"executable\":\"/bin/bash\",\"CommandLine\":\"curl x\"}}")))
        .isEmpty();
  }

  @Test
  void load_unmappedLogsources_oneSummaryWarning() throws IOException {
    for (int i = 0; i < 5; i++) {
      write(
          "u" + i + ".yml",
          "title: u\nid: u"
              + i
              + "\nlogsource:\n  product: cisco\n  service: aaa\ndetection:\n  sel:\n    query: x\n  condition: sel\n");
    }
    LoadResult r = RuleSet.load(List.of(dir), LoadOptions.defaults());
    assertThat(r.warnings())
        .singleElement()
        .satisfies(
            w ->
                assertThat(w.message())
                    .startsWith(
                        "5 rules in 1 log sources have no mapping entry and apply to every event without a log-source check (except events that a mapping claims for another product): product=cisco service=aaa (5)"));
  }

  @Test
  void match_unmappedRuleOfOtherProduct_skipsEventsClaimedByWindowsMapping() throws IOException {
    write(
        "z.yml",
        "title: rdp\nid: zeek-1\nlogsource:\n  product: cisco\n  service: aaa\ndetection:\n"
            + "  sel:\n    id.resp_p: 3389\n  condition: not sel\n");
    write(
        "w.yml",
        "title: w\nid: win-unmapped\nlogsource:\n  product: windows\n  category: file_access\n"
            + "detection:\n  sel:\n    FileName|endswith: .kdbx\n  condition: sel\n");
    RuleSet rules = RuleSet.load(List.of(dir), LoadOptions.defaults()).ruleSet();
    Event windows =
        event(rules, "{\"Channel\":\"Security\",\"EventID\":4663,\"FileName\":\"C:\\\\x.kdbx\"}");
    assertThat(rules.match(windows)).extracting(d -> d.rule().id()).containsExactly("win-unmapped");
    Rule zeek =
        rules.rules().stream().filter(r -> r.id().equals("zeek-1")).findFirst().orElseThrow();
    assertThat(rules.explain(zeek, windows).render())
        .contains(
            "NOT matched [no mapping entry for this log source, and the event belongs to product windows");
    Event other = event(rules, "{\"id.orig_h\":\"10.0.0.1\"}");
    assertThat(rules.match(other)).extracting(d -> d.rule().id()).containsExactly("zeek-1");
  }

  @Test
  void explain_firingAndNotFiring_showsSeenAndExpected() throws IOException {
    write(
        "e.yml",
        rule(
            "ex-1",
            "  selection:\n    Image|endswith: '\\cmd.exe'\n    CommandLine|contains: 'whoami'\n  filter:\n    User: SYSTEM\n  condition: selection and not filter\n"));
    RuleSet rules = RuleSet.load(List.of(dir), LoadOptions.defaults()).ruleSet();
    Rule rule = rules.rules().get(0);
    Explanation fires =
        rules.explain(
            rule,
            event(
                rules,
                "{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Image\":\"C:\\\\cmd.exe\",\"CommandLine\":\"whoami /all\",\"User\":\"bob\"}"));
    assertThat(fires.fires()).isTrue();
    assertThat(fires.selections())
        .extracting(Explanation.Selection::name)
        .containsExactly("selection", "filter");
    assertThat(fires.render())
        .isEqualTo(
            "t ex-1 (ex-1): FIRES\n"
                + "  log source product=windows category=process_creation: matched [product=windows category=process_creation]\n"
                + "  condition: true\n"
                + "  [x] selection\n"
                + "      ok  Image|endswith: seen 'C:\\cmd.exe' at Image; expected '*\\cmd.exe'\n"
                + "      ok  CommandLine|contains: seen 'whoami /all' at CommandLine; expected '*whoami*'\n"
                + "  [ ] filter\n"
                + "      no  User: seen 'bob' at User; expected 'SYSTEM'\n");
    Explanation not =
        rules.explain(
            rule,
            event(
                rules,
                "{\"Event\":{\"System\":{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\"},\"EventData\":{\"Image\":\"C:\\\\notepad.exe\"}}}"));
    assertThat(not.fires()).isFalse();
    assertThat(not.logSourceMatched()).isTrue();
    Explanation.Item image = not.selections().get(0).items().get(0);
    assertThat(image.seen()).isEqualTo("'C:\\notepad.exe'");
    assertThat(image.path()).isEqualTo("Event.EventData.Image");
    assertThat(image.matched()).isFalse();
    assertThat(not.selections().get(0).items().get(1).seen())
        .startsWith("(missing; looked at CommandLine, Event.EventData.CommandLine");
    Explanation wrongSource =
        rules.explain(
            rule,
            event(rules, "{\"EventID\":11,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\"}"));
    assertThat(wrongSource.logSourceMatched()).isFalse();
    assertThat(wrongSource.render()).contains("NOT matched");
  }

  @Test
  void placeholders_readFromFile() throws IOException {
    Path p = write("p.yml", "Workstations: [a, b]\nSingle: c\n");
    assertThat(LoadOptions.readPlaceholders(p))
        .isEqualTo(Map.of("Workstations", List.of("a", "b"), "Single", List.of("c")));
  }
}
