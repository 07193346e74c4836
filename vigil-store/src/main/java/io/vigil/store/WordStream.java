package io.vigil.store;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * The words of all values of one event, for the full-text field {@link EventDocuments#ALL}, in one
 * pass without an analyzer chain: a word is a run of letters and digits, lowercased code point by
 * code point and cut every {@link #MAX_WORD_CHARS} characters, exactly as the query side's {@link
 * StoreQueryParser.StoreAnalyzer} splits a query's words. The field is indexed without positions
 * (documents only): phrases are checked on the stored event ({@link PhraseCheckQuery}), with {@link
 * #split} cutting words the same way.
 */
final class WordStream extends TokenStream {
  /** Longest word before it is cut (Lucene's CharTokenizer default, used at query time). */
  static final int MAX_WORD_CHARS = 255;

  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final PositionIncrementAttribute posInc = addAttribute(PositionIncrementAttribute.class);

  private final List<String> values = new ArrayList<>();
  private int value;
  private int pos;
  private char[] text = new char[1024]; // the current value
  private int chars;

  // The words given for this event: open addressing over (start, length) in a char pool.
  private char[] pool = new char[8192];
  private int poolLength;
  private int[] slotStart = new int[1024];
  private int[] slotLength = new int[1024];
  private int[] slotHash = new int[1024];
  private int slotsUsed;

  /** Adds a value whose words are emitted after those of the values added before. */
  void add(String v) {
    values.add(v);
  }

  boolean isEmpty() {
    return values.isEmpty();
  }

  /** Forgets the values and words of the previous event. */
  void clear() {
    values.clear();
    if (slotsUsed > 0) {
      java.util.Arrays.fill(slotLength, 0);
      slotsUsed = 0;
    }
    poolLength = 0;
  }

  @Override
  public void reset() {
    value = 0;
    pos = 0;
    posInc.setPositionIncrement(1); // end() of the previous event set it to 0
    if (slotsUsed > 0) {
      java.util.Arrays.fill(slotLength, 0);
      slotsUsed = 0;
    }
    poolLength = 0;
  }

  /** Whether the word in the term buffer was given before for this event; remembers it if not. */
  private boolean seen(char[] buf, int len) {
    int h = 0;
    for (int k = 0; k < len; k++) {
      h = 31 * h + buf[k];
    }
    h ^= h >>> 16;
    int mask = slotLength.length - 1;
    int i = h & mask;
    while (true) {
      int l = slotLength[i];
      if (l == 0) {
        break;
      }
      if (l == len && slotHash[i] == h) {
        int start = slotStart[i];
        int k = 0;
        while (k < len && pool[start + k] == buf[k]) {
          k++;
        }
        if (k == len) {
          return true;
        }
      }
      i = (i + 1) & mask;
    }
    if (poolLength + len > pool.length) {
      pool = java.util.Arrays.copyOf(pool, Math.max(pool.length * 2, poolLength + len));
    }
    System.arraycopy(buf, 0, pool, poolLength, len);
    slotStart[i] = poolLength;
    slotLength[i] = len;
    slotHash[i] = h;
    poolLength += len;
    if (++slotsUsed * 2 > slotLength.length) {
      grow();
    }
    return false;
  }

  private void grow() {
    int[] oldStart = slotStart;
    int[] oldLength = slotLength;
    int[] oldHash = slotHash;
    int n = oldLength.length * 2;
    slotStart = new int[n];
    slotLength = new int[n];
    slotHash = new int[n];
    for (int j = 0; j < oldLength.length; j++) {
      if (oldLength[j] != 0) {
        int i = oldHash[j] & (n - 1);
        while (slotLength[i] != 0) {
          i = (i + 1) & (n - 1);
        }
        slotStart[i] = oldStart[j];
        slotLength[i] = oldLength[j];
        slotHash[i] = oldHash[j];
      }
    }
  }

  @Override
  public boolean incrementToken() {
    // No clearAttributes(): the indexer reads only the term of a documents-only field (the
    // position increment stays 1), and clearing all attribute implementations per word costs.
    while (value < values.size()) {
      if (pos == 0) {
        String s = values.get(value);
        chars = s.length();
        if (text.length < chars) {
          text = new char[Math.max(chars, text.length * 2)];
        }
        s.getChars(0, chars, text, 0);
      }
      int end = nextWord(text, chars, pos, term);
      if (end < 0) {
        value++;
        pos = 0;
        continue;
      }
      pos = end;
      if (seen(term.buffer(), term.length())) {
        continue;
      }
      return true;
    }
    return false;
  }

  /** ASCII classes: 0 separator, 1 lowercase letter or digit, 2 uppercase letter. */
  private static final byte[] ASCII = new byte[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      ASCII[c] = 1;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      ASCII[c] = 1;
      ASCII[c - 'a' + 'A'] = 2;
    }
  }

  /**
   * Reads the next word of {@code v[0..n)} from {@code from} into {@code term} (lowercased, at most
   * {@link #MAX_WORD_CHARS} characters); returns the index after it, or -1 when there is none.
   */
  private static int nextWord(char[] v, int n, int from, CharTermAttribute term) {
    int i = from;
    while (i < n) {
      char c = v[i];
      if (c < 0x80) {
        if (ASCII[c] != 0) {
          break;
        }
        i++;
        continue;
      }
      int cp = Character.codePointAt(v, i, n);
      if (Character.isLetterOrDigit(cp)) {
        break;
      }
      i += Character.charCount(cp);
    }
    if (i >= n) {
      return -1;
    }
    char[] buf = term.buffer();
    if (buf.length < MAX_WORD_CHARS + 2) {
      buf = term.resizeBuffer(MAX_WORD_CHARS + 2);
    }
    int len = 0;
    int chars = 0;
    while (i < n && chars < MAX_WORD_CHARS) {
      char c = v[i];
      if (c < 0x80) {
        byte k = ASCII[c];
        if (k == 0) {
          break;
        }
        buf[len++] = k == 1 ? c : (char) (c + ('a' - 'A'));
        i++;
        chars++;
        continue;
      }
      int cp = Character.codePointAt(v, i, n);
      if (!Character.isLetterOrDigit(cp)) {
        break;
      }
      len += Character.toChars(Character.toLowerCase(cp), buf, len);
      i += Character.charCount(cp);
      chars += Character.charCount(cp);
    }
    term.setLength(len);
    return i;
  }

  /** The words of one value as the index cuts them (for checking phrases). */
  static void split(String s, List<String> out) {
    CharTermAttribute t = new org.apache.lucene.analysis.tokenattributes.CharTermAttributeImpl();
    char[] v = s.toCharArray();
    int pos = 0;
    while ((pos = nextWord(v, v.length, pos, t)) >= 0) {
      out.add(t.toString());
    }
  }
}
