package io.vigil.store;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * The words of all values of one event, for the full-text field {@link EventDocuments#ALL}, in one
 * pass without an analyzer chain: a word is a run of letters and digits, lowercased code point by
 * code point and cut every {@link #MAX_WORD_CHARS} characters, exactly as the query side's {@link
 * StoreQueryParser.StoreAnalyzer} splits a query's words; consecutive values are {@link #VALUE_GAP}
 * positions apart so that a phrase never spans two values.
 */
final class WordStream extends TokenStream {
  /** Longest word before it is cut (Lucene's CharTokenizer default, used at query time). */
  static final int MAX_WORD_CHARS = 255;

  /** Position gap between two values (the analyzer's position increment gap). */
  static final int VALUE_GAP = 100;

  private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
  private final PositionIncrementAttribute posInc = addAttribute(PositionIncrementAttribute.class);
  private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);

  private final List<String> values = new ArrayList<>();
  private int value;
  private int pos;
  private int base;
  private boolean newValue;
  private boolean first;

  /** Adds a value whose words are emitted after those of the values added before. */
  void add(String v) {
    values.add(v);
  }

  boolean isEmpty() {
    return values.isEmpty();
  }

  @Override
  public void reset() {
    value = 0;
    pos = 0;
    base = 0;
    newValue = true;
    first = true;
  }

  @Override
  public boolean incrementToken() {
    // No clearAttributes(): every attribute the indexer reads (term, position increment, offsets)
    // is set below for each word, and clearing all attribute implementations per word costs ~5 %.
    while (value < values.size()) {
      String s = values.get(value);
      int n = s.length();
      int i = pos;
      // skip separators
      while (i < n) {
        int cp = s.codePointAt(i);
        if (Character.isLetterOrDigit(cp)) {
          break;
        }
        i += Character.charCount(cp);
      }
      if (i >= n) {
        base += n + 1;
        value++;
        pos = 0;
        newValue = true;
        continue;
      }
      int start = i;
      char[] buf = term.buffer();
      int len = 0;
      int chars = 0;
      while (i < n && chars < MAX_WORD_CHARS) {
        int cp = s.codePointAt(i);
        if (!Character.isLetterOrDigit(cp)) {
          break;
        }
        if (len + 2 > buf.length) {
          buf = term.resizeBuffer(len + 2);
        }
        len += Character.toChars(Character.toLowerCase(cp), buf, len);
        i += Character.charCount(cp);
        chars += Character.charCount(cp);
      }
      term.setLength(len);
      pos = i;
      posInc.setPositionIncrement(newValue && !first ? 1 + VALUE_GAP : 1);
      offset.setOffset(base + start, base + i);
      newValue = false;
      first = false;
      return true;
    }
    return false;
  }

  @Override
  public void end() throws java.io.IOException {
    super.end();
    offset.setOffset(base, base);
  }
}
