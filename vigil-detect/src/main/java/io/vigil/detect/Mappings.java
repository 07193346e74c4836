package io.vigil.detect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Log-source and field-name mappings loaded from YAML (built-in resources and user files): which
 * events belong to a Sigma log source, and at which event paths a Sigma field name is found. User
 * files come first and win.
 */
final class Mappings {
  static final List<String> BUILTIN =
      List.of("windows.yml", "zeek.yml", "aws.yml", "linux.yml", "webserver.yml", "suricata.yml");

  /** Field locations for one product. */
  static final class ProductFields {
    final Map<String, List<String>> fields = new LinkedHashMap<>();
    final List<String> templates = new ArrayList<>();
    // Which events belong to the product (a Sigma detection), or null.
    Node claim;
    Path claimFile;
  }

  /** One {@code logsources} entry. */
  record Source(
      String product,
      String category,
      String service,
      Node detection,
      Map<String, List<String>> renames,
      Path file,
      int line) {
    boolean appliesTo(LogSource ls) {
      return (category != null || service != null || product != null)
          && eq(product, ls.product())
          && eq(category, ls.category())
          && eq(service, ls.service());
    }

    private static boolean eq(String want, String have) {
      return want == null || (have != null && want.equalsIgnoreCase(have));
    }

    String key() {
      return (product + "/" + category + "/" + service).toLowerCase(Locale.ROOT);
    }

    LogSource logSource() {
      return new LogSource(product, category, service);
    }
  }

  final Map<String, ProductFields> products = new HashMap<>();
  final List<Source> sources = new ArrayList<>();
  private final Map<String, Field> interned = new HashMap<>();

  /** Loads user files then built-ins; problems go to {@code errors}. */
  static Mappings load(LoadOptions options, List<RuleProblem> errors) {
    Mappings m = new Mappings();
    for (Path p : options.mappingFiles()) {
      try {
        String text = Files.readString(p, StandardCharsets.UTF_8);
        m.read(text, p, options.limits(), errors);
      } catch (IOException e) {
        errors.add(
            new RuleProblem(
                p, 0, "", "cannot read mapping file: " + e.getMessage() + "; check the path"));
      }
    }
    if (options.includeBuiltinMappings()) {
      for (String name : BUILTIN) {
        try (InputStream in = Mappings.class.getResourceAsStream("mappings/" + name)) {
          String text =
              new String(Objects.requireNonNull(in, name).readAllBytes(), StandardCharsets.UTF_8);
          m.read(text, Path.of("builtin:" + name), Limits.DEFAULT, errors);
        } catch (IOException e) {
          throw new IllegalStateException("built-in mapping " + name + " is missing", e);
        }
      }
    }
    return m;
  }

  private void read(String text, Path file, Limits limits, List<RuleProblem> errors) {
    try {
      List<Node> docs = Yaml.documents(text, limits, file.toString());
      for (Node doc : docs) {
        Yaml.checkDepth(doc, limits.maxYamlDepth(), 1);
        readDocument(doc, file, errors);
      }
    } catch (RuleException e) {
      errors.add(new RuleProblem(file, e.line, "", "mapping: " + e.getMessage()));
    } catch (RuntimeException e) {
      errors.add(new RuleProblem(file, 0, "", "mapping: not valid YAML: " + e.getMessage()));
    }
  }

  private void readDocument(Node doc, Path file, List<RuleProblem> errors) throws RuleException {
    Map<String, Node> top = Yaml.map(doc, "a mapping file");
    for (String key : top.keySet()) {
      if (!List.of("product", "detection", "paths", "fields", "logsources").contains(key)) {
        throw new RuleException(
            top.get(key),
            "unknown key '"
                + key
                + "'; a mapping file has product, detection, paths, fields and logsources");
      }
    }
    String product = Yaml.string(top.get("product"), "product");
    if (top.containsKey("paths") || top.containsKey("fields") || top.containsKey("detection")) {
      if (product == null) {
        throw new RuleException(
            doc, "'detection', 'paths' and 'fields' belong to a product; add 'product: <name>'");
      }
      ProductFields pf = products.computeIfAbsent(lower(product), k -> new ProductFields());
      if (pf.claim == null && top.get("detection") != null && !Yaml.isNull(top.get("detection"))) {
        pf.claim = top.get("detection");
        pf.claimFile = file;
      }
      for (String t : Yaml.strings(top.get("paths"), "paths")) {
        if (!t.contains("{field}")) {
          throw new RuleException(top.get("paths"), "path template '" + t + "' lacks '{field}'");
        }
        if (!pf.templates.contains(t)) {
          pf.templates.add(t);
        }
      }
      if (top.get("fields") != null && !Yaml.isNull(top.get("fields"))) {
        for (Map.Entry<ScalarNode, Node> e :
            Yaml.entries(asMap(top.get("fields"), "fields"), "fields")) {
          pf.fields.putIfAbsent(
              lower(e.getKey().getValue()), Yaml.strings(e.getValue(), "field paths"));
        }
      }
    }
    Node list = top.get("logsources");
    if (list == null || Yaml.isNull(list)) {
      return;
    }
    if (!(list instanceof org.snakeyaml.engine.v2.nodes.SequenceNode seq)) {
      throw new RuleException(list, "logsources must be a list of entries");
    }
    for (Node entryNode : seq.getValue()) {
      try {
        Map<String, Node> entry = Yaml.map(entryNode, "a logsources entry");
        String p = Yaml.string(entry.get("product"), "product");
        Source s =
            new Source(
                p == null ? product : p,
                Yaml.string(entry.get("category"), "category"),
                Yaml.string(entry.get("service"), "service"),
                entry.get("detection"),
                renames(entry.get("fields")),
                file,
                Yaml.line(entryNode));
        if (s.detection() == null) {
          throw new RuleException(entryNode, "logsources entry has no detection");
        }
        boolean replaced = false;
        for (Source existing : sources) {
          if (existing.key().equals(s.key())) {
            replaced = true; // an earlier (user) file already defines it
          }
        }
        if (!replaced) {
          sources.add(s);
        }
      } catch (RuleException e) {
        errors.add(new RuleProblem(file, e.line, "", "mapping: " + e.getMessage()));
      }
    }
  }

  private static MappingNode asMap(Node n, String what) throws RuleException {
    if (n instanceof MappingNode m) {
      return m;
    }
    throw new RuleException(n, what + " must be a map of field name to list of paths");
  }

  private static Map<String, List<String>> renames(Node n) throws RuleException {
    Map<String, List<String>> out = new HashMap<>();
    if (n == null || Yaml.isNull(n)) {
      return out;
    }
    for (Map.Entry<ScalarNode, Node> e : Yaml.entries(asMap(n, "fields"), "fields")) {
      out.put(lower(e.getKey().getValue()), Yaml.strings(e.getValue(), "field names"));
    }
    return out;
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** The entries that constrain a rule's log source, in file order. */
  List<Source> sourcesFor(LogSource ls) {
    List<Source> out = new ArrayList<>();
    for (Source s : sources) {
      if (s.appliesTo(ls)) {
        out.add(s);
      }
    }
    return out;
  }

  /** Resolves Sigma field names for rules of a log source. */
  java.util.function.Function<String, Field> resolver(LogSource ls, List<Source> matched) {
    ProductFields pf = ls.product() == null ? null : products.get(lower(ls.product()));
    return name -> {
      LinkedHashSet<String> paths = new LinkedHashSet<>();
      List<String> alternatives = null;
      for (Source s : matched) {
        alternatives = s.renames().get(lower(name));
        if (alternatives != null) {
          break;
        }
      }
      if (alternatives == null) {
        alternatives = List.of(name);
      }
      for (String alt : alternatives) {
        paths.addAll(productPaths(pf, alt));
      }
      return intern(name, new ArrayList<>(paths));
    };
  }

  private static List<String> productPaths(ProductFields pf, String name) {
    if (pf == null) {
      return List.of(name);
    }
    List<String> explicit = pf.fields.get(lower(name));
    if (explicit != null) {
      return explicit;
    }
    if (pf.templates.isEmpty()) {
      return List.of(name);
    }
    List<String> out = new ArrayList<>();
    for (String t : pf.templates) {
      out.add(t.replace("{field}", name));
    }
    return out;
  }

  private Field intern(String name, List<String> paths) {
    String key = lower(String.join("\u0000", paths));
    return interned.computeIfAbsent(key, k -> new Field(name, paths));
  }

  java.util.Collection<Field> fields() {
    return interned.values();
  }
}
