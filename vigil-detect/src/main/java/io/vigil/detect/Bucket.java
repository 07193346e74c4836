package io.vigil.detect;

import io.vigil.event.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules that apply to one kind of event (one outcome of the log-source gates and product
 * claims, e.g. "Sysmon event 10"), with a candidate index over exactly those rules: one {@link
 * FieldAutomaton} per field that some atom of these rules reads. Per event, only those fields are
 * read; a rule is evaluated in full only when one of its atoms holds (or it has no atom, the
 * "always" rules). Built on the first event of its kind, then shared by all threads.
 */
final class Bucket {
  final RuleLoader.Compiled[] rules;
  final int words;
  // Words of the rule bits and the test bits after them (see answers).
  final int allWords;
  // Per field item id (from answersFrom): the bit of each of its tests, -1 when not answered, or
  // null when the automata answer none of them.
  final int[][] answers;
  final int answersFrom;
  private final Field[] fields;
  // Per field: its NeedleAutomata (exact/prefix, reversed suffix, substring), kept as two arrays.
  private final FieldAutomaton[][] automata;
  private final boolean[][] reversed;
  // Per field: the rules its automata marked for recent string values.
  private final ValueMemo[] memos;
  // Rules with no atom: evaluated when one field they need is present (needs[i] null: always).
  private final int[] alwaysRules;
  private final Field[][] alwaysNeeds;
  // Rules with atoms that are evaluated directly (regex, cased, numeric …): one must hold.
  private final int[] directRules;
  private final Cond[][] directAtoms;
  // Keyword atoms: substring needles searched in the event's raw JSON text; the rules they mark.
  private final FieldAutomaton keywordAutomaton;
  private final KeywordScanner keywordScanner;
  private final int[] keywordRules;

  Bucket(RuleLoader.Compiled[] rules) {
    this.rules = rules;
    this.words = Math.max(1, (rules.length + 63) >>> 6);
    Map<Field, Map<String, List<Integer>>> needles = new LinkedHashMap<>();
    List<Integer> always = new ArrayList<>();
    List<Field[]> needs = new ArrayList<>();
    List<Integer> direct = new ArrayList<>();
    List<Cond[]> directs = new ArrayList<>();
    for (int i = 0; i < rules.length; i++) {
      RuleLoader.Compiled c = rules[i];
      if (c.atoms == null) {
        always.add(i);
        needs.add(c.need);
        continue;
      }
      List<Cond> unindexed = new ArrayList<>();
      for (Cond.FieldMatch atom : c.atoms) {
        List<ValueTest.Str> keys = AtomIndex.keys(atom);
        if (keys == null) {
          unindexed.add(atom);
          continue;
        }
        Map<String, List<Integer>> m =
            needles.computeIfAbsent(atom.field(), f -> new LinkedHashMap<>());
        for (ValueTest.Str k : keys) {
          m.computeIfAbsent(needleText(k), x -> new ArrayList<>()).add(i);
        }
      }
      if (!unindexed.isEmpty()) {
        direct.add(i);
        directs.add(unindexed.toArray(Cond[]::new));
      }
    }
    Map<String, List<Integer>> keywordNeedles = needles.remove(Field.KEYWORDS);
    if (keywordNeedles == null) {
      keywordAutomaton = null;
      keywordScanner = null;
      keywordRules = new int[0];
    } else {
      keywordAutomaton = new FieldAutomaton(freeze(keywordNeedles));
      keywordScanner = KeywordScanner.of(freeze(keywordNeedles));
      keywordRules =
          keywordNeedles.values().stream()
              .flatMap(List::stream)
              .mapToInt(Integer::intValue)
              .distinct()
              .sorted()
              .toArray();
    }
    // The string tests the field automata can answer as they read a value: each gets a bit after
    // the rule bits, set when its needle is found, and a test on that field then reads its bit
    // instead of searching the value again (filters included, which are never atoms).
    List<Cond.FieldMatch> items = new ArrayList<>();
    for (RuleLoader.Compiled c : rules) {
      Cond.forEachLeaf(
          c.cond,
          leaf -> {
            if (leaf instanceof Cond.FieldMatch f) {
              items.add(f);
            }
          });
    }
    Map<Field, Map<String, Integer>> testBits = new HashMap<>();
    // Per field: no substring automaton (null), or whether it keeps a shift table.
    Map<Field, Boolean> shiftable = new HashMap<>();
    needles.forEach((field, m) -> shiftable.put(field, insideShiftable(m.keySet())));
    Map<Integer, int[]> answerOf = new HashMap<>();
    int next = words << 6;
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    for (Cond.FieldMatch item : items) {
      Map<String, List<Integer>> m = needles.get(item.field());
      if (m == null || answerOf.containsKey(item.id())) {
        continue;
      }
      ValueTest[] tests = item.tests();
      int[] bitOf = null;
      for (int i = 0; i < tests.length; i++) {
        if (!StrIndex.indexable(tests[i])) {
          continue;
        }
        ValueTest.Str t = (ValueTest.Str) tests[i];
        String text = needleText(t);
        if (t.kind() == ValueTest.Str.Kind.CONTAINS) {
          Boolean shift = shiftable.get(item.field());
          // no substring automaton (a new pass over every value), or one with a shift table
          // that this needle would take away: the test stays a search of its own
          if (shift == null || (shift && !FieldAutomaton.keepsShiftTable(text))) {
            continue;
          }
        }
        Map<String, Integer> own = testBits.computeIfAbsent(item.field(), f -> new HashMap<>());
        Integer bit = own.get(text);
        if (bit == null) {
          bit = next++;
          own.put(text, bit);
          m.computeIfAbsent(text, x -> new ArrayList<>()).add(bit);
        }
        if (bitOf == null) {
          bitOf = new int[tests.length];
          Arrays.fill(bitOf, -1);
        }
        bitOf[i] = bit;
      }
      if (bitOf != null) {
        answerOf.put(item.id(), bitOf);
        lo = Math.min(lo, item.id());
        hi = Math.max(hi, item.id());
      }
    }
    allWords = Math.max(words, (next + 63) >>> 6);
    answersFrom = answerOf.isEmpty() ? 0 : lo;
    answers = new int[answerOf.isEmpty() ? 0 : hi - lo + 1][];
    answerOf.forEach((id, bitOf) -> answers[id - answersFrom] = bitOf);
    fields = needles.keySet().toArray(Field[]::new);
    automata = new FieldAutomaton[fields.length][];
    reversed = new boolean[fields.length][];
    memos = new ValueMemo[fields.length];
    for (int f = 0; f < fields.length; f++) {
      Map<String, int[]> marks = new LinkedHashMap<>();
      needles.get(fields[f]).forEach((k, v) -> marks.put(k, distinct(v)));
      NeedleAutomata split = NeedleAutomata.of(marks, FieldAutomaton.DENSE_CELLS);
      automata[f] = split.automata();
      reversed[f] = split.reversed();
      memos[f] = new ValueMemo();
    }
    alwaysRules = always.stream().mapToInt(Integer::intValue).toArray();
    alwaysNeeds = needs.toArray(Field[][]::new);
    directRules = direct.stream().mapToInt(Integer::intValue).toArray();
    directAtoms = directs.toArray(Cond[][]::new);
  }

  /**
   * Of a field's atom needles: null when none is a substring needle (the field has no substring
   * automaton), else whether the substring automaton keeps its shift table.
   */
  private static Boolean insideShiftable(java.util.Set<String> needles) {
    Boolean shift = null;
    for (String n : needles) {
      if (n.charAt(0) != FieldAutomaton.BEGIN && n.charAt(n.length() - 1) != FieldAutomaton.END) {
        shift = (shift == null || shift) && FieldAutomaton.keepsShiftTable(n);
      }
    }
    return shift;
  }

  private static Map<String, int[]> freeze(Map<String, List<Integer>> m) {
    Map<String, int[]> frozen = new LinkedHashMap<>();
    m.forEach((k, v) -> frozen.put(k, v.stream().mapToInt(Integer::intValue).distinct().toArray()));
    return frozen;
  }

  /** The rule numbers of a needle, each once, in first-seen order. */
  private static int[] distinct(List<Integer> rules) {
    int[] out = new int[rules.size()];
    int n = 0;
    for (int r : rules) {
      boolean seen = false;
      for (int i = 0; i < n && !seen; i++) {
        seen = out[i] == r;
      }
      if (!seen) {
        out[n++] = r;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** A suffix needle {@code s END} as the anchored needle {@code BEGIN reverse(s)}. */
  static String reverseSuffix(String needle) {
    StringBuilder sb = new StringBuilder(needle.length());
    sb.append(FieldAutomaton.BEGIN);
    for (int i = needle.length() - 2; i >= 0; i--) {
      sb.append(needle.charAt(i));
    }
    return sb.toString();
  }

  /** The automaton text of a needle: anchored with BEGIN/END by kind. */
  static String needleText(ValueTest.Str k) {
    return switch (k.kind()) {
      case EXACT -> FieldAutomaton.BEGIN + k.needle() + FieldAutomaton.END;
      case PREFIX -> FieldAutomaton.BEGIN + k.needle();
      case SUFFIX -> k.needle() + FieldAutomaton.END;
      default -> k.needle();
    };
  }

  /** Marks the candidate rules of an event in a cleared bit set of {@link #words} words. */
  void candidates(MatchContext ctx, long[] bits) {
    for (int f = 0; f < fields.length; f++) {
      Object v = fields[f].get(ctx);
      if (v == null) {
        continue;
      }
      FieldAutomaton[] as = automata[f];
      ValueMemo memo = memos[f];
      if (v instanceof String s && s.length() <= ValueMemo.MAX_LENGTH && memo.on()) {
        int[] known = memo.get(s);
        if (known == null) {
          long[] own = ctx.memoBits(allWords);
          for (int i = 0; i < as.length; i++) {
            as[i].scan(s, reversed[f][i], own);
          }
          known = ctx.setBits(own, allWords);
          memo.put(s, known);
        }
        for (int r : known) {
          bits[r >>> 6] |= 1L << r;
        }
      } else {
        for (int i = 0; i < as.length; i++) {
          probe(as[i], reversed[f][i], v, ctx, bits);
        }
      }
    }
    if (keywordAutomaton != null) {
      Event e = ctx.event;
      int traits = e.rawTraits();
      // JSON parsed from bytes: searched there, without decoding the text
      if (traits < 0
          || keywordScanner == null
          || !keywordScanner.scan(e.rawBytes(), e.rawOffset(), e.rawLength(), traits, bits)) {
        String raw = e.raw();
        if (!isJsonObject(raw)
            || !((keywordScanner != null && keywordScanner.scan(raw, bits))
                || keywordAutomaton.scanJson(raw, bits))) {
          // Not JSON text (values come from elsewhere), or a number spelt differently from its
          // value text: every keyword rule is a candidate.
          for (int r : keywordRules) {
            bits[r >>> 6] |= 1L << r;
          }
        }
      }
    }
    for (int i = 0; i < alwaysRules.length; i++) {
      int r = alwaysRules[i];
      Field[] need = alwaysNeeds[i];
      if (need == null || anyPresent(need, ctx)) {
        bits[r >>> 6] |= 1L << r;
      }
    }
    for (int i = 0; i < directRules.length; i++) {
      int r = directRules[i];
      if ((bits[r >>> 6] & (1L << r)) == 0) {
        for (Cond a : directAtoms[i]) {
          if (a.eval(ctx)) {
            bits[r >>> 6] |= 1L << r;
            break;
          }
        }
      }
    }
  }

  private static boolean isJsonObject(String raw) {
    if (raw == null) {
      return false;
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '{') {
        return true;
      }
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\uFEFF') {
        return false;
      }
    }
    return false;
  }

  private static boolean anyPresent(Field[] need, MatchContext ctx) {
    for (Field f : need) {
      if (f.get(ctx) != null) {
        return true;
      }
    }
    return false;
  }

  private static void probe(
      FieldAutomaton a, boolean reversed, Object v, MatchContext ctx, long[] bits) {
    if (v instanceof String s) {
      a.scan(s, reversed, bits);
    } else if (v instanceof Long l) {
      a.scan(l, ctx.digits, reversed, bits);
    } else if (v instanceof List<?> list) {
      for (Object e : list) {
        if (e != null && !(e instanceof List<?>)) {
          probe(a, reversed, e, ctx, bits);
        }
      }
    } else if (v != Event.NULL) {
      a.scan(ValueTest.text(v), reversed, bits);
    }
  }

  /** For measurements: rules, indexed fields, always and direct rules, automaton size. */
  String stats() {
    long bytes = 0;
    int states = 0;
    for (FieldAutomaton[] as : automata) {
      for (FieldAutomaton a : as) {
        bytes += a.bytes();
        states += a.states();
      }
    }
    return rules.length
        + " rules, "
        + fields.length
        + " indexed fields, "
        + alwaysRules.length
        + " always, "
        + directRules.length
        + " with direct atoms, "
        + keywordRules.length
        + " with keyword atoms, "
        + Arrays.stream(answers).filter(java.util.Objects::nonNull).count()
        + " field items answered by the automata, "
        + states
        + " automaton states ("
        + bytes / 1024
        + " KiB)"
        + (keywordScanner == null ? "" : "\n      keyword anchors: " + keywordScanner.describe())
        + "\n      value memos (hits/lookups of the trial): "
        + java.util.stream.IntStream.range(0, fields.length)
            .mapToObj(
                f ->
                    fields[f].name
                        + " "
                        + memos[f].stats()
                        + Arrays.stream(automata[f]).map(FieldAutomaton::describe).toList())
            .collect(java.util.stream.Collectors.joining(", "))
        + Arrays.stream(alwaysRules)
            .mapToObj(
                r -> "\n      always: " + rules[r].rule.logsource() + " " + rules[r].rule.title())
            .collect(java.util.stream.Collectors.joining());
  }

  long bytes() {
    long b = 0;
    for (FieldAutomaton[] as : automata) {
      for (FieldAutomaton a : as) {
        b += a.bytes();
      }
    }
    return b;
  }
}
