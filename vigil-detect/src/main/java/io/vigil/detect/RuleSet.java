package io.vigil.detect;

import io.vigil.event.Event;
import io.vigil.event.FieldSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A compiled, immutable set of Sigma rules: load once, then {@link #match} events from any number
 * of threads.
 *
 * <p>Rules are grouped by the log-source conditions that gate them (from the mapping files); per
 * event each distinct log-source condition is evaluated once, and only the rules under the sources
 * that matched are evaluated. Rules whose log source has no mapping entry form one ungated group.
 * Field values are read through precomputed slots of {@link #schema()}; parse events with {@code
 * new JsonEventParser(ruleSet.schema())}.
 */
public final class RuleSet {
  private static final List<Detection> NONE = List.of();
  private static final ThreadLocal<MatchContext> CONTEXT =
      ThreadLocal.withInitial(MatchContext::new);

  /** Rules sharing one log-source gate (null gate: always evaluated). */
  private record Group(Cond gate, String description, RuleLoader.Compiled[] rules) {}

  private final FieldSchema schema;
  private final List<Rule> rules;
  private final Group[] groups;
  private final Map<Rule, RuleLoader.Compiled> byRule;
  private final Map<Rule, Group> groupOf;
  private final Field[] fields;
  private final Map<FieldSchema, int[]> foreign = new ConcurrentHashMap<>();
  private final KeywordIndex keywords;

  private RuleSet(
      FieldSchema schema,
      List<Rule> rules,
      Group[] groups,
      Map<Rule, RuleLoader.Compiled> byRule,
      Map<Rule, Group> groupOf,
      Field[] fields,
      KeywordIndex keywords) {
    this.keywords = keywords;
    this.schema = schema;
    this.rules = rules;
    this.groups = groups;
    this.byRule = byRule;
    this.groupOf = groupOf;
    this.fields = fields;
  }

  /**
   * Loads and compiles rules from files and folders (recursively, {@code *.yml} and {@code
   * *.yaml}). Never throws for a bad rule: each problem is reported in the result and the other
   * rules load.
   */
  public static LoadResult load(List<Path> paths, LoadOptions options) {
    Objects.requireNonNull(paths, "paths");
    Objects.requireNonNull(options, "options");
    RuleLoader loader = new RuleLoader(options);
    loader.load(paths);
    loader.summarizeUnmapped();

    // Gates: each distinct combination of mapping entries is compiled and evaluated once.
    Map<Mappings.Source, Cond> entryConds = new IdentityHashMap<>();
    Map<List<Mappings.Source>, List<RuleLoader.Compiled>> bySources = new LinkedHashMap<>();
    for (RuleLoader.Compiled c : loader.compiled) {
      bySources.computeIfAbsent(c.sources, k -> new ArrayList<>()).add(c);
    }
    List<Group> groups = new ArrayList<>();
    Map<Rule, Group> groupOf = new IdentityHashMap<>();
    Set<Mappings.Source> failed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Map.Entry<List<Mappings.Source>, List<RuleLoader.Compiled>> e : bySources.entrySet()) {
      Cond gate = null;
      StringBuilder desc = new StringBuilder();
      if (!e.getKey().isEmpty()) {
        List<Cond> parts = new ArrayList<>();
        for (Mappings.Source s : e.getKey()) {
          Cond c = entryConds.get(s);
          if (c == null && !failed.contains(s)) {
            try {
              DetectionCompiler dc =
                  new DetectionCompiler(
                      loader.mappings.resolver(s.logSource(), List.of()),
                      options.placeholders(),
                      options.limits(),
                      loader.interned);
              c = dc.compile(s.detection(), Set.of());
              entryConds.put(s, c);
            } catch (RuleException ex) {
              failed.add(s);
              loader.errors.add(
                  new RuleProblem(
                      s.file(),
                      ex.line,
                      "",
                      "mapping entry " + s.logSource() + ": " + ex.getMessage()));
            }
          }
          parts.add(c == null ? new Cond.Const(false) : c);
          desc.append(desc.isEmpty() ? "" : " and ").append(s.logSource());
        }
        gate = parts.size() == 1 ? parts.get(0) : new Cond.And(parts.toArray(Cond[]::new));
      }
      Group g =
          new Group(
              gate,
              desc.isEmpty() ? "no log-source mapping" : desc.toString(),
              e.getValue().toArray(RuleLoader.Compiled[]::new));
      groups.add(g);
      for (RuleLoader.Compiled c : e.getValue()) {
        groupOf.put(c.rule, g);
      }
    }

    LinkedHashSet<String> allPaths = new LinkedHashSet<>();
    List<Field> fields = new ArrayList<>(loader.mappings.fields());
    for (Field f : fields) {
      allPaths.addAll(f.paths);
    }
    FieldSchema schema = FieldSchema.of(allPaths);
    for (Field f : fields) {
      f.slots = f.paths.stream().mapToInt(schema::slot).toArray();
    }
    List<Rule> rules = new ArrayList<>();
    Map<Rule, RuleLoader.Compiled> byRule = new IdentityHashMap<>();
    Map<String, Path> ids = new java.util.HashMap<>();
    for (RuleLoader.Compiled c : loader.compiled) {
      rules.add(c.rule);
      byRule.put(c.rule, c);
      if (!c.rule.id().isEmpty()) {
        Path first = ids.putIfAbsent(c.rule.id(), c.rule.file());
        if (first != null) {
          loader.warnings.add(
              new RuleProblem(
                  c.rule.file(),
                  0,
                  c.rule.id(),
                  "rule id is also used by " + first + "; give each rule its own id"));
        }
      }
    }
    KeywordIndex index = new KeywordIndex();
    for (RuleLoader.Compiled c : loader.compiled) {
      indexKeywords(c.cond, index);
    }
    if (index.size() > 0) {
      index.build();
    }
    RuleSet set =
        new RuleSet(
            schema,
            List.copyOf(rules),
            groups.toArray(Group[]::new),
            byRule,
            groupOf,
            fields.toArray(Field[]::new),
            index.size() > 0 ? index : null);
    java.util.Comparator<RuleProblem> order =
        java.util.Comparator.comparing(
                (RuleProblem p) -> p.file() == null ? "" : p.file().toString())
            .thenComparingInt(RuleProblem::line);
    loader.errors.sort(order);
    loader.warnings.sort(order);
    return new LoadResult(set, loader.total, loader.errors, loader.warnings);
  }

  private static void indexKeywords(Cond c, KeywordIndex index) {
    switch (c) {
      case Cond.And a -> {
        for (Cond p : a.parts()) {
          indexKeywords(p, index);
        }
      }
      case Cond.Or o -> {
        for (Cond p : o.parts()) {
          indexKeywords(p, index);
        }
      }
      case Cond.Not n -> indexKeywords(n.inner(), index);
      case Cond.Named n -> indexKeywords(n.inner(), index);
      case Cond.Keywords k -> {
        for (int i = 0; i < k.tests().length; i++) {
          if (k.tests()[i] instanceof ValueTest.Str s
              && s.kind() == ValueTest.Str.Kind.CONTAINS
              && !s.cased()) {
            k.ids()[i] = index.add(s.needle());
          }
        }
      }
      default -> {}
    }
  }

  /** Every event path that a compiled rule or log-source condition reads. */
  public FieldSchema schema() {
    return schema;
  }

  public List<Rule> rules() {
    return rules;
  }

  /** The rules that fire on the event, in load order; an empty shared list when none does. */
  public List<Detection> match(Event event) {
    MatchContext ctx = begin(event);
    List<Detection> out = NONE;
    for (Group g : groups) {
      if (g.gate != null && !g.gate.eval(ctx)) {
        continue;
      }
      for (RuleLoader.Compiled c : g.rules) {
        if (c.cond.eval(ctx)) {
          if (out == NONE) {
            out = new ArrayList<>(2);
          }
          out.add(new Detection(c.rule, event));
        }
      }
    }
    ctx.event = null;
    return out == NONE ? NONE : Collections.unmodifiableList(out);
  }

  private MatchContext begin(Event event) {
    MatchContext ctx = CONTEXT.get();
    ctx.reset(event, schema.size());
    ctx.keywords = keywords;
    ctx.slotMap =
        event.schema() == schema ? null : foreign.computeIfAbsent(event.schema(), this::translate);
    return ctx;
  }

  private int[] translate(FieldSchema other) {
    int[] map = new int[schema.size()];
    for (int i = 0; i < map.length; i++) {
      map[i] = other.slot(schema.paths().get(i));
    }
    return map;
  }

  /** Why a rule fires on an event or not: the log-source gate, then each selection and field. */
  public Explanation explain(Rule rule, Event event) {
    RuleLoader.Compiled c = byRule.get(rule);
    if (c == null) {
      throw new IllegalArgumentException(
          "rule '"
              + rule.title()
              + "' ("
              + rule.id()
              + ") is not part of this rule set; explain"
              + " rules from rules()");
    }
    Group g = groupOf.get(rule);
    MatchContext ctx = begin(event);
    try {
      return Explanation.of(rule, g.gate, g.description, c.cond, ctx);
    } finally {
      ctx.event = null;
    }
  }

  int fieldCount() {
    return fields.length;
  }
}
