package io.vigil.detect;

import io.vigil.event.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A second prefilter over field values. Each rule gets a set of "atoms" (field items whose truth
 * the rule needs: at least one must hold), chosen at load from the condition tree. Atoms made of
 * plain case-insensitive string tests are answered for all rules at once per event and field: exact
 * values by hash lookup, prefixes and suffixes by one hash probe per needle length, substrings by
 * one Aho–Corasick scan. Other atoms are evaluated directly when a rule is checked.
 */
final class AtomIndex {
  /** An atom of a rule: indexed (answered by the bit set) or evaluated directly. */
  record Atom(int id, Cond.FieldMatch cond, boolean indexed) {}

  /** Exact, prefix and suffix needles and substring automaton of one field. */
  private static final class FieldTables {
    final Field field;
    final Map<String, List<Integer>> exactBuild = new HashMap<>();
    final Map<String, List<Integer>> prefixBuild = new HashMap<>();
    final Map<String, List<Integer>> suffixBuild = new HashMap<>();
    final Map<String, List<Integer>> containsBuild = new HashMap<>();
    Map<String, int[]> exact;
    RegionTable prefix;
    RegionTable suffix;
    KeywordIndex contains;
    int[][] containsAtoms;

    FieldTables(Field field) {
      this.field = field;
    }

    void build() {
      exact = freeze(exactBuild);
      prefix = prefixBuild.isEmpty() ? null : new RegionTable(freeze(prefixBuild));
      suffix = suffixBuild.isEmpty() ? null : new RegionTable(freeze(suffixBuild));
      if (!containsBuild.isEmpty()) {
        contains = new KeywordIndex();
        Map<Integer, int[]> byId = new HashMap<>();
        for (Map.Entry<String, int[]> e : freeze(containsBuild).entrySet()) {
          byId.put(contains.add(e.getKey()), e.getValue());
        }
        contains.build();
        containsAtoms = new int[contains.size()][];
        byId.forEach((id, atoms) -> containsAtoms[id] = atoms);
      }
    }
  }

  /**
   * Needles of one kind: an open-addressing table probed by region hash, for each needle length.
   */
  private static final class RegionTable {
    final String[] keys;
    final int[][] values;
    final int mask;
    final int[] lengths;

    RegionTable(Map<String, int[]> needles) {
      int cap = Integer.highestOneBit(Math.max(4, needles.size() * 3)) << 1;
      keys = new String[cap];
      values = new int[cap][];
      mask = cap - 1;
      TreeSet<Integer> ls = new TreeSet<>();
      for (Map.Entry<String, int[]> e : needles.entrySet()) {
        int i = mix(e.getKey().hashCode()) & mask;
        while (keys[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = e.getKey();
        values[i] = e.getValue();
        ls.add(e.getKey().length());
      }
      lengths = ls.stream().mapToInt(Integer::intValue).toArray();
    }

    int[] get(String s, int from, int to) {
      int h = 0;
      for (int k = from; k < to; k++) {
        h = 31 * h + s.charAt(k);
      }
      int len = to - from;
      int i = mix(h) & mask;
      String key;
      while ((key = keys[i]) != null) {
        if (key.length() == len && s.regionMatches(from, key, 0, len)) {
          return values[i];
        }
        i = (i + 1) & mask;
      }
      return null;
    }

    private static int mix(int h) {
      return h ^ (h >>> 16);
    }
  }

  private final List<FieldTables> tables = new ArrayList<>();
  private final Map<Cond.FieldMatch, Atom> atoms = new IdentityHashMap<>();
  private int count;

  int size() {
    return count;
  }

  /** For measurements: indexed fields and the ints held by their substring automata. */
  String stats() {
    long ints = 0;
    for (FieldTables ft : tables) {
      ints += ft.contains == null ? 0 : ft.contains.tableSize();
    }
    return count
        + " atoms over "
        + tables.size()
        + " indexed fields; automata "
        + ints * 4 / 1024
        + " KiB";
  }

  /** The atoms a rule needs (one must hold), or null when the rule has none. */
  Atom[] atomsOf(Cond cond) {
    List<Cond.FieldMatch> need = necessary(cond);
    if (need == null || need.isEmpty()) {
      return null;
    }
    Atom[] out = new Atom[need.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = atoms.computeIfAbsent(need.get(i), this::register);
    }
    return out;
  }

  private Map<Field, FieldTables> byField = new LinkedHashMap<>();

  private Atom register(Cond.FieldMatch f) {
    int id = count++;
    List<ValueTest.Str> strs = keys(f);
    if (strs == null) {
      return new Atom(id, f, false);
    }
    FieldTables ft = byField.computeIfAbsent(f.field(), FieldTables::new);
    for (ValueTest.Str s : strs) {
      Map<String, List<Integer>> m =
          switch (s.kind()) {
            case EXACT -> ft.exactBuild;
            case PREFIX -> ft.prefixBuild;
            case SUFFIX -> ft.suffixBuild;
            default -> ft.containsBuild;
          };
      m.computeIfAbsent(s.needle(), k -> new ArrayList<>()).add(id);
    }
    return new Atom(id, f, true);
  }

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
    if (s.kind() == ValueTest.Str.Kind.CONTAINS) {
      for (int i = 0; i < s.needle().length(); i++) {
        char c = s.needle().charAt(i);
        if (c == 0 || c >= 128) {
          return false;
        }
      }
    }
    out.add(s);
    return true;
  }

  void build() {
    for (FieldTables ft : byField.values()) {
      ft.build();
      tables.add(ft);
    }
    byField = null;
  }

  /** Sets the bit of every indexed atom that holds for the event. */
  void probe(MatchContext ctx, long[] bits) {
    for (int t = 0; t < tables.size(); t++) {
      FieldTables ft = tables.get(t);
      Object v = ft.field.get(ctx);
      if (v == null) {
        continue;
      }
      int slot = ctx.lastSlot;
      if (v instanceof List<?> list) {
        for (Object e : list) {
          if (e != Event.NULL) {
            probeValue(ft, ValueTest.text(e).toLowerCase(java.util.Locale.ROOT), ctx, bits);
          }
        }
      } else if (v instanceof String s) {
        probeValue(ft, ctx.lower(slot, s), ctx, bits);
      } else if (v != Event.NULL) {
        probeValue(ft, ValueTest.text(v).toLowerCase(java.util.Locale.ROOT), ctx, bits);
      }
    }
  }

  private static void probeValue(FieldTables ft, String s, MatchContext ctx, long[] bits) {
    set(ft.exact.get(s), bits);
    int n = s.length();
    if (ft.prefix != null) {
      for (int len : ft.prefix.lengths) {
        if (len > n) {
          break;
        }
        set(ft.prefix.get(s, 0, len), bits);
      }
    }
    if (ft.suffix != null) {
      for (int len : ft.suffix.lengths) {
        if (len > n) {
          break;
        }
        set(ft.suffix.get(s, n - len, n), bits);
      }
    }
    if (ft.contains != null) {
      int[] found = ctx.scratchFound(ft.contains.size());
      int[] hits = ctx.scratchHits();
      hits[0] = 0;
      hits = ft.contains.scan(s, found, ctx.nextScanStamp(), hits);
      ctx.keepHits(hits);
      for (int i = 1; i <= hits[0]; i++) {
        set(ft.containsAtoms[hits[i]], bits);
      }
    }
  }

  private static void set(int[] ids, long[] bits) {
    if (ids != null) {
      for (int id : ids) {
        bits[id >>> 6] |= 1L << id;
      }
    }
  }

  private static Map<String, int[]> freeze(Map<String, List<Integer>> m) {
    Map<String, int[]> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).distinct().toArray()));
    return out;
  }

  /**
   * Field items of which at least one must hold for the condition to hold, or null when there is no
   * such set. AND takes the part with the best set (all indexable first, then smallest), OR the
   * union.
   */
  static List<Cond.FieldMatch> necessary(Cond c) {
    return switch (c) {
      case Cond.FieldMatch f -> f.neq() || f.acceptsMissing() ? null : List.of(f);
      case Cond.Named n -> necessary(n.inner());
      case Cond.And a -> {
        List<Cond.FieldMatch> best = null;
        int bestScore = Integer.MAX_VALUE;
        for (Cond p : a.parts()) {
          List<Cond.FieldMatch> s = necessary(p);
          if (s == null) {
            continue;
          }
          int score = s.size();
          for (Cond.FieldMatch f : s) {
            if (keys(f) == null) {
              score += 1000;
            }
          }
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
          List<Cond.FieldMatch> s = necessary(p);
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
}
