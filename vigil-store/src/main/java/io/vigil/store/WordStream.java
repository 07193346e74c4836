package io.vigil.store;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.util.BytesRef;

/**
 * The words of all values of one event, for the full-text field {@link EventDocuments#ALL}, in one
 * pass without an analyzer chain: a word is a run of letters and digits, lowercased code point by
 * code point and cut every {@link #MAX_WORD_CHARS} characters, exactly as the query side's {@link
 * StoreQueryParser.StoreAnalyzer} and {@link #split} split a query's words; consecutive values are
 * {@link #VALUE_GAP} positions apart so that a phrase never spans two values. The words are given
 * to the indexer as UTF-8 written here (the same bytes Lucene makes of the query's words). One
 * instance per indexing thread, {@link #clear cleared} per event.
 */
final class WordStream extends TokenStream {
  /** Longest word before it is cut (Lucene's CharTokenizer default, used at query time). */
  static final int MAX_WORD_CHARS = 255;

  /**
   * The word as UTF-8, written here directly (the indexer would otherwise convert each word from
   * UTF-16 itself).
   */
  private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);

  private final BytesRef word = new BytesRef(new byte[4 * (MAX_WORD_CHARS + 2)]);
  private final PositionIncrementAttribute posInc = addAttribute(PositionIncrementAttribute.class);

  private final List<String> values = new ArrayList<>();

  /** Position gap between two values, so that a phrase never spans two values. */
  static final int VALUE_GAP = 100;

  private boolean newValue;
  private boolean first;
  private int value;
  private int pos;
  private char[] text = new char[1024]; // the current value
  private int chars;

  /** Adds a value whose words are emitted after those of the values added before. */
  void add(String v) {
    values.add(v);
  }

  boolean isEmpty() {
    return values.isEmpty();
  }

  /** Forgets the values of the previous event. */
  void clear() {
    values.clear();
  }

  @Override
  public void reset() {
    value = 0;
    pos = 0;
    posInc.setPositionIncrement(1); // end() of the previous event set it to 0
    newValue = true;
    first = true;
  }

  @Override
  public boolean incrementToken() {
    // No clearAttributes(): the indexer reads the term and the position increment, both set for
    // every word below, and clearing all attribute implementations per word costs ~5 %.
    while (value < values.size()) {
      if (pos == 0) {
        String s = values.get(value);
        chars = s.length();
        if (text.length < chars) {
          text = new char[Math.max(chars, text.length * 2)];
        }
        s.getChars(0, chars, text, 0);
      }
      int end = nextWordUtf8(text, chars, pos, word);
      if (end < 0) {
        value++;
        pos = 0;
        newValue = true;
        continue;
      }
      pos = end;
      term.setBytesRef(word);
      posInc.setPositionIncrement(newValue && !first ? 1 + VALUE_GAP : 1);
      newValue = false;
      first = false;
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
   * Reads the next word of {@code v[0..n)} from {@code from} into {@code out} as UTF-8 (from offset
   * 0; lowercased, at most {@link #MAX_WORD_CHARS} characters); returns the index after it, or -1
   * when there is none.
   */
  private static int nextWordUtf8(char[] v, int n, int from, BytesRef out) {
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
    byte[] buf = out.bytes;
    int len = 0;
    int chars = 0;
    while (i < n && chars < MAX_WORD_CHARS) {
      char c = v[i];
      if (c < 0x80) {
        byte k = ASCII[c];
        if (k == 0) {
          break;
        }
        buf[len++] = (byte) (k == 1 ? c : c + ('a' - 'A'));
        i++;
        chars++;
        continue;
      }
      int cp = Character.codePointAt(v, i, n);
      if (!Character.isLetterOrDigit(cp)) {
        break;
      }
      int lower = Character.toLowerCase(cp);
      if (lower < 0x80) {
        buf[len++] = (byte) lower;
      } else if (lower < 0x800) {
        buf[len++] = (byte) (0xC0 | (lower >> 6));
        buf[len++] = (byte) (0x80 | (lower & 0x3F));
      } else if (lower < 0x10000) {
        buf[len++] = (byte) (0xE0 | (lower >> 12));
        buf[len++] = (byte) (0x80 | ((lower >> 6) & 0x3F));
        buf[len++] = (byte) (0x80 | (lower & 0x3F));
      } else {
        buf[len++] = (byte) (0xF0 | (lower >> 18));
        buf[len++] = (byte) (0x80 | ((lower >> 12) & 0x3F));
        buf[len++] = (byte) (0x80 | ((lower >> 6) & 0x3F));
        buf[len++] = (byte) (0x80 | (lower & 0x3F));
      }
      i += Character.charCount(cp);
      chars += Character.charCount(cp);
    }
    out.offset = 0;
    out.length = len;
    return i;
  }

  /**
   * {@link #shape}: a value whose words are indexed with positions in {@link EventDocuments#ALL}.
   */
  static final int TEXT = 0;

  /**
   * {@link #shape}: a value that is one ASCII word (letters and digits only, at most {@link
   * #MAX_WORD_CHARS}): its word equals its keyword and no phrase of two words can be inside it.
   */
  static final int ONE_WORD = 1;

  /**
   * {@link #shape}: a machine-written value of at most {@link #MAX_MACHINE_CHARS} ASCII characters:
   * digits, hex letters, {@code t}/{@code z} and the separators {@code - : . { } / + space}, at
   * least half of its letters and digits decimal digits (GUIDs, timestamps, decimals, IPv6), but
   * not a dotted run of numbers with more than one dot (IPv4 addresses and versions stay {@link
   * #TEXT}: analysts search their parts). It has no words, only one {@link EventDocuments#FLAT}
   * term for the whole value.
   */
  static final int MACHINE = 2;

  /** Longest {@link #MACHINE} value. */
  static final int MAX_MACHINE_CHARS = 64;

  /** Which words a value gets: {@link #TEXT}, {@link #ONE_WORD} or {@link #MACHINE}. */
  static int shape(String v) {
    int n = v.length();
    if (n > MAX_WORD_CHARS) {
      return TEXT;
    }
    int digits = 0;
    int letters = 0;
    int separators = 0;
    int dots = 0;
    boolean otherLetter = false;
    for (int i = 0; i < n; i++) {
      char c = v.charAt(i);
      if (c >= 0x80) {
        return TEXT;
      }
      if (ASCII[c] != 0) {
        if (c <= '9') {
          digits++;
        } else {
          letters++;
          char l = (char) (c | 0x20);
          if (!((l >= 'a' && l <= 'f') || l == 't' || l == 'z')) {
            otherLetter = true;
          }
        }
      } else if (c == '-' || c == ':' || c == '.' || c == '{' || c == '}' || c == '/' || c == '+'
          || c == ' ') {
        separators++;
        if (c == '.') {
          dots++;
        }
      } else {
        return TEXT;
      }
    }
    if (separators == 0) {
      return ONE_WORD;
    }
    if (otherLetter || n > MAX_MACHINE_CHARS || digits == 0 || digits < letters) {
      return TEXT;
    }
    if (dots > 1 && letters == 0 && dots == separators) {
      return TEXT;
    }
    return MACHINE;
  }

  /** The words of one value as the index cuts them (for checking phrases). */
  static void split(String s, List<String> out) {
    BytesRef word = new BytesRef(new byte[4 * (MAX_WORD_CHARS + 2)]);
    char[] v = s.toCharArray();
    int pos = 0;
    while ((pos = nextWordUtf8(v, v.length, pos, word)) >= 0) {
      out.add(word.utf8ToString());
    }
  }
}
