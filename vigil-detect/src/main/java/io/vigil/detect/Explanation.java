package io.vigil.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Why a rule fires on an event or not: whether the event passed the rule's log-source gate, then
 * each search identifier (selection) with each field item: the value seen, where it was found, what
 * was expected and whether it matched.
 */
public final class Explanation {
  /** One field item (or keyword list) of a selection. */
  public record Item(String field, String path, String seen, String expected, boolean matched) {}

  /** One search identifier: whether it matched, and its items. */
  public record Selection(String name, boolean matched, List<Item> items) {
    public Selection {
      items = List.copyOf(items);
    }
  }

  private final Rule rule;
  private final boolean gatePassed;
  private final String gate;
  private final boolean conditionMatched;
  private final List<Selection> selections;

  private Explanation(
      Rule rule,
      boolean gatePassed,
      String gate,
      boolean conditionMatched,
      List<Selection> selections) {
    this.rule = rule;
    this.gatePassed = gatePassed;
    this.gate = gate;
    this.conditionMatched = conditionMatched;
    this.selections = List.copyOf(selections);
  }

  static Explanation of(Rule rule, Cond gate, String gateDescription, Cond cond, MatchContext ctx) {
    boolean gatePassed = gate == null || gate.eval(ctx);
    boolean matched = cond.eval(ctx);
    List<Selection> selections = new ArrayList<>();
    collect(cond, ctx, selections);
    return new Explanation(rule, gatePassed, gateDescription, matched, selections);
  }

  private static void collect(Cond c, MatchContext ctx, List<Selection> out) {
    switch (c) {
      case Cond.Named n -> {
        for (Selection s : out) {
          if (s.name().equals(n.name())) {
            return;
          }
        }
        List<Item> items = new ArrayList<>();
        items(n.inner(), ctx, items);
        out.add(new Selection(n.name(), n.eval(ctx), items));
      }
      case Cond.And a -> {
        for (Cond p : a.parts()) {
          collect(p, ctx, out);
        }
      }
      case Cond.Or o -> {
        for (Cond p : o.parts()) {
          collect(p, ctx, out);
        }
      }
      case Cond.Not n -> collect(n.inner(), ctx, out);
      default -> {}
    }
  }

  private static void items(Cond c, MatchContext ctx, List<Item> out) {
    switch (c) {
      case Cond.And a -> {
        for (Cond p : a.parts()) {
          items(p, ctx, out);
        }
      }
      case Cond.Or o -> {
        for (Cond p : o.parts()) {
          items(p, ctx, out);
        }
      }
      case Cond.Not n -> items(n.inner(), ctx, out);
      case Cond.Named n -> items(n.inner(), ctx, out);
      case Cond.FieldMatch f -> {
        StringBuilder exp = new StringBuilder(f.neq() ? "none of " : f.all() ? "all of " : "");
        if (f.tests().length > 1 && exp.isEmpty()) {
          exp.append("any of ");
        }
        for (int i = 0; i < f.tests().length; i++) {
          exp.append(i == 0 ? "" : ", ").append(f.tests()[i].describe());
        }
        out.add(
            new Item(
                f.op(),
                f.field().foundPath(ctx),
                seen(f.field(), ctx),
                exp.toString(),
                f.eval(ctx)));
      }
      case Cond.Exists e ->
          out.add(
              new Item(
                  e.field().name + "|exists",
                  e.field().foundPath(ctx),
                  seen(e.field(), ctx),
                  e.expected() ? "present" : "missing",
                  e.eval(ctx)));
      case Cond.FieldRef r ->
          out.add(
              new Item(
                  r.field().name + "|fieldref",
                  r.field().foundPath(ctx),
                  seen(r.field(), ctx),
                  (r.neq() ? "not " : "")
                      + r.mode()
                      + " the value of "
                      + r.other().name
                      + " ("
                      + seen(r.other(), ctx)
                      + ")",
                  r.eval(ctx)));
      case Cond.Keywords k -> {
        StringBuilder exp = new StringBuilder(k.all() ? "all of " : "any of ");
        for (int i = 0; i < k.tests().length; i++) {
          exp.append(i == 0 ? "" : ", ").append(k.tests()[i].describe());
        }
        out.add(
            new Item("(keywords)", null, "any value of the event", exp.toString(), k.eval(ctx)));
      }
      case Cond.Const k -> {}
    }
  }

  private static String seen(Field f, MatchContext ctx) {
    Object v = f.get(ctx);
    if (v == null) {
      return "(missing; looked at " + String.join(", ", f.paths) + ")";
    }
    String s = v instanceof String str ? "'" + str + "'" : String.valueOf(v);
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  /** Whether the rule fires: the log-source gate passed and the condition matched. */
  public boolean fires() {
    return gatePassed && conditionMatched;
  }

  public Rule rule() {
    return rule;
  }

  /** Whether the event belongs to the rule's log source (true when the source has no mapping). */
  public boolean logSourceMatched() {
    return gatePassed;
  }

  public boolean conditionMatched() {
    return conditionMatched;
  }

  public List<Selection> selections() {
    return selections;
  }

  /** A multi-line, human-readable account. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(rule.title())
        .append(" (")
        .append(rule.id())
        .append("): ")
        .append(fires() ? "FIRES" : "does not fire")
        .append('\n');
    sb.append("  log source ")
        .append(rule.logsource())
        .append(": ")
        .append(gatePassed ? "matched" : "NOT matched")
        .append(" [")
        .append(gate)
        .append("]\n");
    sb.append("  condition: ").append(conditionMatched ? "true" : "false").append('\n');
    for (Selection s : selections) {
      sb.append("  ").append(s.matched() ? "[x] " : "[ ] ").append(s.name()).append('\n');
      for (Item i : s.items()) {
        sb.append("      ")
            .append(i.matched() ? "ok  " : "no  ")
            .append(i.field())
            .append(": seen ")
            .append(i.seen());
        if (i.path() != null) {
          sb.append(" at ").append(i.path());
        }
        sb.append("; expected ").append(i.expected()).append('\n');
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return render();
  }
}
