package io.vigil.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses a Sigma condition ({@code not} binds tighter than {@code and}, which binds tighter than
 * {@code or}; parentheses; {@code 1 of}/{@code all of} a pattern or {@code them}) and builds the
 * condition tree over already compiled search identifiers.
 */
final class ConditionParser {
  private final String text;
  private final List<String> tokens;
  private final Map<String, Cond> selections;
  private int pos;

  private ConditionParser(String text, List<String> tokens, Map<String, Cond> selections) {
    this.text = text;
    this.tokens = tokens;
    this.selections = selections;
  }

  /**
   * @param selections the search identifiers in definition order, each wrapped as {@link
   *     Cond.Named}
   * @throws IllegalArgumentException with a message saying what was seen and expected
   */
  static Cond parse(String text, Map<String, Cond> selections) {
    ConditionParser p = new ConditionParser(text, tokenize(text), selections);
    if (p.tokens.isEmpty()) {
      throw new IllegalArgumentException(
          "the condition is empty; write e.g. 'selection and not filter'");
    }
    Cond c = p.or();
    if (p.pos < p.tokens.size()) {
      String t = p.tokens.get(p.pos);
      if (t.equals("|")) {
        throw new IllegalArgumentException(
            "condition '"
                + text
                + "' uses an aggregation ('| count() …'), which Sigma v2 replaced by correlation"
                + " rules; they are not supported yet: remove the aggregation or write a"
                + " correlation rule");
      }
      throw new IllegalArgumentException(
          "condition '"
              + text
              + "': unexpected '"
              + t
              + "' at token "
              + (p.pos + 1)
              + "; expected 'and', 'or' or the end of the condition");
    }
    return c;
  }

  private static List<String> tokenize(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')' || c == '|') {
        out.add(String.valueOf(c));
        i++;
      } else {
        int start = i;
        while (i < s.length()
            && !Character.isWhitespace(s.charAt(i))
            && "()|".indexOf(s.charAt(i)) < 0) {
          i++;
        }
        out.add(s.substring(start, i));
      }
    }
    return out;
  }

  private String peek() {
    return pos < tokens.size() ? tokens.get(pos) : null;
  }

  private boolean keyword(String k) {
    String t = peek();
    return t != null && t.toLowerCase(Locale.ROOT).equals(k);
  }

  private Cond or() {
    List<Cond> parts = new ArrayList<>();
    parts.add(and());
    while (keyword("or")) {
      pos++;
      parts.add(and());
    }
    return parts.size() == 1 ? parts.get(0) : new Cond.Or(parts.toArray(Cond[]::new));
  }

  private Cond and() {
    List<Cond> parts = new ArrayList<>();
    parts.add(not());
    while (keyword("and")) {
      pos++;
      parts.add(not());
    }
    return parts.size() == 1 ? parts.get(0) : new Cond.And(parts.toArray(Cond[]::new));
  }

  private Cond not() {
    if (keyword("not")) {
      pos++;
      return new Cond.Not(not());
    }
    return primary();
  }

  private Cond primary() {
    String t = peek();
    if (t == null) {
      throw new IllegalArgumentException(
          "condition '"
              + text
              + "' ends early; expected a search identifier, 'not', '(' or"
              + " '1 of'/'all of'");
    }
    if (t.equals("(")) {
      pos++;
      Cond inner = or();
      if (!")".equals(peek())) {
        throw new IllegalArgumentException(
            "condition '"
                + text
                + "': missing ')'"
                + (peek() == null ? " at the end" : " before '" + peek() + "'"));
      }
      pos++;
      return inner;
    }
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.equals("and") || lower.equals("or") || t.equals(")") || t.equals("|")) {
      throw new IllegalArgumentException(
          "condition '"
              + text
              + "': unexpected '"
              + t
              + "' at token "
              + (pos + 1)
              + "; expected a search identifier, 'not', '(' or '1 of'/'all of'");
    }
    if (pos + 1 < tokens.size() && tokens.get(pos + 1).equalsIgnoreCase("of")) {
      boolean all;
      if (lower.equals("all")) {
        all = true;
      } else if (lower.equals("1") || lower.equals("any")) {
        all = false;
      } else {
        throw new IllegalArgumentException(
            "condition '" + text + "': '" + t + " of' is not Sigma; expected '1 of' or 'all of'");
      }
      pos += 2;
      String target = peek();
      if (target == null || "()|".contains(target)) {
        throw new IllegalArgumentException(
            "condition '"
                + text
                + "': '"
                + t
                + " of' must be followed by 'them' or a pattern"
                + " such as 'selection_*'");
      }
      pos++;
      return quantified(all, target);
    }
    pos++;
    Cond c = selections.get(t);
    if (c == null) {
      throw new IllegalArgumentException(
          "condition references '"
              + t
              + "', but the detection defines only "
              + String.join(", ", selections.keySet())
              + "; define '"
              + t
              + "' under detection or fix the condition");
    }
    return c;
  }

  private Cond quantified(boolean all, String target) {
    List<Cond> matched = new ArrayList<>();
    boolean them = target.equalsIgnoreCase("them");
    for (Map.Entry<String, Cond> e : selections.entrySet()) {
      if (them ? !e.getKey().startsWith("_") : wildcard(target, e.getKey())) {
        matched.add(e.getValue());
      }
    }
    if (matched.isEmpty()) {
      throw new IllegalArgumentException(
          "condition '"
              + text
              + "': '"
              + target
              + "' matches no search identifier (defined: "
              + String.join(", ", selections.keySet())
              + ")");
    }
    if (matched.size() == 1) {
      return matched.get(0);
    }
    Cond[] parts = matched.toArray(Cond[]::new);
    return all ? new Cond.And(parts) : new Cond.Or(parts);
  }

  /** Search-identifier patterns: {@code *} is any run of characters, compared exactly otherwise. */
  static boolean wildcard(String pattern, String name) {
    return ValueTest.glob(pattern.replace('*', Pattern.ANY), name);
  }
}
