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
  private record Group(Cond gate, String description, RuleLoader.Compiled[] rules, int[] ids) {}

  private final FieldSchema schema;
  private final List<Rule> rules;
  private final Group[] groups;
  private final Map<Rule, RuleLoader.Compiled> byRule;
  private final Map<Rule, Group> groupOf;
  private final Field[] fields;
  private final Map<FieldSchema, int[]> foreign = new ConcurrentHashMap<>();
  private final KeywordIndex keywords;
  // Prefilter: a rule can only fire when one of the slots it needs is present (null: always
  // evaluate); rulesBySlot lists, per schema slot, the rules that need it.
  private final int[][] rulesBySlot;
  private final boolean[] always;
  // Per rule, as bit sets over rule indexes: no atom set (passes the value prefilter), some atoms
  // that are evaluated directly; and per atom, the rules that list it.
  private final long[] noAtoms;
  private final long[] alwaysBits;
  private final long[] hasDirect;
  private final int[][] rulesByAtom;
  private final int[] productOf;
  private final RuleLoader.Compiled[] byIndex;
  private final int ruleCount;
  private final AtomIndex atoms;
  // Products whose mapping says which events are theirs (e.g. Windows event logs): rules without a
  // mapping entry for another product are not evaluated on such events.
  private final String[] claimProducts;
  private final Cond[] claimConds;

  private RuleSet(
      FieldSchema schema,
      List<Rule> rules,
      Group[] groups,
      Map<Rule, RuleLoader.Compiled> byRule,
      Map<Rule, Group> groupOf,
      Field[] fields,
      KeywordIndex keywords,
      List<RuleLoader.Compiled> compiled,
      String[] claimProducts,
      Cond[] claimConds) {
    this.keywords = keywords;
    this.claimProducts = claimProducts;
    this.claimConds = claimConds;
    this.ruleCount = compiled.size();
    this.always = new boolean[ruleCount];
    List<List<Integer>> bySlot = new ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      bySlot.add(new ArrayList<>());
    }
    for (int r = 0; r < compiled.size(); r++) {
      RuleLoader.Compiled c = compiled.get(r);
      c.index = r;
      c.productId = -1;
      for (int p = 0; p < claimProducts.length; p++) {
        if (claimProducts[p].equalsIgnoreCase(c.rule.logsource().product())) {
          c.productId = p;
        }
      }
      Set<Field> need = necessary(c.cond);
      if (need == null) {
        always[r] = true;
        continue;
      }
      Set<Integer> slots = new java.util.TreeSet<>();
      for (Field f : need) {
        for (int slot : f.slots) {
          slots.add(slot);
        }
      }
      for (int slot : slots) {
        bySlot.get(slot).add(r);
      }
    }
    this.atoms = new AtomIndex();
    int words = (ruleCount + 63) >>> 6;
    this.noAtoms = new long[words];
    this.alwaysBits = new long[words];
    for (int r = 0; r < ruleCount; r++) {
      if (always[r]) {
        alwaysBits[r >>> 6] |= 1L << r;
      }
    }
    this.hasDirect = new long[words];
    this.productOf = new int[ruleCount];
    this.byIndex = compiled.toArray(RuleLoader.Compiled[]::new);
    for (RuleLoader.Compiled c : compiled) {
      productOf[c.index] = c.productId;
      AtomIndex.Atom[] as = atoms.atomsOf(c.cond);
      if (as == null) {
        noAtoms[c.index >>> 6] |= 1L << c.index;
      } else {
        c.indexedAtoms =
            java.util.Arrays.stream(as)
                .filter(AtomIndex.Atom::indexed)
                .mapToInt(AtomIndex.Atom::id)
                .toArray();
        c.directAtoms =
            java.util.Arrays.stream(as)
                .filter(a -> !a.indexed())
                .map(AtomIndex.Atom::cond)
                .toArray(Cond[]::new);
        if (c.directAtoms.length > 0) {
          hasDirect[c.index >>> 6] |= 1L << c.index;
        }
      }
    }
    atoms.build();
    List<List<Integer>> byAtom = new ArrayList<>();
    for (int a = 0; a < atoms.size(); a++) {
      byAtom.add(new ArrayList<>());
    }
    for (RuleLoader.Compiled c : compiled) {
      if (c.indexedAtoms != null) {
        for (int id : c.indexedAtoms) {
          byAtom.get(id).add(c.index);
        }
      }
    }
    this.rulesByAtom = new int[byAtom.size()][];
    for (int a = 0; a < byAtom.size(); a++) {
      rulesByAtom[a] = byAtom.get(a).stream().mapToInt(Integer::intValue).distinct().toArray();
    }
    this.rulesBySlot = new int[bySlot.size()][];
    for (int i = 0; i < bySlot.size(); i++) {
      rulesBySlot[i] = bySlot.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
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
    for (int i = 0; i < loader.compiled.size(); i++) {
      loader.compiled.get(i).index = i;
    }
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
              e.getValue().toArray(RuleLoader.Compiled[]::new),
              e.getValue().stream().mapToInt(c -> c.index).toArray());
      groups.add(g);
      for (RuleLoader.Compiled c : e.getValue()) {
        groupOf.put(c.rule, g);
      }
    }

    List<String> claimProducts = new ArrayList<>();
    List<Cond> claimConds = new ArrayList<>();
    for (Map.Entry<String, Mappings.ProductFields> e : loader.mappings.products.entrySet()) {
      Mappings.ProductFields pf = e.getValue();
      if (pf.claim == null) {
        continue;
      }
      try {
        DetectionCompiler dc =
            new DetectionCompiler(
                loader.mappings.resolver(new LogSource(e.getKey(), null, null), List.of()),
                options.placeholders(),
                options.limits(),
                loader.interned);
        claimConds.add(dc.compile(pf.claim, Set.of()));
        claimProducts.add(e.getKey());
      } catch (RuleException ex) {
        loader.errors.add(
            new RuleProblem(
                pf.claimFile,
                ex.line,
                "",
                "mapping detection of product " + e.getKey() + ": " + ex.getMessage()));
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
            index.size() > 0 ? index : null,
            loader.compiled,
            claimProducts.toArray(String[]::new),
            claimConds.toArray(Cond[]::new));
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
          if (k.tests()[i] instanceof ValueTest.Str s && !s.cased()) {
            if (s.kind() == ValueTest.Str.Kind.CONTAINS) {
              k.ids()[i] = index.add(s.needle());
            } else {
              String literal = longestLiteral(s.needle());
              if (literal.length() >= 3) {
                k.guards()[i] = index.add(literal);
              }
            }
          }
        }
      }
      default -> {}
    }
  }

  /** The longest run of a pattern without wildcards. */
  static String longestLiteral(String pattern) {
    String best = "";
    int start = 0;
    for (int i = 0; i <= pattern.length(); i++) {
      if (i == pattern.length()
          || pattern.charAt(i) == Pattern.ANY
          || pattern.charAt(i) == Pattern.ONE) {
        if (i - start > best.length()) {
          best = pattern.substring(start, i);
        }
        start = i + 1;
      }
    }
    return best;
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
    return match(event, true);
  }

  /** Matching with the prefilters off (every rule of a passing gate is evaluated), for tests. */
  List<Detection> matchUnfiltered(Event event) {
    return match(event, false);
  }

  private List<Detection> match(Event event, boolean prefilter) {
    MatchContext ctx = begin(event);
    List<Detection> out = NONE;
    long[] ready = null;
    long[] present = null;
    if (prefilter) {
      // ready: rules whose needed fields are present and which have no atoms or a holding
      // indexed atom; rules only missing a direct atom are checked one by one below.
      present = candidates(ctx);
      long[] atomBits = ctx.atomBits(atoms.size());
      atoms.probe(ctx, atomBits);
      ready = ctx.readyBits(noAtoms.length);
      for (int w = 0; w < atomBits.length; w++) {
        long word = atomBits[w];
        while (word != 0) {
          int a = (w << 6) + Long.numberOfTrailingZeros(word);
          word &= word - 1;
          for (int r : rulesByAtom[a]) {
            ready[r >>> 6] |= 1L << r;
          }
        }
      }
      for (int w = 0; w < noAtoms.length; w++) {
        ready[w] = (ready[w] | noAtoms[w]) & present[w];
      }
    }
    int claimed = -2;
    for (Group g : groups) {
      if (g.gate != null && !g.gate.eval(ctx)) {
        continue;
      }
      if (g.gate == null && claimed == -2) {
        claimed = claim(ctx);
      }
      int[] ids = g.ids;
      for (int i = 0; i < ids.length; i++) {
        int r = ids[i];
        long bit = 1L << r;
        if (ready != null && (ready[r >>> 6] & bit) == 0) {
          if ((hasDirect[r >>> 6] & bit) == 0
              || (present[r >>> 6] & bit) == 0
              || !anyDirect(byIndex[r], ctx)) {
            continue;
          }
        }
        if (g.gate == null && claimed >= 0 && productOf[r] != claimed) {
          continue;
        }
        RuleLoader.Compiled c = g.rules[i];
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

  private static boolean anyDirect(RuleLoader.Compiled c, MatchContext ctx) {
    for (Cond a : c.directAtoms) {
      if (a.eval(ctx)) {
        return true;
      }
    }
    return false;
  }

  /** The first product whose mapping claims the event, or -1. */
  private int claim(MatchContext ctx) {
    for (int i = 0; i < claimConds.length; i++) {
      if (claimConds[i].eval(ctx)) {
        return i;
      }
    }
    return -1;
  }

  /** The rules one of whose needed fields is present in the event, as a bit set. */
  private long[] candidates(MatchContext ctx) {
    long[] bits = ctx.candidates(ruleCount);
    for (int slot = 0; slot < rulesBySlot.length; slot++) {
      int[] rs = rulesBySlot[slot];
      if (rs.length == 0 || !ctx.present(slot, schema)) {
        continue;
      }
      for (int r : rs) {
        bits[r >>> 6] |= 1L << r;
      }
    }
    for (int w = 0; w < alwaysBits.length; w++) {
      bits[w] |= alwaysBits[w];
    }
    return bits;
  }

  /**
   * Fields of which at least one must be present for the condition to hold, or null when it can
   * hold with every field missing (a negation, {@code null} values, keywords, {@code exists:
   * false}).
   */
  static Set<Field> necessary(Cond c) {
    return switch (c) {
      case Cond.FieldMatch f -> f.acceptsMissing() ? null : Set.of(f.field());
      case Cond.Exists e -> e.expected() ? Set.of(e.field()) : null;
      case Cond.FieldRef r -> Set.of(r.field());
      case Cond.Named n -> necessary(n.inner());
      case Cond.Const k -> k.value() ? null : Set.of();
      case Cond.Not n -> null;
      case Cond.Keywords k -> null;
      case Cond.And a -> {
        Set<Field> best = null;
        for (Cond p : a.parts()) {
          Set<Field> s = necessary(p);
          if (s != null && (best == null || s.size() < best.size())) {
            best = s;
          }
        }
        yield best;
      }
      case Cond.Or o -> {
        Set<Field> all = new java.util.HashSet<>();
        for (Cond p : o.parts()) {
          Set<Field> s = necessary(p);
          if (s == null) {
            yield null;
          }
          all.addAll(s);
        }
        yield all;
      }
    };
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
      if (g.gate == null) {
        int claimed = claim(ctx);
        if (claimed >= 0 && c.productId != claimed) {
          return Explanation.of(
              rule,
              new Cond.Const(false),
              "no mapping entry for this log source, and the event belongs to product "
                  + claimProducts[claimed]
                  + " (its mapping's detection matched)",
              c.cond,
              ctx);
        }
      }
      return Explanation.of(rule, g.gate, g.description, c.cond, ctx);
    } finally {
      ctx.event = null;
    }
  }

  /** For measurements: how many rules bypass the prefilter. */
  String prefilterStats() {
    java.util.Map<String, Integer> leaves = new java.util.HashMap<>();
    int[] total = {0};
    for (RuleLoader.Compiled c : byRule.values()) {
      countLeaves(c.cond, leaves, total);
    }
    int n = 0;
    StringBuilder sample = new StringBuilder();
    for (int i = 0; i < always.length; i++) {
      if (always[i]) {
        n++;
        if (n <= 15) {
          sample
              .append("\n    ")
              .append(rules.get(i).logsource())
              .append(' ')
              .append(rules.get(i).title());
        }
      }
    }
    return n
        + " of "
        + always.length
        + " rules always evaluated; field items: "
        + total[0]
        + " total, "
        + leaves.size()
        + " distinct; "
        + atoms.stats()
        + (keywords == null
            ? ""
            : "; keyword automaton " + keywords.tableSize() * 4 / 1024 + " KiB")
        + sample;
  }

  private static void countLeaves(Cond c, java.util.Map<String, Integer> leaves, int[] total) {
    switch (c) {
      case Cond.And a -> {
        for (Cond p : a.parts()) {
          countLeaves(p, leaves, total);
        }
      }
      case Cond.Or o -> {
        for (Cond p : o.parts()) {
          countLeaves(p, leaves, total);
        }
      }
      case Cond.Not n -> countLeaves(n.inner(), leaves, total);
      case Cond.Named n -> countLeaves(n.inner(), leaves, total);
      case Cond.FieldMatch f -> {
        total[0]++;
        leaves.merge(
            System.identityHashCode(f.field())
                + java.util.Arrays.toString(f.tests())
                + f.all()
                + f.neq(),
            1,
            Integer::sum);
      }
      default -> {}
    }
  }

  int fieldCount() {
    return fields.length;
  }
}
