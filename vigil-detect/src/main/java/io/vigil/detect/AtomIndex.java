package io.vigil.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the "atoms" of a rule: field items of which at least one must hold for the rule's
 * condition to hold, taken from the condition tree at load. Atoms made of plain case-insensitive
 * string tests are answered for all rules of a log-source bucket at once by one {@link
 * FieldAutomaton} per field ({@link Bucket}); other atoms (regex, cased, numbers, cidr) are
 * evaluated directly. Among the parts of an AND, the part whose atoms are least likely to hold is
 * taken, so that few rules become candidates.
 */
final class AtomIndex {
  private AtomIndex() {}

  /**
   * The string tests under which an atom is indexed: when none of them holds for the field's value,
   * the atom cannot hold. For a plain OR of tests, all of them (exact). With {@code all}, one test
   * suffices (each must hold), the one with the longest needle. Wildcard patterns in the middle are
   * indexed by their longest literal part as a substring. Null when the atom cannot be indexed
   * (cased, regex, numeric comparisons, …).
   */
  static List<ValueTest.Str> keys(Cond.FieldMatch f) {
    if (f.neq() || f.acceptsMissing()) {
      return null;
    }
    List<ValueTest.Str> best = null;
    int bestLength = -1;
    List<ValueTest.Str> union = new ArrayList<>();
    for (ValueTest t : f.tests()) {
      List<ValueTest.Str> strs = new ArrayList<>();
      boolean ok = flatten(t, strs);
      if (!f.all()) {
        if (!ok) {
          return null;
        }
        union.addAll(strs);
      } else if (ok) {
        int shortest = strs.stream().mapToInt(x -> x.needle().length()).min().orElse(0);
        if (shortest > bestLength) {
          best = strs;
          bestLength = shortest;
        }
      }
    }
    return f.all() ? best : union;
  }

  /** Collects the plain string tests of a value test; false when it has any other kind. */
  private static boolean flatten(ValueTest t, List<ValueTest.Str> out) {
    if (t instanceof ValueTest.AnyOf any) {
      boolean ok = true;
      for (ValueTest x : any.tests()) {
        ok &= flatten(x, out);
      }
      return ok;
    }
    if (t instanceof ValueTest.Regex r) {
      // A literal every match contains: its lower case is in the lower-cased value.
      String literal = requiredLiteral(r.shown());
      if (literal.length() < 3) {
        return false;
      }
      out.add(ValueTest.Str.of(Pattern.literal(literal).contains(), false));
      return true;
    }
    if (!(t instanceof ValueTest.Str s) || s.cased()) {
      return false;
    }
    if (s.kind() == ValueTest.Str.Kind.GLOB) {
      String literal = RuleSet.longestLiteral(s.needle());
      if (literal.length() < 3) {
        return false;
      }
      s = ValueTest.Str.of(Pattern.literal(literal).contains(), false);
    }
    if (s.needle().isEmpty()) {
      return false;
    }
    if (s.numeric() && !Long.toString(s.asLong()).equals(s.needle())) {
      return false; // "04688" equals the number 4688 but not its text
    }
    if (s.needle().indexOf(FieldAutomaton.BEGIN) >= 0
        || s.needle().indexOf(FieldAutomaton.END) >= 0) {
      return false;
    }
    out.add(s);
    return true;
  }

  /**
   * The longest run of plain ASCII characters that every match of a regular expression must
   * contain, or "" when none is known: only runs outside groups and classes count, a character
   * followed by {@code ?}, {@code *} or {@code {} is dropped, and an alternation outside groups
   * gives up. Conservative: a longer true requirement may be missed, never a false one claimed.
   */
  static String requiredLiteral(String re) {
    String best = "";
    StringBuilder run = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < re.length(); i++) {
      char c = re.charAt(i);
      if (c == '\\') {
        if (i + 1 >= re.length()) {
          return "";
        }
        char e = re.charAt(++i);
        if (depth == 0 && !Character.isLetterOrDigit(e) && e < 128 && e != ' ') {
          run.append(e); // an escaped punctuation character stands for itself
          continue;
        }
        best = longer(best, run);
        if (e == 'Q') {
          return ""; // quoting: not worth the trouble
        }
        continue;
      }
      if (c == '[') {
        best = longer(best, run);
        int j = i + 1;
        if (j < re.length() && re.charAt(j) == '^') {
          j++;
        }
        if (j < re.length() && re.charAt(j) == ']') {
          j++;
        }
        while (j < re.length() && re.charAt(j) != ']') {
          if (re.charAt(j) == '\\') {
            j++;
          }
          j++;
        }
        i = j;
        continue;
      }
      if (c == '(') {
        best = longer(best, run);
        depth++;
        continue;
      }
      if (c == ')') {
        depth = Math.max(0, depth - 1);
        best = longer(best, run);
        continue;
      }
      if (c == '|') {
        if (depth == 0) {
          return "";
        }
        continue;
      }
      if (depth > 0) {
        continue;
      }
      if (c == '?' || c == '*' || c == '{') {
        if (run.length() > 0) {
          run.setLength(run.length() - 1);
        }
        best = longer(best, run);
        if (c == '{') {
          int close = re.indexOf('}', i);
          i = close < 0 ? re.length() : close;
        }
        continue;
      }
      if (c == '+' || c == '.' || c == '^' || c == '$' || c >= 128) {
        best = longer(best, run);
        continue;
      }
      run.append(c);
    }
    return longer(best, run).toLowerCase(java.util.Locale.ROOT);
  }

  private static String longer(String best, StringBuilder run) {
    String r = run.toString();
    run.setLength(0);
    return r.length() > best.length() ? r : best;
  }

  /**
   * Field items of which at least one must hold for the condition to hold, or null when there is no
   * such set. AND takes the part whose set is least likely to hold (see {@link #score}), OR the
   * union. Fields in {@code routed} (read by log-source gates) count as weak: the gate already
   * decided them.
   */
  static List<Cond.FieldMatch> necessary(Cond c, java.util.Set<Field> routed) {
    return switch (c) {
      case Cond.FieldMatch f -> f.neq() || f.acceptsMissing() ? null : List.of(f);
      case Cond.Named n -> necessary(n.inner(), routed);
      case Cond.Keywords k -> keywordAtom(k);
      case Cond.And a -> {
        List<Cond.FieldMatch> best = null;
        double bestScore = Double.MAX_VALUE;
        for (Cond p : a.parts()) {
          List<Cond.FieldMatch> s = necessary(p, routed);
          if (s == null) {
            continue;
          }
          double score = score(s, routed);
          if (score < bestScore) {
            best = s;
            bestScore = score;
          }
        }
        yield best;
      }
      case Cond.Or o -> {
        List<Cond.FieldMatch> all = new ArrayList<>();
        for (Cond p : o.parts()) {
          List<Cond.FieldMatch> s = necessary(p, routed);
          if (s == null) {
            yield null;
          }
          all.addAll(s);
        }
        yield all;
      }
      default -> null;
    };
  }

  /**
   * A keyword search as an atom over {@link Field#KEYWORDS}: one of its needles must occur in some
   * value of the event (so in its text). Null when a keyword cannot be indexed (regex, cased, no
   * literal of three characters, non-ASCII).
   */
  static List<Cond.FieldMatch> keywordAtom(Cond.Keywords k) {
    Cond.FieldMatch atom =
        new Cond.FieldMatch(Field.KEYWORDS, k.tests(), k.all(), false, false, "keywords");
    List<ValueTest.Str> keys = keys(atom);
    if (keys == null) {
      return null;
    }
    for (ValueTest.Str s : keys) {
      for (int i = 0; i < s.needle().length(); i++) {
        if (s.needle().charAt(i) >= 128) {
          return null;
        }
      }
    }
    return List.of(atom);
  }

  /**
   * A rough chance that one of the atoms holds on an event, used to choose among the parts of an
   * AND: an atom that is not indexed costs an evaluation on every event (1 each), an indexed one
   * the sum of its needles' chances, by kind and length (short needles hit often).
   */
  static double score(List<Cond.FieldMatch> atoms, java.util.Set<Field> routed) {
    double total = 0;
    for (Cond.FieldMatch f : atoms) {
      List<ValueTest.Str> keys = keys(f);
      if (keys == null) {
        total += 1;
        continue;
      }
      double p = 0;
      for (ValueTest.Str k : keys) {
        int n = k.needle().length();
        p +=
            switch (k.kind()) {
              case EXACT -> 0.002;
              default -> n >= 8 ? 0.01 : n >= 5 ? 0.03 : n >= 3 ? 0.2 : 0.6;
            };
      }
      if (routed.contains(f.field())) {
        p = Math.max(p, 0.5);
      }
      total += Math.min(1, p);
    }
    return total;
  }
}
