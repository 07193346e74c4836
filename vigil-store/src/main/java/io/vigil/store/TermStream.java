package io.vigil.store;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.UnicodeUtil;

/**
 * The documents-only terms of one event for one field ({@link EventDocuments#KEYWORDS} or {@link
 * EventDocuments#FLAT}), written as UTF-8 into one reused buffer and given to the indexer as bytes:
 * one field per event instead of one per value, so the indexer's per-field work (field lookup, a
 * token stream started and ended) is done once per event. One instance per indexing thread and
 * field, {@link #clear cleared} per event.
 */
final class TermStream extends TokenStream {
  private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
  private final PositionIncrementAttribute posInc = addAttribute(PositionIncrementAttribute.class);
  private final BytesRef ref = new BytesRef();

  private byte[] bytes = new byte[8192];
  private int size;
  private int[] ends = new int[128];
  private int count;
  private int termStart;
  private int next;

  /** Forgets the terms of the previous event. */
  void clear() {
    size = 0;
    count = 0;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** Starts a term; {@link #append} its parts, then {@link #endTerm}. */
  void beginTerm() {
    termStart = size;
  }

  /** Appends one byte (the path separator 0). */
  void appendByte(byte b) {
    grow(1);
    bytes[size++] = b;
  }

  /**
   * Appends {@code s[from, to)} as UTF-8, lowercased code point by code point when {@code lower}
   * (as {@link EventDocuments#lower}).
   */
  void append(String s, int from, int to, boolean lower) {
    grow(to - from);
    byte[] b = bytes;
    int o = size;
    int i = from;
    for (; i < to; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        break;
      }
      b[o++] = (byte) (lower && c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    size = o;
    if (i < to) {
      String rest = lower ? EventDocuments.lower(s.substring(i, to)) : s.substring(i, to);
      grow(rest.length() * 3);
      size = UnicodeUtil.UTF16toUTF8(rest, 0, rest.length(), bytes, size);
    }
  }

  /**
   * Ends a term; a term longer than Lucene's limit ({@link IndexWriter#MAX_TERM_LENGTH} bytes) is
   * cut at the last whole character before it, as {@link EventDocuments#keywordTerm} cuts a
   * query's.
   */
  void endTerm() {
    size = termStart + cutLength(bytes, termStart, size - termStart);
    if (count == ends.length) {
      ends = ArrayUtil.grow(ends, count + 1);
    }
    ends[count++] = size;
  }

  /** The length of {@code b[off, off+len)} cut to at most the term limit at a character start. */
  static int cutLength(byte[] b, int off, int len) {
    if (len <= IndexWriter.MAX_TERM_LENGTH) {
      return len;
    }
    int cut = IndexWriter.MAX_TERM_LENGTH;
    while (cut > 0 && (b[off + cut] & 0xC0) == 0x80) {
      cut--; // b[off + cut] continues a character: cut before that character's first byte
    }
    return cut;
  }

  private void grow(int more) {
    if (size + more > bytes.length) {
      bytes = ArrayUtil.grow(bytes, size + more);
    }
  }

  @Override
  public void reset() {
    next = 0;
    posInc.setPositionIncrement(1); // end() of the previous event set it to 0
  }

  @Override
  public boolean incrementToken() {
    // No clearAttributes(): the indexer reads only the term (documents only, no positions).
    if (next == count) {
      return false;
    }
    int start = next == 0 ? 0 : ends[next - 1];
    ref.bytes = bytes;
    ref.offset = start;
    ref.length = ends[next] - start;
    term.setBytesRef(ref);
    next++;
    return true;
  }
}
