package io.vigil.detect;

import io.vigil.event.Event;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds keyword needles (lower-case ASCII substrings) anywhere in an event's raw JSON text without
 * walking it character by character: each needle is written as JSON spells it ({@code \} as {@code
 * \\}, {@code "} as {@code \"}) and gets an anchor, its rarest character in Windows event JSON; the
 * text is searched for the anchors with {@link String#indexOf(int, int)} (vectorized by the JVM)
 * and each hit is checked against the needles of that anchor, ignoring ASCII case. This is exact
 * for JSON written with the usual escapes; when a text holds escapes that spell characters
 * differently (an escaped slash, a backslash-u escape) or characters whose lower case is ASCII (the
 * Kelvin sign, the dotted capital I), {@link #scan} answers false and the caller falls back to
 * {@link FieldAutomaton#scanJson}, which decodes every character.
 */
final class KeywordScanner {
  // Printable ASCII from most to least frequent in OTRF Windows event JSON.
  private static final String BY_FREQUENCY =
      "A\"e\\t0nsro:acidB2lw m-,SE31uCgT4Q5I8bF.6Dp9vy7OGMRPhUHNfjkY=WxL+K|VZJ{}();X@$_z[]/%q'&?#!*<>~^`";

  /**
   * Needles sharing one anchor (a character in one case, or two characters that are not letters),
   * with the anchor's offset in each.
   */
  private record Anchor(String text, String[] needles, int[] offsets, int[][] rules) {}

  // Character pairs that JSON text itself is full of (structure, escaped backslashes): never
  // anchors.
  private static final java.util.Set<String> COMMON_PAIRS =
      java.util.Set.of(
          "\":", ":\"", "\",", ",\"", "{\"", "\"}", "\\\\", "\\\"", ": ", ", ", " \"", "\" ", "[\"",
          "\"]", "--", "  ", ". ", " -", "- ");

  private final Anchor[] anchors;
  // Whether some needle holds a '/': only then can an escaped slash hide one.
  private final boolean slash;

  private KeywordScanner(Anchor[] anchors, boolean slash) {
    this.anchors = anchors;
    this.slash = slash;
  }

  /**
   * A scanner for the needles, or null when one cannot be handled this way (a control or non-ASCII
   * character, or a needle of number characters only, whose value text may differ from the JSON
   * spelling of a number).
   */
  static KeywordScanner of(Map<String, int[]> needles) {
    Map<String, List<Object[]>> byAnchor = new LinkedHashMap<>();
    List<Object[]> chosen = new ArrayList<>();
    for (Map.Entry<String, int[]> e : needles.entrySet()) {
      String needle = e.getKey();
      StringBuilder json = new StringBuilder();
      boolean numeric = true;
      for (int i = 0; i < needle.length(); i++) {
        char c = needle.charAt(i);
        if (c < 0x20 || c >= 0x7f) {
          return null;
        }
        numeric &= "0123456789.-+e".indexOf(c) >= 0;
        if (c == '\\' || c == '"') {
          json.append('\\');
        }
        json.append(c);
      }
      if (numeric || json.isEmpty()) {
        return null;
      }
      String spelt = json.toString();
      int best = 0;
      int bestRank = -1;
      String anchor = null;
      for (int i = 0; i < spelt.length(); i++) {
        int rank = rarity(spelt.charAt(i));
        if (rank > bestRank) {
          best = i;
          bestRank = rank;
          anchor = spelt.substring(i, i + 1);
        }
      }
      // Two characters without letters (so one search covers both cases), e.g. "::", are rarer
      // than any single character unless JSON's own structure is made of them.
      for (int i = 0; i + 1 < spelt.length(); i++) {
        String pair = spelt.substring(i, i + 2);
        if (!Character.isLetter(pair.charAt(0))
            && !Character.isLetter(pair.charAt(1))
            && !Character.isDigit(pair.charAt(0))
            && !Character.isDigit(pair.charAt(1))
            && !COMMON_PAIRS.contains(pair)) {
          best = i;
          anchor = pair;
          break;
        }
      }
      chosen.add(new Object[] {spelt, best, e.getValue(), anchor});
    }
    // Each anchor costs a pass over the text (two for a letter): a needle alone on its anchor
    // moves to an anchor already searched for, when it holds one.
    Map<String, Integer> uses = new java.util.HashMap<>();
    for (Object[] c : chosen) {
      uses.merge((String) c[3], 1, Integer::sum);
    }
    for (Object[] c : chosen) {
      String spelt = (String) c[0];
      if (uses.get((String) c[3]) > 1) {
        continue;
      }
      String target = null;
      for (String a : uses.keySet()) {
        if (!a.equals(c[3])
            && uses.get(a) > 0
            && spelt.contains(a)
            && (target == null
                || (Character.isLetter(target.charAt(0)) && !Character.isLetter(a.charAt(0))))) {
          target = a;
        }
      }
      if (target != null) {
        uses.merge((String) c[3], -1, Integer::sum);
        uses.merge(target, 1, Integer::sum);
        c[3] = target;
        c[1] = spelt.indexOf(target);
      }
    }
    for (Object[] c : chosen) {
      String anchor = (String) c[3];
      Object[] entry = {c[0], c[1], c[2]};
      byAnchor.computeIfAbsent(anchor, k -> new ArrayList<>()).add(entry);
      String upper = anchor.toUpperCase(java.util.Locale.ROOT);
      if (!upper.equals(anchor)) {
        byAnchor.computeIfAbsent(upper, k -> new ArrayList<>()).add(entry);
      }
    }
    List<Anchor> out = new ArrayList<>();
    byAnchor.forEach(
        (c, list) -> {
          String[] ns = new String[list.size()];
          int[] offs = new int[list.size()];
          int[][] rs = new int[list.size()][];
          for (int i = 0; i < ns.length; i++) {
            ns[i] = (String) list.get(i)[0];
            offs[i] = (Integer) list.get(i)[1];
            rs[i] = (int[]) list.get(i)[2];
          }
          out.add(new Anchor(c, ns, offs, rs));
        });
    boolean slash = false;
    for (String needle : needles.keySet()) {
      slash |= needle.indexOf('/') >= 0;
    }
    return new KeywordScanner(out.toArray(Anchor[]::new), slash);
  }

  /** Higher for rarer characters; letters count as their more frequent case. */
  static int rarity(char c) {
    int a = BY_FREQUENCY.indexOf(c);
    char other =
        Character.isLetter(c)
            ? (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c))
            : c;
    int b = BY_FREQUENCY.indexOf(other);
    return Math.min(a < 0 ? 0 : a, b < 0 ? 0 : b);
  }

  /**
   * Marks the rules of every needle found in the JSON text; false when the text holds escapes or
   * characters this search cannot see through (nothing is marked then).
   */
  String describe() {
    StringBuilder sb = new StringBuilder();
    for (Anchor a : anchors) {
      sb.append(a.text).append(java.util.Arrays.toString(a.needles));
    }
    return sb.toString();
  }

  boolean scan(String json, long[] bits) {
    if (json.indexOf('\u212A') >= 0 || json.indexOf('\u0130') >= 0) {
      return false;
    }
    // An escaped slash can hide only a needle that holds a slash: without one, it is not looked
    // for (one pass less over the text).
    if (json.indexOf("\\u") >= 0 || (slash && json.indexOf("\\/") >= 0)) {
      // maybe such an escape (or an escaped backslash before u or /): look escape by escape
      for (int p = json.indexOf('\\'); p >= 0; p = json.indexOf('\\', p + 2)) {
        if (p + 1 >= json.length()) {
          return false;
        }
        char e = json.charAt(p + 1);
        if (e == 'u' || (e == '/' && slash)) {
          return false;
        }
      }
    }
    anchors(json, bits);
    return true;
  }

  /**
   * As {@link #scan(String, long[])} on the UTF-8 bytes of a JSON object whose {@link
   * Event#rawTraits()} are known: those traits replace the passes that look for escapes and
   * case-folding characters, and the anchors are searched in a Latin-1 view of the bytes (one copy,
   * no decoding). Every needle is ASCII and UTF-8 spells a non-ASCII character with bytes from 0x80
   * only, so a needle is in the bytes exactly when it is in the decoded text, ignoring ASCII case —
   * except for the Kelvin sign and the dotted capital I, whose lower case is ASCII: a text holding
   * one answers false (nothing marked), as an escape that may hide a needle.
   */
  boolean scan(byte[] utf8, int offset, int length, int traits, long[] bits) {
    if ((traits & Event.RAW_UNICODE_ESCAPE) != 0
        || (slash && (traits & Event.RAW_SLASH_ESCAPE) != 0)) {
      return false;
    }
    String view = new String(utf8, offset, length, StandardCharsets.ISO_8859_1);
    if ((traits & Event.RAW_NON_ASCII) != 0
        && (view.indexOf(KELVIN_UTF8) >= 0 || view.indexOf(DOTTED_I_UTF8) >= 0)) {
      return false;
    }
    anchors(view, bits);
    return true;
  }

  // The UTF-8 bytes of U+212A and U+0130 as Latin-1 characters.
  private static final String KELVIN_UTF8 = "\u00e2\u0084\u00aa";
  private static final String DOTTED_I_UTF8 = "\u00c4\u00b0";

  /** Marks the rules of every needle found at an anchor of the text, ignoring ASCII case. */
  private void anchors(String json, long[] bits) {
    for (Anchor a : anchors) {
      String[] needles = a.needles;
      int[] offsets = a.offsets;
      String text = a.text;
      boolean single = text.length() == 1;
      char c = text.charAt(0);
      for (int p = single ? json.indexOf(c) : json.indexOf(text);
          p >= 0;
          p = single ? json.indexOf(c, p + 1) : json.indexOf(text, p + 1)) {
        for (int k = 0; k < needles.length; k++) {
          int start = p - offsets[k];
          String n = needles[k];
          if (start < 0 || start + n.length() > json.length()) {
            continue;
          }
          char f = json.charAt(start);
          if (f < 128 && (f >= 'A' && f <= 'Z' ? f + 32 : f) != n.charAt(0)) {
            continue; // quick reject on the first character
          }
          if (ValueTest.foldedAt(json, start, n)) {
            for (int r : a.rules[k]) {
              bits[r >>> 6] |= 1L << r;
            }
          }
        }
      }
    }
  }
}
