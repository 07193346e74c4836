package io.vigil.detect;

import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Compiles a Sigma {@code detection} block (search identifiers and condition) into a {@link Cond},
 * resolving field names through the rule's mapping and applying value modifiers.
 */
final class DetectionCompiler {
  static final Set<String> MODIFIERS =
      Set.of(
          "contains",
          "startswith",
          "endswith",
          "all",
          "base64",
          "base64offset",
          "wide",
          "utf16le",
          "utf16be",
          "utf16",
          "windash",
          "re",
          "i",
          "m",
          "s",
          "ignorecase",
          "multiline",
          "dotall",
          "cidr",
          "exists",
          "fieldref",
          "gt",
          "gte",
          "lt",
          "lte",
          "neq",
          "cased",
          "expand",
          "minute",
          "hour",
          "day",
          "week",
          "month",
          "year");
  private static final Set<String> TIME = Set.of("minute", "hour", "day", "week", "month", "year");
  private static final Set<String> COMPARE = Set.of("gt", "gte", "lt", "lte");
  private static final Set<String> POSITION = Set.of("contains", "startswith", "endswith");
  private static final Set<String> ENCODING =
      Set.of("base64", "base64offset", "wide", "utf16le", "utf16be", "utf16", "windash");
  private static final Set<String> RE_FLAGS =
      Set.of("i", "m", "s", "ignorecase", "multiline", "dotall");

  private final Function<String, Field> fields;
  private final Map<String, List<String>> placeholders;
  private final Limits limits;
  private final Map<ValueTest, ValueTest> interned;

  DetectionCompiler(
      Function<String, Field> fields,
      Map<String, List<String>> placeholders,
      Limits limits,
      Map<ValueTest, ValueTest> interned) {
    this.fields = fields;
    this.placeholders = placeholders;
    this.limits = limits;
    this.interned = interned;
  }

  /**
   * Compiles a detection map: every key but {@code condition} (and ignored ones) is a search
   * identifier.
   */
  Cond compile(Node detection, Set<String> reservedKeys) throws RuleException {
    Map<String, Node> map = Yaml.map(detection, "detection");
    Node conditionNode = map.get("condition");
    if (conditionNode == null || Yaml.isNull(conditionNode)) {
      throw new RuleException(
          detection, "detection has no condition; add e.g. 'condition: selection'");
    }
    Map<String, Cond> selections = new LinkedHashMap<>();
    for (Map.Entry<String, Node> e : map.entrySet()) {
      if (e.getKey().equals("condition") || reservedKeys.contains(e.getKey())) {
        continue;
      }
      selections.put(e.getKey(), new Cond.Named(e.getKey(), selection(e.getKey(), e.getValue())));
    }
    List<String> conditions = new ArrayList<>();
    if (conditionNode instanceof SequenceNode) {
      conditions.addAll(Yaml.strings(conditionNode, "condition"));
    } else {
      conditions.add(Yaml.string(conditionNode, "condition"));
    }
    List<Cond> parts = new ArrayList<>();
    for (String c : conditions) {
      try {
        parts.add(ConditionParser.parse(c, selections));
      } catch (IllegalArgumentException ex) {
        throw new RuleException(conditionNode, ex.getMessage());
      }
    }
    return parts.size() == 1 ? parts.get(0) : new Cond.Or(parts.toArray(Cond[]::new));
  }

  private Cond selection(String name, Node node) throws RuleException {
    if (Yaml.isNull(node)) {
      throw new RuleException(
          node, "search identifier '" + name + "' is empty; give it field values or keywords");
    }
    if (node instanceof MappingNode m) {
      return fieldMap(name, m);
    }
    if (node instanceof SequenceNode s) {
      if (s.getValue().isEmpty()) {
        throw new RuleException(node, "search identifier '" + name + "' is an empty list");
      }
      List<Cond> alternatives = new ArrayList<>();
      List<Node> keywords = new ArrayList<>();
      for (Node c : s.getValue()) {
        if (c instanceof MappingNode m) {
          alternatives.add(fieldMap(name, m));
        } else if (c instanceof ScalarNode) {
          keywords.add(c);
        } else {
          throw new RuleException(
              c,
              "search identifier '"
                  + name
                  + "' holds a nested list; expected keywords (values)"
                  + " or maps of field: value");
        }
      }
      if (!keywords.isEmpty()) {
        alternatives.add(0, keywords(List.of(), keywords, node));
      }
      return alternatives.size() == 1
          ? alternatives.get(0)
          : new Cond.Or(alternatives.toArray(Cond[]::new));
    }
    return keywords(List.of(), List.of(node), node);
  }

  private Cond fieldMap(String name, MappingNode m) throws RuleException {
    if (m.getValue().isEmpty()) {
      throw new RuleException(m, "search identifier '" + name + "' is an empty map");
    }
    List<Cond> items = new ArrayList<>();
    for (Map.Entry<ScalarNode, Node> e : Yaml.entries(m, "search identifier '" + name + "'")) {
      items.add(item(e.getKey(), e.getValue()));
    }
    return items.size() == 1 ? items.get(0) : new Cond.And(items.toArray(Cond[]::new));
  }

  private static List<Node> valueNodes(Node value, String key) throws RuleException {
    List<Node> out = new ArrayList<>();
    if (value instanceof SequenceNode s) {
      for (Node c : s.getValue()) {
        if (!(c instanceof ScalarNode)) {
          throw new RuleException(
              c, "'" + key + "' holds " + Yaml.kind(c) + "; expected a value or a list of values");
        }
        out.add(c);
      }
      if (out.isEmpty()) {
        throw new RuleException(value, "'" + key + "' has an empty list of values");
      }
    } else if (value instanceof MappingNode) {
      throw new RuleException(
          value, "'" + key + "' holds a map; expected a value or a list of values");
    } else {
      out.add(value);
    }
    return out;
  }

  private Cond item(ScalarNode keyNode, Node value) throws RuleException {
    String key = keyNode.getValue();
    String[] parts = key.split("\\|", -1);
    String fieldName = parts[0];
    List<String> mods = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      String mod = parts[i].toLowerCase(Locale.ROOT);
      if (!MODIFIERS.contains(mod)) {
        throw new RuleException(
            keyNode,
            "unknown modifier '"
                + parts[i]
                + "' in '"
                + key
                + "'; expected one of "
                + String.join(", ", new java.util.TreeSet<>(MODIFIERS))
                + ": fix the spelling or remove it");
      }
      mods.add(mod);
    }
    List<Node> values = valueNodes(value, key);
    if (fieldName.isEmpty()) {
      return keywords(mods, values, keyNode);
    }
    Field field = fields.apply(fieldName);
    boolean all = mods.contains("all");
    boolean neq = mods.contains("neq");
    boolean cased = mods.contains("cased");
    if (mods.contains("exists")) {
      if (values.size() != 1 || mods.size() != 1) {
        throw new RuleException(
            keyNode, "'" + key + "': exists takes one value, true or false, and no other modifier");
      }
      String v = ((ScalarNode) values.get(0)).getValue().toLowerCase(Locale.ROOT);
      if (!v.equals("true") && !v.equals("false")) {
        throw new RuleException(
            values.get(0), "'" + key + "': exists expects true or false, found '" + v + "'");
      }
      return new Cond.Exists(field, v.equals("true"));
    }
    if (mods.contains("fieldref")) {
      String mode = "equals";
      for (String mod : mods) {
        if (POSITION.contains(mod)) {
          mode = mod;
        } else if (!Set.of("fieldref", "all", "neq", "cased").contains(mod)) {
          throw new RuleException(
              keyNode,
              "'"
                  + key
                  + "': fieldref combines only with contains, startswith, endswith, all,"
                  + " neq and cased, not with "
                  + mod);
        }
      }
      List<Cond> refs = new ArrayList<>();
      for (Node v : values) {
        String other = ((ScalarNode) v).getValue();
        refs.add(new Cond.FieldRef(field, fields.apply(other), mode, cased, neq));
      }
      return refs.size() == 1
          ? refs.get(0)
          : all ? new Cond.And(refs.toArray(Cond[]::new)) : new Cond.Or(refs.toArray(Cond[]::new));
    }
    List<ValueTest> tests = new ArrayList<>();
    boolean acceptsMissing = false;
    for (Node v : values) {
      ValueTest t = valueTest((ScalarNode) v, key, mods, cased);
      if (t instanceof ValueTest.Null) {
        acceptsMissing = true;
      }
      tests.add(intern(t));
    }
    return new Cond.FieldMatch(
        field, tests.toArray(ValueTest[]::new), all, neq, acceptsMissing, key);
  }

  private ValueTest intern(ValueTest t) {
    ValueTest existing = interned.putIfAbsent(t, t);
    return existing == null ? t : existing;
  }

  private Cond keywords(List<String> mods, List<Node> values, Node at) throws RuleException {
    for (String mod : mods) {
      if (!POSITION.contains(mod)
          && !ENCODING.contains(mod)
          && !Set.of("all", "cased", "re", "i", "m", "s", "expand").contains(mod)) {
        throw new RuleException(
            at, "keyword search (no field name) cannot use the modifier '" + mod + "'");
      }
    }
    boolean position = mods.stream().anyMatch(POSITION::contains) || mods.contains("re");
    List<String> effective = new ArrayList<>(mods);
    if (!position) {
      effective.add("contains");
    }
    List<ValueTest> tests = new ArrayList<>();
    for (Node v : values) {
      if (!(v instanceof ScalarNode s) || Yaml.isNull(v)) {
        throw new RuleException(v, "a keyword must be a value, found " + Yaml.kind(v));
      }
      tests.add(
          intern(
              mods.contains("re")
                  ? regex(s, "keyword", mods)
                  : stringTest(s, "keyword", effective, mods.contains("cased"), true)));
    }
    int[] ids = new int[tests.size()];
    java.util.Arrays.fill(ids, -1);
    int[] guards = ids.clone();
    return new Cond.Keywords(tests.toArray(ValueTest[]::new), mods.contains("all"), ids, guards);
  }

  private ValueTest valueTest(ScalarNode v, String key, List<String> mods, boolean cased)
      throws RuleException {
    Tag tag = v.getTag();
    String text = v.getValue();
    String type = null;
    for (String mod : mods) {
      if (mod.equals("re") || mod.equals("cidr") || COMPARE.contains(mod) || TIME.contains(mod)) {
        if (type != null && !(TIME.contains(type) && COMPARE.contains(mod))) {
          throw new RuleException(
              v, "'" + key + "' combines '" + type + "' and '" + mod + "'; use one of them");
        }
        type = type == null ? mod : type;
      }
    }
    if (tag.equals(Tag.NULL)) {
      if (type != null
          || mods.stream().anyMatch(m -> POSITION.contains(m) || ENCODING.contains(m))) {
        throw new RuleException(v, "'" + key + "': null cannot be combined with modifiers");
      }
      return new ValueTest.Null();
    }
    if (type == null) {
      for (String mod : mods) {
        if (RE_FLAGS.contains(mod)) {
          throw new RuleException(
              v, "'" + key + "': the modifier '" + mod + "' only applies after 're'");
        }
      }
      boolean stringy =
          mods.stream()
              .anyMatch(m -> POSITION.contains(m) || ENCODING.contains(m) || m.equals("expand"));
      if (!stringy && (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT))) {
        double d = number(v, key);
        return new ValueTest.Num(d, canonical(text, d));
      }
      if (!stringy && tag.equals(Tag.BOOL)) {
        return new ValueTest.Bool(Boolean.parseBoolean(text.toLowerCase(Locale.ROOT)));
      }
      return stringTest(v, key, mods, cased, false);
    }
    if (type.equals("re")) {
      for (String mod : mods) {
        if (POSITION.contains(mod) || ENCODING.contains(mod) || mod.equals("expand")) {
          throw new RuleException(
              v,
              "'"
                  + key
                  + "': 're' cannot be combined with '"
                  + mod
                  + "'; write it into the expression");
        }
      }
      return regex(v, key, mods);
    }
    if (type.equals("cidr")) {
      return cidr(v, key);
    }
    if (COMPARE.contains(type)) {
      double d = number(v, key);
      return new ValueTest.Compare(type, d, canonical(text, d));
    }
    String compare = null;
    for (String mod : mods) {
      if (COMPARE.contains(mod)) {
        compare = mod;
      }
    }
    double d = number(v, key);
    ValueTest inner =
        compare == null
            ? new ValueTest.Num(d, canonical(text, d))
            : new ValueTest.Compare(compare, d, canonical(text, d));
    return new ValueTest.TimePart(type, inner);
  }

  private static String canonical(String text, double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e18 ? Long.toString((long) d) : text;
  }

  private static double number(ScalarNode v, String key) throws RuleException {
    try {
      String t = v.getValue().trim();
      if (t.startsWith("0x") || t.startsWith("0X")) {
        return Long.parseLong(t.substring(2), 16);
      }
      return Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new RuleException(v, "'" + key + "' expects a number, found '" + v.getValue() + "'");
    }
  }

  private ValueTest regex(ScalarNode v, String key, List<String> mods) throws RuleException {
    String re = v.getValue();
    if (re.length() > limits.maxRegexLength()) {
      throw new RuleException(
          v,
          "'"
              + key
              + "': regular expression of "
              + re.length()
              + " characters is over the limit of "
              + limits.maxRegexLength()
              + "; raise sigma.max-regex-length (Limits.maxRegexLength)"
              + " if it is trusted");
    }
    int flags = 0;
    for (String mod : mods) {
      switch (mod) {
        case "i", "ignorecase" -> flags |= com.google.re2j.Pattern.CASE_INSENSITIVE;
        case "m", "multiline" -> flags |= com.google.re2j.Pattern.MULTILINE;
        case "s", "dotall" -> flags |= com.google.re2j.Pattern.DOTALL;
        default -> {}
      }
    }
    try {
      return new ValueTest.Regex(com.google.re2j.Pattern.compile(re, flags), re);
    } catch (PatternSyntaxException e) {
      throw new RuleException(
          v,
          "'"
              + key
              + "': the regular expression '"
              + re
              + "' does not compile in RE2 ("
              + e.getDescription()
              + "); RE2 has no backreferences or lookaround: rewrite it"
              + " without them");
    }
  }

  private static ValueTest cidr(ScalarNode v, String key) throws RuleException {
    String s = v.getValue().trim();
    int slash = s.indexOf('/');
    byte[] net = Ip.parse(slash < 0 ? s : s.substring(0, slash));
    int prefix = -1;
    if (net != null) {
      prefix = net.length * 8;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
          prefix = -1;
        }
      }
    }
    if (net == null || prefix < 0 || prefix > net.length * 8) {
      throw new RuleException(
          v,
          "'"
              + key
              + "': '"
              + s
              + "' is not a CIDR network; expected e.g. 10.0.0.0/8 or"
              + " fe80::/10");
    }
    return new ValueTest.Cidr(net, prefix, s);
  }

  private ValueTest stringTest(
      ScalarNode v, String key, List<String> mods, boolean cased, boolean keyword)
      throws RuleException {
    List<Pattern> patterns =
        mods.contains("expand")
            ? expand(v, key)
            : new ArrayList<>(List.of(Pattern.parse(v.getValue())));
    for (String mod : mods) {
      List<Pattern> next = new ArrayList<>();
      for (Pattern p : patterns) {
        switch (mod) {
          case "contains" -> next.add(p.contains());
          case "startswith" -> next.add(p.startsWith());
          case "endswith" -> next.add(p.endsWith());
          case "wide", "utf16le" -> next.add(p.utf16(true, false));
          case "utf16be" -> next.add(p.utf16(false, false));
          case "utf16" -> next.add(p.utf16(true, true));
          case "base64", "base64offset" -> {
            if (p.hasWildcards()) {
              throw new RuleException(
                  v,
                  "'"
                      + key
                      + "': "
                      + mod
                      + " cannot encode wildcards in '"
                      + p.display()
                      + "'; put contains/startswith/endswith after "
                      + mod
                      + " or escape the"
                      + " wildcard");
            }
            if (mod.equals("base64")) {
              next.add(p.base64());
            } else {
              next.addAll(p.base64Offsets());
            }
          }
          case "windash" -> {
            List<Pattern> w = p.windash(limits.maxValueExpansion());
            if (w == null) {
              throw tooMany(v, key);
            }
            next.addAll(w);
          }
          default -> next.add(p);
        }
      }
      if (next.size() > limits.maxValueExpansion()) {
        throw tooMany(v, key);
      }
      patterns = next;
    }
    List<ValueTest> tests = new ArrayList<>(patterns.size());
    for (Pattern p : patterns) {
      ValueTest t = intern(ValueTest.Str.of(p, cased));
      if (!tests.contains(t)) {
        tests.add(t);
      }
    }
    return tests.size() == 1 ? tests.get(0) : new ValueTest.AnyOf(List.copyOf(tests));
  }

  private RuleException tooMany(ScalarNode v, String key) {
    return new RuleException(
        v,
        "'"
            + key
            + "': the value '"
            + v.getValue()
            + "' expands into more than "
            + limits.maxValueExpansion()
            + " match values; raise sigma.max-value-expansion"
            + " (Limits.maxValueExpansion) or simplify the value");
  }

  /**
   * Replaces {@code %name%} placeholders ({@code \%} is a plain percent sign) by each configured
   * value.
   */
  private List<Pattern> expand(ScalarNode v, String key) throws RuleException {
    String raw = v.getValue();
    List<StringBuilder> out = new ArrayList<>(List.of(new StringBuilder()));
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c == '\\' && i + 1 < raw.length() && raw.charAt(i + 1) == '%') {
        for (StringBuilder sb : out) {
          sb.append('%');
        }
        i += 2;
        continue;
      }
      if (c == '%') {
        int end = raw.indexOf('%', i + 1);
        if (end > i + 1) {
          String name = raw.substring(i + 1, end);
          List<String> values = placeholders.get(name);
          if (values == null || values.isEmpty()) {
            throw new RuleException.MissingPlaceholder(
                v,
                "'"
                    + key
                    + "': placeholder %"
                    + name
                    + "% has no configured values, so the rule is loaded but inactive; set it in"
                    + " the placeholders file (vigil --placeholders FILE, LoadOptions.placeholders,"
                    + " e.g. '"
                    + name
                    + ": [value1, value2]')");
          }
          List<StringBuilder> next = new ArrayList<>();
          for (StringBuilder sb : out) {
            for (String value : values) {
              next.add(new StringBuilder(sb).append(value));
            }
          }
          if (next.size() > limits.maxValueExpansion()) {
            throw tooMany(v, key);
          }
          out = next;
          i = end + 1;
          continue;
        }
      }
      for (StringBuilder sb : out) {
        sb.append(c);
      }
      i++;
    }
    List<Pattern> patterns = new ArrayList<>();
    for (StringBuilder sb : out) {
      patterns.add(Pattern.parse(sb.toString()));
    }
    return patterns;
  }
}
