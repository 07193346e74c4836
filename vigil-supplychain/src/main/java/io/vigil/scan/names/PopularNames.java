package io.vigil.scan.names;

import io.vigil.scan.Ecosystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The popular names of one ecosystem, in rank order, indexed for the checks {@link NameAnalyzer}
 * makes: exact lookup, a "skeleton" form (separators, scope marks and look-alike characters
 * folded), and buckets by length for edit-distance search.
 */
final class PopularNames {
  final Ecosystem ecosystem;
  final List<String> names;
  final Map<String, Integer> rank = new HashMap<>();
  final Map<String, String> bySkeleton = new HashMap<>();
  final Map<Integer, List<String>> byLength = new HashMap<>();
  final Map<Integer, long[]> masksByLength = new HashMap<>();
  final Set<String> scopes = new HashSet<>();

  PopularNames(Ecosystem ecosystem, List<String> names) {
    this.ecosystem = ecosystem;
    List<String> keys = new ArrayList<>();
    for (String n : names) {
      String k = key(ecosystem, n);
      if (k.isEmpty() || rank.containsKey(k)) {
        continue;
      }
      rank.put(k, keys.size() + 1);
      keys.add(k);
      bySkeleton.putIfAbsent(skeleton(k), k);
      byLength.computeIfAbsent(k.length(), x -> new ArrayList<>()).add(k);
      if (k.startsWith("@") && k.indexOf('/') > 0) {
        scopes.add(k.substring(0, k.indexOf('/')));
      }
    }
    this.names = List.copyOf(keys);
    byLength.forEach(
        (len, list) -> {
          long[] masks = new long[list.size()];
          for (int i = 0; i < masks.length; i++) {
            masks[i] = mask(list.get(i));
          }
          masksByLength.put(len, masks);
        });
  }

  /**
   * Which characters a name uses, one bit each (a–z, 0–9, the rest folded): an edit changes at most
   * one character into a new one, so names at edit distance k differ in at most k bits each way.
   */
  static long mask(String s) {
    long m = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int bit;
      if (c >= 'a' && c <= 'z') {
        bit = c - 'a';
      } else if (c >= '0' && c <= '9') {
        bit = 26 + (c - '0');
      } else {
        bit = 36 + (c % 27);
      }
      m |= 1L << bit;
    }
    return m;
  }

  static PopularNames load(Ecosystem e, String resource) {
    List<String> names = new ArrayList<>();
    try (InputStream in = PopularNames.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the resource " + resource + " is missing from the vigil-supplychain jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        String t = line.trim();
        if (!t.isEmpty() && !t.startsWith("#")) {
          names.add(t);
        }
      }
    } catch (IOException ex) {
      throw new UncheckedIOException("could not read " + resource, ex);
    }
    return new PopularNames(e, names);
  }

  /** The comparison key: lower case; PEP 503 for PyPI. */
  static String key(Ecosystem e, String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return e == Ecosystem.PYPI ? n.replaceAll("[-_.]+", "-") : n;
  }

  /**
   * The skeleton: separators ({@code - _ .}), scope marks ({@code @ /}) removed and look-alikes
   * folded ({@code 1→l}, {@code 0→o}, {@code rn→m}, {@code vv→w}), so {@code lodahs}'s neighbours
   * aside, {@code l0dash}, {@code lo-dash} and {@code @lodash/} forms all meet {@code lodash}.
   */
  static String skeleton(String key) {
    StringBuilder b = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      switch (c) {
        case '-', '_', '.', '@', '/' -> {}
        case '1', '!', '|' -> b.append('l');
        case '0' -> b.append('o');
        default -> b.append(c);
      }
    }
    return b.toString().replace("rn", "m").replace("vv", "w");
  }

  boolean contains(String key) {
    return rank.containsKey(key);
  }

  int rankOf(String key) {
    return rank.getOrDefault(key, Integer.MAX_VALUE);
  }
}
