package io.vigil.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The case-insensitive exact, prefix, suffix and substring tests of one field item ({@code
 * Image|endswith:} with 300 names, {@code ContextInfo|contains:} with 8 paths), answered for a
 * string value by at most three {@link FieldAutomaton} passes (exact and prefix needles read from
 * the value's start, suffix needles from its end, substring needles over the value) instead of one
 * test per needle on a lower-cased copy: the value is neither lower-cased nor read once per needle.
 * Built on the item's {@value #BUILD_AFTER}th evaluation (items evaluated rarely do not pay for
 * it); the item's other tests (globs, cased, regexes, numbers …) are still evaluated one by one.
 */
final class StrIndex {
  /** String tests of an item from which it gets an index. */
  static final int MIN_TESTS = 4;

  /** Evaluations of an item before its index is built. */
  static final int BUILD_AFTER = 8;

  /** Dense transition cells per automaton at most (ints): small tables, sparse deeper states. */
  static final int DENSE_CELLS = 1 << 14;

  private final ValueTest[] tests;
  private int evaluations;
  private volatile Built built;

  /** The automata, and the tests they do not answer. */
  private record Built(FieldAutomaton[] automata, boolean[] reversed, ValueTest[] rest) {}

  private StrIndex(ValueTest[] tests) {
    this.tests = tests;
  }

  /** An index for an OR of tests, or null when too few of them can use one. */
  static StrIndex of(ValueTest[] tests, boolean all) {
    if (all) {
      return null;
    }
    int n = 0;
    for (ValueTest t : tests) {
      if (indexable(t)) {
        n++;
      }
    }
    return n >= MIN_TESTS ? new StrIndex(tests) : null;
  }

  /** A case-insensitive exact, prefix, suffix or substring test: what an automaton answers. */
  static boolean indexable(ValueTest t) {
    return t instanceof ValueTest.Str s
        && !s.cased()
        && s.kind() != ValueTest.Str.Kind.GLOB
        && (s.kind() == ValueTest.Str.Kind.EXACT || !s.needle().isEmpty());
  }

  /**
   * Whether one of the tests holds for a string value; null when the index is not built yet (the
   * caller then evaluates the tests one by one).
   */
  Boolean matches(String value, int slot, MatchContext ctx) {
    Built b = built;
    if (b == null) {
      if (++evaluations < BUILD_AFTER) {
        return null;
      }
      b = build();
    }
    long[] bits = ctx.testBits;
    bits[0] = 0;
    FieldAutomaton[] as = b.automata;
    for (int i = 0; i < as.length; i++) {
      as[i].scan(value, b.reversed[i], bits);
      if (bits[0] != 0) {
        return Boolean.TRUE;
      }
    }
    for (ValueTest t : b.rest) {
      if (t.test(value, slot, ctx)) {
        return Boolean.TRUE;
      }
    }
    return Boolean.FALSE;
  }

  private synchronized Built build() {
    Built b = built;
    if (b != null) {
      return b;
    }
    Map<String, int[]> needles = new LinkedHashMap<>();
    List<ValueTest> rest = new ArrayList<>();
    int[] mark = {0};
    for (ValueTest t : tests) {
      if (indexable(t)) {
        needles.put(Bucket.needleText((ValueTest.Str) t), mark);
      } else {
        rest.add(t);
      }
    }
    NeedleAutomata split = NeedleAutomata.of(needles, DENSE_CELLS);
    b = new Built(split.automata(), split.reversed(), rest.toArray(ValueTest[]::new));
    built = b;
    return b;
  }
}
