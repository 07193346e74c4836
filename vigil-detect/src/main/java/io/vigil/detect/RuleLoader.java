package io.vigil.detect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads rule files, compiles every rule it can, and collects a problem for each one it cannot. */
final class RuleLoader {
  private static final Set<String> RESERVED_DETECTION_KEYS = Set.of("timeframe");

  /** A rule as compiled: metadata, its condition, and the log-source entries that gate it. */
  static final class Compiled {
    final Rule rule;
    final String name;
    Cond cond;
    final List<Mappings.Source> sources;
    final java.util.function.Function<String, Field> resolver;
    final List<String> filters = new ArrayList<>();
    int index;
    int productId;
    int group;
    // One of these field items must hold for the rule to fire (null: no such set); see AtomIndex.
    Cond.FieldMatch[] atoms;
    // One of these fields must be present for the rule to fire (null: no such set).
    Field[] need;

    Compiled(
        Rule rule,
        String name,
        Cond cond,
        List<Mappings.Source> sources,
        java.util.function.Function<String, Field> resolver) {
      this.rule = rule;
      this.name = name;
      this.cond = cond;
      this.sources = sources;
      this.resolver = resolver;
    }
  }

  private record Doc(Path file, Node node, Map<String, Node> top) {}

  /** Threads that read and compile rule files at most (the machine's cores, up to this). */
  static final int MAX_THREADS = 8;

  final List<RuleProblem> errors = new ArrayList<>();
  final List<RuleProblem> warnings = new ArrayList<>();
  final List<Compiled> compiled = new ArrayList<>();
  final Map<ValueTest, ValueTest> interned = new java.util.concurrent.ConcurrentHashMap<>();
  Mappings mappings;
  int total;
  private final LoadOptions options;

  /** What reading or compiling one file produced; merged in file order. */
  private static final class Part {
    final List<RuleProblem> errors = new ArrayList<>();
    final List<RuleProblem> warnings = new ArrayList<>();
    final List<Doc> rules = new ArrayList<>();
    final List<Doc> filters = new ArrayList<>();
    final List<Compiled> compiled = new ArrayList<>();
    int total;
  }

  RuleLoader(LoadOptions options) {
    this.options = options;
  }

  /**
   * Reads and parses the files, then compiles the rules, each step on several threads (results
   * merged in file order, so the outcome does not depend on the thread count); filters apply last.
   */
  void load(List<Path> paths) {
    mappings = Mappings.load(options, errors);
    List<Path> files = files(paths);
    List<Part> read = inParallel(files, (file, part) -> readFile(file, part));
    List<Doc> rules = new ArrayList<>();
    List<Doc> filters = new ArrayList<>();
    for (Part p : read) {
      merge(p);
      rules.addAll(p.rules);
      filters.addAll(p.filters);
    }
    for (Part p : inParallel(rules, (doc, part) -> compileRule(doc, part))) {
      merge(p);
      compiled.addAll(p.compiled);
    }
    for (Doc d : filters) {
      applyFilter(d);
    }
  }

  private void merge(Part p) {
    errors.addAll(p.errors);
    warnings.addAll(p.warnings);
    total += p.total;
  }

  private static <T> List<Part> inParallel(
      List<T> items, java.util.function.BiConsumer<T, Part> work) {
    Part[] parts = new Part[items.size()];
    int threads =
        Math.max(
            1,
            Math.min(
                Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()),
                items.size() / 64));
    java.util.concurrent.atomic.AtomicInteger next =
        new java.util.concurrent.atomic.AtomicInteger();
    Runnable worker =
        () -> {
          for (int i = next.getAndIncrement(); i < parts.length; i = next.getAndIncrement()) {
            Part p = new Part();
            work.accept(items.get(i), p);
            parts[i] = p;
          }
        };
    List<Thread> started = new ArrayList<>();
    for (int t = 1; t < threads; t++) {
      started.add(Thread.ofPlatform().name("vigil-rule-loader-" + t).daemon().start(worker));
    }
    worker.run();
    for (Thread t : started) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while loading rules", e);
      }
    }
    return java.util.Arrays.asList(parts);
  }

  private List<Path> files(List<Path> paths) {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> walk = Files.walk(p)) {
          walk.filter(Files::isRegularFile)
              .filter(
                  f -> {
                    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                    return n.endsWith(".yml") || n.endsWith(".yaml");
                  })
              .sorted()
              .forEach(out::add);
        } catch (IOException e) {
          errors.add(new RuleProblem(p, 0, "", "cannot list the folder: " + e.getMessage()));
        }
      } else if (Files.isRegularFile(p)) {
        out.add(p);
      } else {
        errors.add(
            new RuleProblem(
                p, 0, "", "no such file or folder; pass Sigma rule files or folders of them"));
      }
    }
    return out;
  }

  private void readFile(Path file, Part part) {
    readFileInto(file, part, options);
  }

  private static void readFileInto(Path file, Part part, LoadOptions options) {
    Limits limits = options.limits();
    String text;
    try {
      if (Files.size(file) > (long) limits.maxFileChars() * 4) {
        throw new IOException("file is too large");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      part.errors.add(new RuleProblem(file, 0, "", "cannot read: " + e.getMessage()));
      return;
    }
    if (text.length() > limits.maxFileChars()) {
      part.total++;
      part.errors.add(
          new RuleProblem(
              file,
              0,
              "",
              "file has "
                  + text.length()
                  + " characters, over the limit of "
                  + limits.maxFileChars()
                  + "; raise sigma.max-file-chars (Limits.maxFileChars) if it is trusted"));
      return;
    }
    List<Node> docs;
    try {
      docs = Yaml.documents(text, limits, file.toString());
    } catch (MarkedYamlEngineException e) {
      part.total++;
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      part.errors.add(
          new RuleProblem(
              file,
              line,
              idGuess(text),
              "not valid YAML: "
                  + e.getProblem()
                  + (e.getContext() == null ? "" : " (" + e.getContext() + ")")
                  + "; fix the YAML syntax at this line"));
      return;
    } catch (YamlEngineException e) {
      part.total++;
      String msg = e.getMessage();
      if (msg != null && msg.contains("aliases")) {
        msg += "; raise sigma.max-yaml-aliases (Limits.maxYamlAliases) if the file is trusted";
      }
      part.errors.add(new RuleProblem(file, 0, idGuess(text), "not valid YAML: " + msg));
      return;
    }
    if (docs.isEmpty()) {
      part.warnings.add(
          new RuleProblem(file, 0, "", "the file holds no YAML document; it was skipped"));
    }
    for (Node node : docs) {
      String id = "";
      try {
        Yaml.checkDepth(node, limits.maxYamlDepth(), 1);
        Map<String, Node> top = Yaml.map(node, "a Sigma rule");
        String s =
            top.get("id") instanceof org.snakeyaml.engine.v2.nodes.ScalarNode sc
                ? sc.getValue()
                : "";
        id = s;
        if (top.containsKey("correlation")) {
          part.warnings.add(
              new RuleProblem(
                  file,
                  Yaml.line(node),
                  id,
                  "correlation rules are not supported yet; this correlation was skipped (the"
                      + " rules it references still load)"));
          continue;
        }
        part.total++;
        if (top.containsKey("action")) {
          throw new RuleException(
              top.get("action"),
              "multi-document rules ('action: "
                  + Yaml.string(top.get("action"), "action")
                  + "', Sigma v1) are not supported; merge the documents into one rule per"
                  + " file");
        }
        if (top.containsKey("filter")) {
          part.filters.add(new Doc(file, node, top));
        } else if (top.containsKey("detection")) {
          part.rules.add(new Doc(file, node, top));
        } else {
          throw new RuleException(
              node,
              "not a Sigma rule: no 'detection' (nor 'filter' or 'correlation') section; add one"
                  + " or move the file out of the rules folder");
        }
      } catch (RuleException e) {
        part.errors.add(new RuleProblem(file, e.line, id, e.getMessage()));
      }
    }
  }

  private static final com.google.re2j.Pattern ID_LINE =
      com.google.re2j.Pattern.compile("(?m)^id:[ \\t]*['\"]?([0-9A-Za-z_.-]{1,80})");

  /** The rule id of a file that is not valid YAML, read from a top-level 'id:' line. */
  private static String idGuess(String text) {
    com.google.re2j.Matcher m = ID_LINE.matcher(text);
    return m.find() ? m.group(1) : "";
  }

  private static String str(Map<String, Node> top, String key) throws RuleException {
    return Yaml.string(top.get(key), key);
  }

  private static LogSource logSource(Node n, String what) throws RuleException {
    if (n == null || Yaml.isNull(n)) {
      throw new RuleException(
          n,
          what
              + " has no logsource; add e.g. 'logsource: {product: windows, category: process_creation}'");
    }
    Map<String, Node> ls = Yaml.map(n, "logsource");
    return new LogSource(
        lowerOrNull(Yaml.string(ls.get("product"), "logsource product")),
        lowerOrNull(Yaml.string(ls.get("category"), "logsource category")),
        lowerOrNull(Yaml.string(ls.get("service"), "logsource service")));
  }

  private static String lowerOrNull(String s) {
    return s == null ? null : s.trim().toLowerCase(Locale.ROOT);
  }

  private void compileRule(Doc d, Part part) {
    String id = "";
    try {
      id = nz(str(d.top, "id"));
      String title = str(d.top, "title");
      if (title == null || title.isBlank()) {
        throw new RuleException(d.node, "rule has no title; add 'title: …'");
      }
      LogSource ls = logSource(d.top.get("logsource"), "rule");
      String level = str(d.top, "level");
      String status = str(d.top, "status");
      Rule rule =
          new Rule(
              id,
              title,
              level == null ? "" : level.toLowerCase(Locale.ROOT),
              status == null ? "" : status.toLowerCase(Locale.ROOT),
              Yaml.strings(d.top.get("tags"), "tags"),
              nz(str(d.top, "author")),
              Yaml.strings(d.top.get("references"), "references"),
              nz(str(d.top, "description")),
              ls,
              d.file);
      List<Mappings.Source> sources = mappings.sourcesFor(ls);
      var unsafe = mappings.resolver(ls, sources);
      // Mappings interns fields in a plain map: one compiling thread at a time resolves names.
      java.util.function.Function<String, Field> resolver =
          name -> {
            synchronized (mappings) {
              return unsafe.apply(name);
            }
          };
      DetectionCompiler dc =
          new DetectionCompiler(resolver, options.placeholders(), options.limits(), interned);
      Cond cond = dc.compile(d.top.get("detection"), RESERVED_DETECTION_KEYS);
      part.compiled.add(new Compiled(rule, nz(str(d.top, "name")), cond, sources, resolver));
    } catch (RuleException.MissingPlaceholder e) {
      part.warnings.add(new RuleProblem(d.file, e.line, id, e.getMessage()));
    } catch (RuleException e) {
      part.errors.add(new RuleProblem(d.file, e.line, id, e.getMessage()));
    } catch (RuntimeException e) {
      part.errors.add(
          new RuleProblem(
              d.file,
              Yaml.line(d.node),
              id,
              "internal error while compiling: " + e + "; please report it"));
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /**
   * Applies a filter document, as pySigma does: to every loaded rule it names (by id or name, or
   * every rule for {@code rules: any}) whose log source lies within the filter's log source, the
   * rule's condition becomes {@code (rule condition) and (filter condition)}.
   */
  private void applyFilter(Doc d) {
    String id = "";
    try {
      id = nz(str(d.top, "id"));
      LogSource ls = logSource(d.top.get("logsource"), "filter");
      Node filterNode = d.top.get("filter");
      Map<String, Node> f = Yaml.map(filterNode, "filter");
      Node rulesNode = f.get("rules");
      if (rulesNode == null) {
        throw new RuleException(
            filterNode,
            "filter has no 'rules'; list the rule ids or names it applies to, or write 'rules:"
                + " any'");
      }
      List<String> refs = Yaml.strings(rulesNode, "filter rules");
      boolean any =
          refs.isEmpty()
              || (refs.size() == 1
                  && (refs.get(0).equalsIgnoreCase("any") || refs.get(0).equalsIgnoreCase("all")));
      Node cond = f.get("condition");
      if (cond == null || !(cond instanceof org.snakeyaml.engine.v2.nodes.ScalarNode)) {
        throw new RuleException(
            filterNode, "filter needs exactly one condition string, e.g. 'condition: not filter'");
      }
      Map<String, Boolean> found = new TreeMap<>();
      refs.forEach(r -> found.put(r, false));
      int applied = 0;
      for (Compiled c : compiled) {
        boolean named = any;
        for (String r : refs) {
          if (r.equalsIgnoreCase(c.rule.id()) || (!c.name.isEmpty() && r.equals(c.name))) {
            named = true;
            found.put(r, true);
          }
        }
        if (!named || !within(c.rule.logsource(), ls)) {
          continue;
        }
        DetectionCompiler dc =
            new DetectionCompiler(c.resolver, options.placeholders(), options.limits(), interned);
        Cond fc = dc.compile(filterNode, Set.of("rules"));
        c.cond =
            new Cond.And(
                new Cond[] {
                  c.cond, new Cond.Named("filter " + (id.isEmpty() ? str(d.top, "title") : id), fc)
                });
        c.filters.add(id);
        applied++;
      }
      if (!any) {
        List<String> missing = new ArrayList<>();
        found.forEach(
            (k, v) -> {
              if (!v) missing.add(k);
            });
        if (!missing.isEmpty()) {
          warnings.add(
              new RuleProblem(
                  d.file,
                  Yaml.line(rulesNode),
                  id,
                  "filter names rules that are not loaded: "
                      + String.join(", ", missing)
                      + "; load them too or fix the references"));
        }
      }
      if (applied == 0 && (any || found.containsValue(true))) {
        warnings.add(
            new RuleProblem(
                d.file,
                Yaml.line(d.node),
                id,
                "filter applies to no rule: the rules it names have a log source outside the"
                    + " filter's logsource ("
                    + ls
                    + ")"));
      }
    } catch (RuleException e) {
      errors.add(new RuleProblem(d.file, e.line, id, e.getMessage()));
    } catch (RuntimeException e) {
      errors.add(
          new RuleProblem(
              d.file, Yaml.line(d.node), id, "internal error: " + e + "; please report it"));
    }
  }

  /** A rule's log source lies within a filter's when every field the filter sets is equal. */
  static boolean within(LogSource rule, LogSource filter) {
    return eq(filter.product(), rule.product())
        && eq(filter.category(), rule.category())
        && eq(filter.service(), rule.service());
  }

  private static boolean eq(String want, String have) {
    return want == null || want.equalsIgnoreCase(have);
  }

  /** One warning summarizing rules whose log source has no mapping entry. */
  void summarizeUnmapped() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    int n = 0;
    for (Compiled c : compiled) {
      if (c.sources.isEmpty()) {
        n++;
        counts.merge(c.rule.logsource().toString(), 1, Integer::sum);
      }
    }
    if (n == 0) {
      return;
    }
    List<Map.Entry<String, Integer>> top = new ArrayList<>(counts.entrySet());
    top.sort((a, b) -> b.getValue() - a.getValue());
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(8, top.size()); i++) {
      sb.append(i == 0 ? "" : ", ")
          .append(top.get(i).getKey())
          .append(" (")
          .append(top.get(i).getValue())
          .append(')');
    }
    if (top.size() > 8) {
      sb.append(", … ").append(top.size() - 8).append(" more");
    }
    warnings.add(
        new RuleProblem(
            null,
            0,
            "",
            n
                + " rules in "
                + counts.size()
                + " log sources have no mapping entry and apply to"
                + " every event without a log-source check (except events that a mapping claims"
                + " for another product): "
                + sb
                + ". Add logsources entries in a mapping file (LoadOptions.mappingFiles) to route"
                + " them"));
  }
}
