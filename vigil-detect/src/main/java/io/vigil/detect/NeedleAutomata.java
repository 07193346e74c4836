package io.vigil.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The needles of one field split into at most three {@link FieldAutomaton}s, each scanned with its
 * {@code reversed} flag: exact and prefix needles (read from the value's start and stopped at the
 * first dead end), suffix needles reversed (read from the value's end), substring needles (over the
 * whole value); only those it has. Used by a {@link Bucket}'s candidate index and by a field item's
 * {@link StrIndex}.
 */
record NeedleAutomata(FieldAutomaton[] automata, boolean[] reversed) {
  /**
   * @param needles needle text as {@link Bucket#needleText} writes it (lower case, may start with
   *     {@link FieldAutomaton#BEGIN} or end with {@link FieldAutomaton#END}) to the numbers it
   *     marks
   * @param denseCells dense transition cells per automaton at most
   */
  static NeedleAutomata of(Map<String, int[]> needles, int denseCells) {
    Map<String, int[]> anchored = new LinkedHashMap<>();
    Map<String, int[]> suffixes = new LinkedHashMap<>();
    Map<String, int[]> inside = new LinkedHashMap<>();
    needles.forEach(
        (k, marks) -> {
          if (k.charAt(0) == FieldAutomaton.BEGIN) {
            anchored.put(k, marks);
          } else if (k.charAt(k.length() - 1) == FieldAutomaton.END) {
            suffixes.put(Bucket.reverseSuffix(k), marks);
          } else {
            inside.put(k, marks);
          }
        });
    List<FieldAutomaton> list = new ArrayList<>(3);
    boolean[] rev = new boolean[3];
    for (Map<String, int[]> part : List.of(anchored, suffixes, inside)) {
      if (!part.isEmpty()) {
        rev[list.size()] = part == suffixes;
        list.add(new FieldAutomaton(part, denseCells));
      }
    }
    return new NeedleAutomata(list.toArray(FieldAutomaton[]::new), Arrays.copyOf(rev, list.size()));
  }
}
