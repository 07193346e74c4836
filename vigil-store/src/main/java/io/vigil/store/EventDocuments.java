package io.vigil.store;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.IndexOptions;

/**
 * Turns a {@link StoredEvent} into a Lucene document: every JSON value under its dotted path as a
 * lowercased keyword (exact and wildcard matching, case-insensitive, and {@code top} from the
 * postings), numbers also as one point each (ranges), and the words of all values in one full-text
 * field {@link #ALL} (tokenized by {@link WordStream}, not by an analyzer). The JSON is flattened
 * by {@link JsonFlattener}; the event's id is stored, not indexed (idempotent adds are the {@link
 * Day}'s id marks).
 */
final class EventDocuments {
  /** Internal field names start with "vigil#", which JSON paths written in a query cannot reach. */
  static final String ID = "vigil#id";

  static final String TIME = "vigil#time";
  static final String SOURCE = "vigil#source";

  /**
   * The full-text field: the words, with positions, of every value that is prose-like ({@link
   * WordStream#TEXT}); a bare word or phrase in a query searches it.
   */
  static final String ALL = "vigil#all";

  /**
   * Documents only, one term per value that needs no positional words: a value that is one word
   * ({@link WordStream#ONE_WORD}, e.g. {@code 4624} or {@code SYSTEM}: the word) and a
   * machine-written value ({@link WordStream#MACHINE}: GUIDs, timestamps, decimals: the whole
   * lowercased value without its leading and trailing separators, {@link #machineKey}). A bare word
   * searches it beside {@link #ALL}, and so does a bare or quoted text that is a machine value.
   */
  static final String FLAT = "vigil#flat";

  /** Suffix of the point field of a path's integral values from +-2^53 on (exact). */
  static final String LONG_SUFFIX = "#long";

  /** Integers of a smaller magnitude are exact as doubles; from it on they go to the long field. */
  static final long SAFE_DOUBLE = 1L << 53;

  /** Suffix of the point field of a path's numeric values (integral ones too) as doubles. */
  static final String DOUBLE_SUFFIX = "#double";

  /**
   * Keyword limit: a value is matched exactly and by wildcard on its first 8,191 characters (a
   * Lucene term holds at most 32,766 bytes of UTF-8); its words are still all in the full text.
   */
  static final int MAX_KEYWORD_CHARS = 8_191;

  /** Values longer than this are cut in {@code top} results. */
  static final int MAX_TOP_VALUE_CHARS = 512;

  /** Full-text limit: only the first 32,768 characters of a value are tokenized. */
  static final int MAX_TEXT_CHARS = 32_768;

  /** Fields indexed per event; further values are kept in the source and the full text only. */
  static final int MAX_FIELDS_PER_EVENT = 1_000;

  /** JSON nesting limit when flattening; deeper events are indexed as plain text. */
  static final int MAX_DEPTH = 64;

  private static final FieldType KEYWORD = new FieldType();

  static {
    KEYWORD.setIndexOptions(IndexOptions.DOCS);
    KEYWORD.setOmitNorms(true);
    KEYWORD.setTokenized(false);
    KEYWORD.setStored(false);
    KEYWORD.freeze();
  }

  private EventDocuments() {}

  /**
   * The word stream of each indexing thread, reused from event to event (a document is added before
   * the thread builds the next one).
   */
  private static final ThreadLocal<WordStream> WORD_STREAMS =
      ThreadLocal.withInitial(WordStream::new);

  /**
   * The full-text field's type: words with positions (phrases), no norms (results are sorted by
   * time, never scored).
   */
  private static final FieldType WORDS = new FieldType();

  static {
    WORDS.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS);
    WORDS.setOmitNorms(true);
    WORDS.setTokenized(true);
    WORDS.setStored(false);
    WORDS.freeze();
  }

  /** The document of one event. */
  static Document toDocument(StoredEvent event) {
    Document doc = new Document();
    doc.add(new StoredField(ID, event.id()));
    long millis = event.time().toEpochMilli();
    doc.add(new LongPoint(TIME, millis));
    doc.add(new NumericDocValuesField(TIME, millis));
    doc.add(new StoredField(TIME, millis));
    doc.add(new StoredField(SOURCE, event.json()));
    List<Field> fields = new ArrayList<>();
    WordStream words = WORD_STREAMS.get();
    words.clear();
    int[] count = {0};
    try {
      JsonFlattener.flatten(
          event.json(),
          MAX_DEPTH,
          (path, value, number) -> addValue(fields, words, path, value, number, count));
    } catch (JsonFlattener.NotJsonException notJson) {
      // Not a JSON object (or too deep): keep the text searchable, never lose the event.
      fields.clear();
      words.clear();
      words.add(clip(event.json(), MAX_TEXT_CHARS));
    }
    for (Field f : fields) {
      doc.add(f);
    }
    if (!words.isEmpty()) {
      doc.add(new Field(ALL, words, WORDS));
    }
    return doc;
  }

  /**
   * The first value of {@code path} in a stored event whose keyword is {@code keyword}, cut at
   * {@link #MAX_TOP_VALUE_CHARS} characters; null when there is none.
   */
  static String originalValue(String json, String path, String keyword) {
    String[] found = {null};
    try {
      JsonFlattener.flatten(
          json,
          MAX_DEPTH,
          (p, value, number) -> {
            if (found[0] == null
                && p.equals(path)
                && !value.isEmpty()
                && lower(clip(value, MAX_KEYWORD_CHARS)).equals(keyword)) {
              found[0] = clip(value, MAX_TOP_VALUE_CHARS);
            }
          });
    } catch (JsonFlattener.NotJsonException notJson) {
      return null;
    }
    return found[0];
  }

  private static void addValue(
      List<Field> out,
      WordStream words,
      String path,
      String value,
      boolean jsonNumber,
      int[] count) {
    if (value.isEmpty()) {
      return;
    }
    String keyword = null;
    switch (WordStream.shape(value)) {
      case WordStream.ONE_WORD -> {
        keyword = lower(value); // the word and the keyword are the same text
        out.add(new Field(FLAT, keyword, KEYWORD));
      }
      case WordStream.MACHINE -> {
        keyword = lower(value); // at most 64 characters: never clipped
        out.add(new Field(FLAT, machineKey(keyword), KEYWORD));
      }
      default -> words.add(clip(value, MAX_TEXT_CHARS));
    }
    if (count[0]++ >= MAX_FIELDS_PER_EVENT) {
      return;
    }
    if (keyword == null) {
      keyword = lower(clip(value, MAX_KEYWORD_CHARS));
    }
    out.add(new Field(path, keyword, KEYWORD));
    char first = value.charAt(0);
    if (!(first == '-' || first == '.' || (first >= '0' && first <= '9'))) {
      return; // neither an integer nor a decimal
    }
    Long asLong = parseLong(value);
    if (asLong != null) {
      // One point per number: beyond 2^53 a double would round, so such integers go to the long
      // field only (StoreQueryParser searches both when a bound is that large).
      if (Math.abs(asLong) >= SAFE_DOUBLE) {
        out.add(new LongPoint(path + LONG_SUFFIX, asLong));
      } else {
        out.add(new DoublePoint(path + DOUBLE_SUFFIX, asLong.doubleValue()));
      }
    } else if (jsonNumber || looksDecimal(value)) {
      try {
        double d = Double.parseDouble(value);
        if (Double.isFinite(d)) {
          out.add(new DoublePoint(path + DOUBLE_SUFFIX, d));
        }
      } catch (NumberFormatException notNumber) {
        // keyword only
      }
    }
  }

  /**
   * The {@link #FLAT} term of a lowercased {@link WordStream#MACHINE} value: without its leading
   * and trailing separators ({@code {guid}} and {@code guid}, {@code -1.5} and {@code 1.5} are one
   * term).
   */
  static String machineKey(String lowered) {
    int a = 0;
    int b = lowered.length();
    while (a < b && !Character.isLetterOrDigit(lowered.charAt(a))) {
      a++;
    }
    while (b > a && !Character.isLetterOrDigit(lowered.charAt(b - 1))) {
      b--;
    }
    return a == 0 && b == lowered.length() ? lowered : lowered.substring(a, b);
  }

  static String clip(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = max;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

  /**
   * An integer written in decimal that fits a long (at most 19 digits), or null. (Windows writes
   * 19-digit {@code Keywords} such as {@code -9223372036854775808}; parsing those as doubles was
   * 3.5 % of the CPU per event.)
   */
  static Long parseLong(String s) {
    int n = s.length();
    int start = s.charAt(0) == '-' ? 1 : 0;
    if (n == start || n - start > 19) {
      return null;
    }
    long v = 0; // accumulated negatively: -9223372036854775808 fits, its opposite does not
    for (int i = start; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      int d = c - '0';
      if (v < (Long.MIN_VALUE + d) / 10) {
        return null; // beyond a long
      }
      v = v * 10 - d;
    }
    if (start == 1) {
      return v;
    }
    return v == Long.MIN_VALUE ? null : -v;
  }

  private static boolean looksDecimal(String s) {
    int n = s.length();
    if (n > 32) {
      return false;
    }
    boolean digit = false;
    boolean dot = false;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c == '.' && !dot) {
        dot = true;
      } else if (!(c == '-' && i == 0)) {
        return false;
      }
    }
    return digit && dot;
  }

  /**
   * Lowercases code point by code point, exactly as Lucene's LowerCaseFilter does at query time
   * (not String.toLowerCase, whose special cases would differ).
   */
  static String lower(String s) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
        break;
      }
      i++;
    }
    if (i == n) {
      return s;
    }
    char[] out = new char[n];
    s.getChars(0, i, out, 0);
    for (int j = i; j < n; j++) {
      char c = s.charAt(j);
      if (c < 0x80) {
        out[j] = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
      } else {
        return lowerFrom(s, i);
      }
    }
    return new String(out);
  }

  /** Code point by code point from {@code from} on (the text before needs no change). */
  private static String lowerFrom(String s, int from) {
    StringBuilder b = new StringBuilder(s.length());
    b.append(s, 0, from);
    for (int i = from; i < s.length(); ) {
      int cp = s.codePointAt(i);
      b.appendCodePoint(Character.toLowerCase(cp));
      i += Character.charCount(cp);
    }
    return b.toString();
  }
}
