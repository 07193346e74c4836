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
  private final RuleLoader.Compiled[] byIndex;
  // Products whose mapping says which events are theirs (e.g. Windows event logs): rules without a
  // mapping entry for another product are not evaluated on such events.
  private final String[] claimProducts;
  private final Cond[] claimConds;
  // Routing: the fields that the gates and claims read (null: some gate reads more than fields, so
  // gates are evaluated on every event); a cache from their values to the event's bucket.
  private final Field[] routeFields;
  // Route fields that gates only test for presence ({@code |exists}): keyed by presence, not value.
  private final boolean[] presenceOnly;
  private final RouteCache routeCache = new RouteCache();
  private final Map<BucketKey, Bucket> buckets = new ConcurrentHashMap<>();
  private final boolean hasUngated;

  /** Which gates passed and which product claimed the event: identifies a bucket. */
  private record BucketKey(List<Long> passed, int claimed) {}

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
    this.byIndex = compiled.toArray(RuleLoader.Compiled[]::new);
    Set<Field> routed = new LinkedHashSet<>();
    Set<Field> present = new LinkedHashSet<>();
    boolean routable = true;
    for (Group g : groups) {
      routable &= g.gate == null || readFields(g.gate, routed, present);
    }
    for (Cond c : claimConds) {
      routable &= readFields(c, routed, present);
    }
    present.removeAll(routed);
    if (routable) {
      List<Field> all = new ArrayList<>(routed);
      all.addAll(present);
      this.routeFields = all.toArray(Field[]::new);
      this.presenceOnly = new boolean[routeFields.length];
      for (int i = routed.size(); i < routeFields.length; i++) {
        presenceOnly[i] = true;
      }
    } else {
      this.routeFields = null;
      this.presenceOnly = null;
    }
    routed.addAll(present);
    boolean ungated = false;
    for (int gi = 0; gi < groups.length; gi++) {
      ungated |= groups[gi].gate == null;
      for (RuleLoader.Compiled c : groups[gi].rules) {
        c.group = gi;
      }
    }
    this.hasUngated = ungated;
    for (int r = 0; r < byIndex.length; r++) {
      RuleLoader.Compiled c = byIndex[r];
      c.index = r;
      c.productId = -1;
      for (int p = 0; p < claimProducts.length; p++) {
        if (claimProducts[p].equalsIgnoreCase(c.rule.logsource().product())) {
          c.productId = p;
        }
      }
      Set<Field> need = necessary(c.cond);
      c.need = need == null ? null : need.toArray(Field[]::new);
      List<Cond.FieldMatch> atoms = AtomIndex.necessary(c.cond, routed);
      c.atoms = atoms == null || atoms.isEmpty() ? null : atoms.toArray(Cond.FieldMatch[]::new);
    }
    this.schema = schema;
    this.rules = rules;
    this.groups = groups;
    this.byRule = byRule;
    this.groupOf = groupOf;
    this.fields = fields;
  }

  /**
   * Adds the fields whose values a condition reads, and those it only tests for presence; false
   * when it also reads something else (keywords).
   */
  private static boolean readFields(Cond c, Set<Field> values, Set<Field> presence) {
    return switch (c) {
      case Cond.FieldMatch f -> values.add(f.field()) || true;
      case Cond.Exists e -> presence.add(e.field()) || true;
      case Cond.FieldRef r -> values.add(r.field()) | values.add(r.other()) || true;
      case Cond.Named n -> readFields(n.inner(), values, presence);
      case Cond.Not n -> readFields(n.inner(), values, presence);
      case Cond.Const k -> true;
      case Cond.Keywords k -> false;
      case Cond.And a -> {
        boolean ok = true;
        for (Cond p : a.parts()) {
          ok &= readFields(p, values, presence);
        }
        yield ok;
      }
      case Cond.Or o -> {
        boolean ok = true;
        for (Cond p : o.parts()) {
          ok &= readFields(p, values, presence);
        }
        yield ok;
      }
    };
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
    Cond.forEachLeaf(
        c,
        leaf -> {
          if (!(leaf instanceof Cond.Keywords k)) {
            return;
          }
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
        });
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
    MatchContext ctx = begin(event);
    try {
      Bucket bucket = route(ctx);
      RuleLoader.Compiled[] rs = bucket.rules;
      if (rs.length == 0) {
        return NONE;
      }
      long[] bits = ctx.bucketBits(bucket.allWords);
      bucket.candidates(ctx, bits);
      List<Detection> out = NONE;
      ctx.answers = bucket.answers;
      ctx.answersFrom = bucket.answersFrom;
      ctx.answerBits = bits;
      for (int w = 0; w < bucket.words; w++) {
        long word = bits[w];
        while (word != 0) {
          int i = (w << 6) + Long.numberOfTrailingZeros(word);
          word &= word - 1;
          RuleLoader.Compiled c = rs[i];
          if (c.cond.eval(ctx)) {
            if (out == NONE) {
              out = new ArrayList<>(2);
            }
            out.add(new Detection(c.rule, event));
          }
        }
      }
      return out == NONE ? NONE : Collections.unmodifiableList(out);
    } finally {
      ctx.answers = null;
      ctx.answerBits = null;
      ctx.event = null;
    }
  }

  /**
   * For benchmarks and diagnostics: routing only. The number of rules whose log source the event
   * belongs to (its bucket); no field value is probed and no rule evaluated.
   */
  public int routeSize(Event event) {
    MatchContext ctx = begin(event);
    try {
      return route(ctx).rules.length;
    } finally {
      ctx.event = null;
    }
  }

  /**
   * For benchmarks and diagnostics: routing and candidate lookup. The number of rules that {@link
   * #match} would evaluate in full on the event; no rule is evaluated.
   */
  public int candidateCount(Event event) {
    MatchContext ctx = begin(event);
    try {
      Bucket bucket = route(ctx);
      long[] bits = ctx.bucketBits(bucket.allWords);
      bucket.candidates(ctx, bits);
      int n = 0;
      for (int w = 0; w < bucket.words; w++) {
        n += Long.bitCount(bits[w]);
      }
      return n;
    } finally {
      ctx.event = null;
    }
  }

  /**
   * The reference semantics, for tests and benchmarks: every rule's log-source gate and full
   * condition evaluated on the event, one rule after the other, with no routing, no prefilter and
   * no index (keywords are searched value by value). Gives the same detections as {@link #match},
   * only slower.
   */
  public List<Detection> matchNaive(Event event) {
    MatchContext ctx = begin(event);
    ctx.keywords = null;
    List<Detection> out = NONE;
    int claimed = claim(ctx);
    for (RuleLoader.Compiled c : byIndex) {
      Cond gate = groups[c.group].gate;
      boolean applies = gate == null ? claimed < 0 || c.productId == claimed : gate.eval(ctx);
      if (applies && c.cond.eval(ctx)) {
        if (out == NONE) {
          out = new ArrayList<>(2);
        }
        out.add(new Detection(c.rule, event));
      }
    }
    ctx.event = null;
    return out == NONE ? NONE : Collections.unmodifiableList(out);
  }

  /** The bucket of the rules whose log source the event belongs to. */
  Bucket route(MatchContext ctx) {
    Object[] values = null;
    int hash = 0;
    if (routeFields != null) {
      values = ctx.routeValues;
      if (values.length != routeFields.length) {
        values = ctx.routeValues = new Object[routeFields.length];
      }
      for (int i = 0; i < routeFields.length; i++) {
        Object v = routeFields[i].get(ctx);
        if (v != null && presenceOnly[i]) {
          v = Boolean.TRUE;
        }
        values[i] = v;
        hash = hash * 31 + (v == null ? 0 : v.hashCode());
      }
      Bucket b = routeCache.get(values, hash);
      if (b != null) {
        return b;
      }
    }
    long[] passed = new long[(groups.length + 63) >>> 6];
    for (int g = 0; g < groups.length; g++) {
      if (groups[g].gate != null && groups[g].gate.eval(ctx)) {
        passed[g >>> 6] |= 1L << g;
      }
    }
    int claimed = hasUngated ? claim(ctx) : -1;
    List<Long> key = new ArrayList<>(passed.length);
    for (long w : passed) {
      key.add(w);
    }
    BucketKey bk = new BucketKey(key, claimed);
    Bucket b = buckets.get(bk);
    if (b == null) {
      b = buckets.computeIfAbsent(bk, k -> buildBucket(passed, claimed));
    }
    if (values != null) {
      routeCache.put(values.clone(), hash, b);
    }
    return b;
  }

  private Bucket buildBucket(long[] passed, int claimed) {
    List<RuleLoader.Compiled> in = new ArrayList<>();
    for (RuleLoader.Compiled c : byIndex) {
      Group g = groups[c.group];
      if (g.gate == null
          ? claimed < 0 || c.productId == claimed
          : (passed[c.group >>> 6] & (1L << c.group)) != 0) {
        in.add(c);
      }
    }
    return new Bucket(in.toArray(RuleLoader.Compiled[]::new));
  }

  /**
   * For measurements: which kind of event this is to the engine — the bucket it routes to, named by
   * the log source most of its rules have and its rule count (e.g. {@code "product=windows
   * category=process_creation (1,596 rules)"}); events with the same label share one candidate
   * index.
   */
  public String routeLabel(Event event) {
    MatchContext ctx = begin(event);
    Bucket b;
    try {
      b = route(ctx);
    } finally {
      ctx.event = null;
    }
    if (b.rules.length == 0) {
      return "(no rules)";
    }
    java.util.Map<String, Integer> sources = new java.util.HashMap<>();
    String top = null;
    int most = 0;
    for (RuleLoader.Compiled c : b.rules) {
      String source = c.rule.logsource().toString();
      int n = sources.merge(source, 1, Integer::sum);
      if (n > most) {
        most = n;
        top = source;
      }
    }
    return String.format(
        java.util.Locale.ROOT,
        "%s (%,d rule%s)",
        top,
        b.rules.length,
        b.rules.length == 1 ? "" : "s");
  }

  /** Matching with the prefilters off (every rule evaluated in full), for tests. */
  List<Detection> matchUnfiltered(Event event) {
    return matchNaive(event);
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

  /**
   * For measurements and benchmarks: how the rules were analysed (rules without atoms, rules with
   * atoms evaluated directly), the routing fields, and each bucket built so far (its rules, indexed
   * fields and automaton size). The text is for people; its form may change.
   */
  public String indexStats() {
    int noAtoms = 0;
    int direct = 0;
    for (RuleLoader.Compiled c : byIndex) {
      if (c.atoms == null) {
        noAtoms++;
      } else {
        for (Cond.FieldMatch a : c.atoms) {
          if (AtomIndex.keys(a) == null) {
            direct++;
            break;
          }
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append(byIndex.length)
        .append(" rules: ")
        .append(noAtoms)
        .append(" without atoms (always evaluated in their bucket), ")
        .append(direct)
        .append(" with an atom evaluated directly; route fields ")
        .append(
            routeFields == null
                ? "none (gates evaluated per event)"
                : java.util.Arrays.stream(routeFields).map(f -> f.name).toList().toString())
        .append("; ")
        .append(buckets.size())
        .append(" buckets built");
    long bytes = 0;
    for (Bucket b : buckets.values()) {
      bytes += b.bytes();
      sb.append("\n    ").append(b.stats());
    }
    sb.insert(0, "automata " + bytes / 1024 + " KiB; ");
    return sb.toString();
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
