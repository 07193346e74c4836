package io.vigil.detect;

import java.util.List;

/** A compiled condition tree: selections inlined, evaluated against one event. */
sealed interface Cond {
  boolean eval(MatchContext ctx);

  Cond TRUE = new Const(true);

  /** Visits every leaf of a tree (each node that is not And, Or, Not or Named), depth first. */
  static void forEachLeaf(Cond c, java.util.function.Consumer<Cond> visit) {
    switch (c) {
      case And a -> {
        for (Cond p : a.parts()) {
          forEachLeaf(p, visit);
        }
      }
      case Or o -> {
        for (Cond p : o.parts()) {
          forEachLeaf(p, visit);
        }
      }
      case Not n -> forEachLeaf(n.inner(), visit);
      case Named n -> forEachLeaf(n.inner(), visit);
      default -> visit.accept(c);
    }
  }

  record Const(boolean value) implements Cond {
    @Override
    public boolean eval(MatchContext ctx) {
      return value;
    }
  }

  record And(Cond[] parts) implements Cond {
    @Override
    public boolean eval(MatchContext ctx) {
      for (Cond c : parts) {
        if (!c.eval(ctx)) {
          return false;
        }
      }
      return true;
    }
  }

  record Or(Cond[] parts) implements Cond {
    @Override
    public boolean eval(MatchContext ctx) {
      for (Cond c : parts) {
        if (c.eval(ctx)) {
          return true;
        }
      }
      return false;
    }
  }

  record Not(Cond inner) implements Cond {
    @Override
    public boolean eval(MatchContext ctx) {
      return !inner.eval(ctx);
    }
  }

  /** A named search identifier (selection), kept for explanations. */
  record Named(String name, Cond inner) implements Cond {
    @Override
    public boolean eval(MatchContext ctx) {
      return inner.eval(ctx);
    }
  }

  /**
   * One field item of a selection: the field's value (any element of a multi-valued field) tested
   * against the values, OR-ed ({@code all}: AND-ed); {@code neq} negates for a present field.
   * {@code acceptsMissing}: a {@code null} value in the rule also matches a missing field.
   */
  record FieldMatch(
      Field field,
      ValueTest[] tests,
      boolean all,
      boolean neq,
      boolean acceptsMissing,
      String op,
      StrIndex index,
      int id)
      implements Cond {
    // Ids of field items, unique in this JVM: a bucket finds its answers for an item by its id.
    private static final java.util.concurrent.atomic.AtomicInteger IDS =
        new java.util.concurrent.atomic.AtomicInteger();

    FieldMatch(
        Field field,
        ValueTest[] tests,
        boolean all,
        boolean neq,
        boolean acceptsMissing,
        String op) {
      this(
          field,
          tests,
          all,
          neq,
          acceptsMissing,
          op,
          StrIndex.of(tests, all),
          IDS.getAndIncrement());
    }

    @Override
    public boolean eval(MatchContext ctx) {
      Object v = field.get(ctx);
      if (v == null) {
        return !neq && acceptsMissing;
      }
      boolean m = matches(v, ctx.lastSlot, ctx);
      return neq ? !m : m;
    }

    boolean matches(Object v, int slot, MatchContext ctx) {
      if (v instanceof String s) {
        int[][] answers = ctx.answers;
        int k = id - ctx.answersFrom;
        if (answers != null && k >= 0 && k < answers.length && answers[k] != null) {
          return answered(answers[k], s, slot, ctx);
        }
        if (index != null) {
          Boolean m = index.matches(s, slot, ctx);
          if (m != null) {
            return m;
          }
        }
      }
      if (all) {
        for (ValueTest t : tests) {
          if (!one(t, v, slot, ctx)) {
            return false;
          }
        }
        return true;
      }
      for (ValueTest t : tests) {
        if (one(t, v, slot, ctx)) {
          return true;
        }
      }
      return false;
    }

    /**
     * The tests on a string value the bucket's automata already read: a test with a bit (its needle
     * was found in the value) is answered by that bit, the others are evaluated.
     */
    private boolean answered(int[] bitOf, String s, int slot, MatchContext ctx) {
      long[] bits = ctx.answerBits;
      for (int i = 0; i < tests.length; i++) {
        int b = bitOf[i];
        boolean m = b >= 0 ? (bits[b >>> 6] & (1L << b)) != 0 : tests[i].test(s, slot, ctx);
        if (m != all) {
          return m;
        }
      }
      return all;
    }

    private static boolean one(ValueTest t, Object v, int slot, MatchContext ctx) {
      if (v instanceof List<?> list) {
        if (list.isEmpty()) {
          return t instanceof ValueTest.Null;
        }
        for (Object e : list) {
          if (t.test(e, -1, ctx)) {
            return true;
          }
        }
        return false;
      }
      return t.test(v, slot, ctx);
    }
  }

  /** {@code field|exists: true/false}. */
  record Exists(Field field, boolean expected) implements Cond {
    @Override
    public boolean eval(MatchContext ctx) {
      return (field.get(ctx) != null) == expected;
    }
  }

  /** {@code field|fieldref: other}: compares two fields of the same event. */
  record FieldRef(Field field, Field other, String mode, boolean cased, boolean neq)
      implements Cond {
    @Override
    public boolean eval(MatchContext ctx) {
      Object a = field.get(ctx);
      Object b = other.get(ctx);
      if (a == null || b == null) {
        return false;
      }
      boolean m = false;
      for (Object x : values(a)) {
        for (Object y : values(b)) {
          if (compare(ValueTest.text(x), ValueTest.text(y))) {
            m = true;
          }
        }
      }
      return neq ? !m : m;
    }

    private static List<?> values(Object v) {
      return v instanceof List<?> l ? l : List.of(v);
    }

    private boolean compare(String x, String y) {
      if (!cased) {
        x = x.toLowerCase(java.util.Locale.ROOT);
        y = y.toLowerCase(java.util.Locale.ROOT);
      }
      return switch (mode) {
        case "startswith" -> x.startsWith(y);
        case "endswith" -> x.endsWith(y);
        case "contains" -> x.contains(y);
        default -> x.equals(y);
      };
    }
  }

  /**
   * Field-less (keyword) search: any string value of the event; {@code all}: every keyword. {@code
   * ids} holds each test's id in the rule set's {@link KeywordIndex}, or -1 to test value by value;
   * {@code guards} the id of a literal part the test needs (checked first), or -1.
   */
  record Keywords(ValueTest[] tests, boolean all, int[] ids, int[] guards) implements Cond {
    @Override
    public boolean eval(MatchContext ctx) {
      List<String> values = null;
      List<String> lower = null;
      for (int k = 0; k < tests.length; k++) {
        boolean any;
        if (ids[k] >= 0 && ctx.keywords != null) {
          any = ctx.keywordFound(ids[k]);
        } else if (guards[k] >= 0 && ctx.keywords != null && !ctx.keywordFound(guards[k])) {
          any = false; // a literal part the keyword needs occurs nowhere in the event
        } else {
          if (values == null) {
            values = ctx.keywordValues();
            lower = ctx.keywordLower();
          }
          ValueTest t = tests[k];
          any = false;
          for (int i = 0; i < values.size() && !any; i++) {
            any =
                t instanceof ValueTest.Str s
                    ? s.testText(values.get(i), lower.get(i))
                    : t.test(values.get(i), -1, ctx);
          }
        }
        if (all && !any) {
          return false;
        }
        if (!all && any) {
          return true;
        }
      }
      return all;
    }
  }
}
