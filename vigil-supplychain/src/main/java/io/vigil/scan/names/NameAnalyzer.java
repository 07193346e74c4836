package io.vigil.scan.names;

import io.vigil.scan.Ecosystem;
import io.vigil.scan.Finding;
import io.vigil.scan.PackageRef;
import io.vigil.scan.ScoreCategory;
import io.vigil.scan.Severity;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Name checks that need no package contents: typosquatting against the ecosystem's popular names
 * (look-alike characters, separator swaps, scope confusion, affix noise such as {@code -js} or
 * {@code python-}, and edit distance scaled by name length) and dependency-confusion shapes
 * (internal-looking names at suspiciously high versions). Popular names themselves are never
 * flagged, so two popular names never raise an alarm about each other. Thread-safe.
 *
 * <pre>{@code
 * List<Finding> f = NameAnalyzer.defaults().analyze(Ecosystem.NPM, "electorn"); // imitates electron
 * }</pre>
 */
public final class NameAnalyzer {
  /** Names shorter than this get no edit-distance check (too many neighbours). */
  static final int MIN_LENGTH_DISTANCE_1 = 5;

  /** Names at least this long are checked at edit distance 2. */
  static final int MIN_LENGTH_DISTANCE_2 = 9;

  /** A major version at or above this (and below 1000, which is CalVer) is suspicious. */
  static final int HIGH_MAJOR_VERSION = 90;

  /**
   * Only targets ranked within this are searched at edit distance 2, and separator-only look-alikes
   * of them are HIGH: two edits away from an obscure name is mostly coincidence.
   */
  static final int DISTANCE_2_MAX_RANK = 1000;

  /** One edit away from a target ranked beyond this is LOW (unless letters are swapped). */
  static final int MEDIUM_RANK = 5000;

  /** Targets ranked within this are the most imitated: findings against them rank one higher. */
  static final int TOP_RANK = 500;

  private static final List<String> PREFIX_NOISE =
      List.of("python-", "python3-", "py-", "py", "node-", "js-", "lib", "lib-", "the-", "real-");

  private static final List<String> SUFFIX_NOISE =
      List.of(
          "-js",
          ".js",
          "js",
          "-node",
          "-python",
          "-py",
          "py",
          "-lib",
          "-dev",
          "-pkg",
          "-sdk",
          "-official",
          "-latest",
          "2",
          "3",
          "-api");

  private static final Set<String> INTERNAL_TOKENS =
      Set.of("internal", "private", "corp", "corporate", "intranet", "proprietary", "inhouse");

  private static volatile NameAnalyzer defaults;

  private final Map<Ecosystem, PopularNames> popular;

  private NameAnalyzer(Map<Ecosystem, PopularNames> popular) {
    this.popular = popular;
  }

  /** The analyzer over the popular-name lists shipped in this jar (npm and PyPI). */
  public static NameAnalyzer defaults() {
    NameAnalyzer d = defaults;
    if (d == null) {
      synchronized (NameAnalyzer.class) {
        d = defaults;
        if (d == null) {
          Map<Ecosystem, PopularNames> m = new EnumMap<>(Ecosystem.class);
          m.put(Ecosystem.NPM, PopularNames.load(Ecosystem.NPM, "npm-popular.txt"));
          m.put(Ecosystem.PYPI, PopularNames.load(Ecosystem.PYPI, "pypi-popular.txt"));
          d = new NameAnalyzer(m);
          defaults = d;
        }
      }
    }
    return d;
  }

  /** An analyzer over given popular names, most popular first (for tests and custom lists). */
  public static NameAnalyzer of(Map<Ecosystem, List<String>> popularNames) {
    Map<Ecosystem, PopularNames> m = new EnumMap<>(Ecosystem.class);
    popularNames.forEach((e, names) -> m.put(e, new PopularNames(e, names)));
    return new NameAnalyzer(m);
  }

  /** True when the name is on the ecosystem's popular list. */
  public boolean isPopular(Ecosystem ecosystem, String name) {
    PopularNames p = popular.get(ecosystem);
    return p != null && p.contains(PopularNames.key(ecosystem, name));
  }

  /** Typosquatting findings for a name (no version needed); empty for popular names. */
  public List<Finding> analyze(Ecosystem ecosystem, String name) {
    return analyze(ecosystem, name, "", "", 0);
  }

  /**
   * Typosquatting findings, plus dependency-confusion findings when {@code version} is not empty
   * (the shape of {@code PackageIntel}: {@code names::analyze}).
   */
  public List<Finding> analyze(Ecosystem ecosystem, String name, String version) {
    return analyze(ecosystem, name, version, "", 0);
  }

  /**
   * Typosquatting and dependency-confusion findings for a listed package; the findings point at the
   * lockfile line in {@link PackageRef#source()}.
   */
  public List<Finding> analyze(PackageRef ref) {
    String source = ref.source();
    String file = source;
    int line = 0;
    int colon = source.lastIndexOf(':');
    if (colon > 0 && colon < source.length() - 1) {
      String tail = source.substring(colon + 1);
      if (tail.chars().allMatch(Character::isDigit) && tail.length() < 10) {
        file = source.substring(0, colon);
        line = Integer.parseInt(tail);
      }
    }
    return analyze(ref.ecosystem(), ref.name(), ref.version(), file, line);
  }

  private List<Finding> analyze(
      Ecosystem ecosystem, String name, String version, String file, int line) {
    Objects.requireNonNull(ecosystem, "ecosystem");
    Objects.requireNonNull(name, "name");
    List<Finding> out = new ArrayList<>();
    PopularNames p = popular.get(ecosystem);
    String key = PopularNames.key(ecosystem, name);
    boolean isPopular = p != null && p.contains(key);
    if (p != null && !isPopular && !key.isEmpty()) {
      Finding t = typosquat(p, name, key, file, line);
      if (t != null) {
        out.add(t);
      }
    }
    if (!isPopular && !version.isEmpty()) {
      Finding d = dependencyConfusion(p, ecosystem, name, key, version, file, line);
      if (d != null) {
        out.add(d);
      }
    }
    return out;
  }

  // ---- typosquatting -----------------------------------------------------------------------

  private Finding typosquat(PopularNames p, String name, String key, String file, int line) {
    String eco = p.ecosystem.osvName();
    // 1. look-alike characters, separator swaps, scope marks: same skeleton as a popular name
    String skel = PopularNames.skeleton(key);
    String target = p.bySkeleton.get(skel);
    if (target != null && skel.length() >= 3) {
      String how = describeSkeletonMatch(key, target);
      Severity sev =
          how.startsWith("look-alike")
              ? Severity.HIGH
              : how.startsWith("scope")
                  ? Severity.MEDIUM
                  : p.rankOf(target) <= DISTANCE_2_MAX_RANK ? Severity.HIGH : Severity.MEDIUM;
      return finding(
          p,
          name,
          target,
          sev,
          how,
          file,
          line,
          "A name that differs from a popular "
              + eco
              + " package only by "
              + how
              + " is a classic typosquat: installing it by mistake runs someone else's code.");
    }
    // 2. npm scope confusion: @other/x imitating the popular unscoped x
    if (key.startsWith("@") && key.indexOf('/') > 0) {
      String scope = key.substring(0, key.indexOf('/'));
      String bare = key.substring(key.indexOf('/') + 1);
      if (!scope.equals("@types")
          && !p.scopes.contains(scope)
          && p.contains(bare)
          && p.rankOf(bare) <= 2000
          && bare.length() >= 4) {
        return finding(
            p,
            name,
            bare,
            Severity.LOW,
            "a scope added to the popular name '" + bare + "'",
            file,
            line,
            "A scoped copy of a popular package's name can be mistaken for it; make sure this"
                + " scope is one you trust.");
      }
    }
    // 3. edit distance scaled by length
    int len = key.length();
    int max = len >= MIN_LENGTH_DISTANCE_2 ? 2 : len >= MIN_LENGTH_DISTANCE_1 ? 1 : 0;
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    long qmask = PopularNames.mask(key);
    for (int l = len - max; l <= len + max && max > 0; l++) {
      List<String> cands = p.byLength.getOrDefault(l, List.of());
      long[] masks = p.masksByLength.get(l);
      for (int i = 0; i < cands.size(); i++) {
        if (Long.bitCount(qmask & ~masks[i]) > max || Long.bitCount(masks[i] & ~qmask) > max) {
          continue;
        }
        String cand = cands.get(i);
        int limit = p.rankOf(cand) <= DISTANCE_2_MAX_RANK ? max : 1;
        int d = Distance.osa(key, cand, limit);
        if (d > limit) {
          continue;
        }
        if (d <= max
            && (d < bestDistance || (d == bestDistance && p.rankOf(cand) < p.rankOf(best)))) {
          best = cand;
          bestDistance = d;
        }
      }
    }
    if (best != null && !numericVariant(key, best)) {
      int rank = p.rankOf(best);
      String how = Distance.describe(key, best, bestDistance);
      Severity sev;
      if (bestDistance == 1 && trailingDigitOnly(key, best)) {
        sev = Severity.LOW; // jinjasql2, uproot3: usually a numbered fork, sometimes a squat
      } else if (bestDistance == 1) {
        sev =
            rank <= TOP_RANK || how.startsWith("two letters swapped")
                ? Severity.HIGH
                : rank <= MEDIUM_RANK ? Severity.MEDIUM : Severity.LOW;
      } else {
        sev = Severity.LOW;
      }
      return finding(
          p,
          name,
          best,
          sev,
          how,
          file,
          line,
          "A name one or two keystrokes away from a popular "
              + eco
              + " package is how typosquats catch mistyped installs.");
    }
    // 4. affix noise: python-requests, lodash-js
    for (String pre : PREFIX_NOISE) {
      if (key.startsWith(pre) && hit(p, key.substring(pre.length()))) {
        String t = PopularNames.key(p.ecosystem, key.substring(pre.length()));
        return noise(p, name, t, "the prefix '" + pre + "'", file, line);
      }
    }
    for (String suf : SUFFIX_NOISE) {
      if (key.endsWith(suf) && hit(p, key.substring(0, key.length() - suf.length()))) {
        String t = PopularNames.key(p.ecosystem, key.substring(0, key.length() - suf.length()));
        return noise(p, name, t, "the suffix '" + suf + "'", file, line);
      }
    }
    return null;
  }

  /** {@code lodash4} vs {@code lodash3}: numbered series are usually real siblings, not squats. */
  private static boolean numericVariant(String a, String b) {
    int i = 0;
    while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    int ea = a.length();
    int eb = b.length();
    while (ea > i && eb > i && a.charAt(ea - 1) == b.charAt(eb - 1)) {
      ea--;
      eb--;
    }
    String ra = a.substring(i, ea);
    String rb = b.substring(i, eb);
    return !ra.isEmpty()
        && !rb.isEmpty()
        && ra.chars().allMatch(Character::isDigit)
        && rb.chars().allMatch(Character::isDigit);
  }

  /** {@code a} is {@code b} plus or minus one trailing digit. */
  private static boolean trailingDigitOnly(String a, String b) {
    String longer = a.length() > b.length() ? a : b;
    String shorter = a.length() > b.length() ? b : a;
    return longer.length() == shorter.length() + 1
        && longer.startsWith(shorter)
        && Character.isDigit(longer.charAt(longer.length() - 1));
  }

  private static boolean hit(PopularNames p, String rest) {
    String k = PopularNames.key(p.ecosystem, rest);
    return k.length() >= 4 && p.contains(k);
  }

  private Finding noise(
      PopularNames p, String name, String target, String how, String file, int line) {
    Severity sev = p.rankOf(target) <= TOP_RANK ? Severity.MEDIUM : Severity.LOW;
    return finding(
        p,
        name,
        target,
        sev,
        how + " added to the popular name '" + target + "'",
        file,
        line,
        "Typosquats often decorate a popular name with words like 'python-' or '-js' so the"
            + " package looks official.");
  }

  private static String describeSkeletonMatch(String key, String target) {
    String k = key.replaceAll("[-_.@/]", "");
    String t = target.replaceAll("[-_.@/]", "");
    if (k.equals(t)) {
      return target.startsWith("@") || key.startsWith("@")
          ? "scope or separator characters ('" + target + "')"
          : "separator characters ('-', '_', '.')";
    }
    return "look-alike characters (such as 1/l, 0/o, rn/m)";
  }

  private static Finding finding(
      PopularNames p,
      String name,
      String target,
      Severity severity,
      String how,
      String file,
      int line,
      String why) {
    int rank = p.rankOf(target);
    String evidence =
        "'"
            + name
            + "' imitates the popular "
            + p.ecosystem.osvName()
            + " package '"
            + target
            + "' (rank "
            + rank
            + "): "
            + how;
    return new Finding(
        "typosquat", ScoreCategory.SUPPLY_CHAIN, severity, file, line, evidence, why);
  }

  // ---- dependency confusion ----------------------------------------------------------------

  private Finding dependencyConfusion(
      PopularNames p,
      Ecosystem ecosystem,
      String name,
      String key,
      String version,
      String file,
      int line) {
    int major = leadingNumber(version);
    if (major < HIGH_MAJOR_VERSION || major >= 1000) {
      return null;
    }
    String reason = null;
    for (String token : key.split("[-_./@:]+")) {
      if (INTERNAL_TOKENS.contains(token)) {
        reason = "the name contains '" + token + "'";
        break;
      }
    }
    if (reason == null && key.startsWith("corp")) {
      reason = "the name starts with 'corp'";
    }
    if (reason == null
        && ecosystem == Ecosystem.NPM
        && key.startsWith("@")
        && key.indexOf('/') > 0
        && p != null
        && !p.scopes.contains(key.substring(0, key.indexOf('/')))) {
      reason = "its scope " + key.substring(0, key.indexOf('/')) + " has no popular public package";
    }
    if (reason == null) {
      return null;
    }
    return new Finding(
        "dependency-confusion",
        ScoreCategory.SUPPLY_CHAIN,
        Severity.HIGH,
        file,
        line,
        "'"
            + name
            + "' "
            + version
            + ": internal-looking ("
            + reason
            + ") at major version "
            + major,
        "Dependency-confusion attacks publish an organisation's internal package name on the public"
            + " registry with a very high version, so installers prefer it over the private one;"
            + " check that this package comes from your private registry.");
  }

  private static int leadingNumber(String version) {
    String v = version.trim().toLowerCase(Locale.ROOT);
    if (v.startsWith("v")) {
      v = v.substring(1);
    }
    int i = 0;
    while (i < v.length() && i < 9 && Character.isDigit(v.charAt(i))) {
      i++;
    }
    return i == 0 ? -1 : Integer.parseInt(v.substring(0, i));
  }
}
