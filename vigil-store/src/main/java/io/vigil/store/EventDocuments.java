package io.vigil.store;

import java.nio.charset.StandardCharsets;
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
import org.apache.lucene.util.BytesRef;

/**
 * Turns a {@link StoredEvent} into a Lucene document: every JSON value as one documents-only term
 * {@code path\0lowercased value} of the one keyword field {@link #KEYWORDS} (exact and wildcard
 * matching, case-insensitive, and {@code top} from the postings; {@link StoreQueryParser} rewrites
 * {@code path:value} onto it), numbers also as one point each under their path (ranges), and the
 * words of all values in one full-text field {@link #ALL} (tokenized by {@link WordStream}, not by
 * an analyzer). The JSON is flattened by {@link JsonFlattener}; the event's id is stored, not
 * indexed (idempotent adds are the {@link Day}'s id marks).
 */
final class EventDocuments {
  /** Internal field names start with "vigil#", which JSON paths written in a query cannot reach. */
  static final String ID = "vigil#id";

  static final String TIME = "vigil#time";

  /**
   * The event's JSON, stored as UTF-8 bytes (since store format 6): {@code String.getBytes} encodes
   * a Latin-1 string many times faster than the stored-fields writer's own per-character loop. Read
   * it with {@link #source}.
   */
  static final String SOURCE = "vigil#source";

  /** The JSON of a stored document, or null when it has none. */
  static String source(Document stored) {
    BytesRef b = stored.getBinaryValue(SOURCE);
    return b == null ? null : new String(b.bytes, b.offset, b.length, StandardCharsets.UTF_8);
  }

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

  /**
   * The keyword field (store format 6): one documents-only term per value, the UTF-8 of its path, a
   * 0 byte and its lowercased value ({@link #keywordTerm}); a path's values are the terms with the
   * prefix {@link #keywordPrefix}. One field for all paths: the indexer's work per field (a field
   * lookup, a token stream started and ended, one hash table per field) is done once per event.
   */
  static final String KEYWORDS = "vigil#kw";

  /** Separates a path from the value in a {@link #KEYWORDS} term. */
  static final char PATH_END = '\0';

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

  /** The type of {@link #KEYWORDS} and {@link #FLAT}: documents only, no norms. */
  private static final FieldType TERMS = new FieldType();

  static {
    TERMS.setIndexOptions(IndexOptions.DOCS);
    TERMS.setOmitNorms(true);
    TERMS.setTokenized(true); // a token stream of terms ({@link TermStream})
    TERMS.setStored(false);
    TERMS.freeze();
  }

  private EventDocuments() {}

  /**
   * The token streams of one indexing thread, reused from event to event (a document is added
   * before the thread builds the next one).
   */
  private static final class Streams {
    final WordStream words = new WordStream();
    final TermStream keywords = new TermStream();
    final TermStream flat = new TermStream();

    void clear() {
      words.clear();
      keywords.clear();
      flat.clear();
    }
  }

  private static final ThreadLocal<Streams> STREAMS = ThreadLocal.withInitial(Streams::new);

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
    doc.add(new StoredField(SOURCE, new BytesRef(event.json().getBytes(StandardCharsets.UTF_8))));
    List<Field> points = new ArrayList<>();
    Streams streams = STREAMS.get();
    streams.clear();
    int[] count = {0};
    try {
      JsonFlattener.flatten(
          event.json(),
          MAX_DEPTH,
          (path, value, number) -> addValue(points, streams, path, value, number, count));
    } catch (JsonFlattener.NotJsonException notJson) {
      // Not a JSON object (or too deep): keep the text searchable, never lose the event.
      points.clear();
      streams.clear();
      streams.words.add(clip(event.json(), MAX_TEXT_CHARS));
    }
    for (Field f : points) {
      doc.add(f);
    }
    if (!streams.keywords.isEmpty()) {
      doc.add(new Field(KEYWORDS, streams.keywords, TERMS));
    }
    if (!streams.flat.isEmpty()) {
      doc.add(new Field(FLAT, streams.flat, TERMS));
    }
    if (!streams.words.isEmpty()) {
      doc.add(new Field(ALL, streams.words, WORDS));
    }
    return doc;
  }

  /**
   * The {@link #KEYWORDS} term of {@code path} and a lowercased value: the UTF-8 of the path, a 0
   * byte and the value's first {@link #MAX_KEYWORD_CHARS} characters, cut (as the index cuts it) at
   * Lucene's term limit.
   */
  static BytesRef keywordTerm(String path, String lowered) {
    BytesRef b =
        new BytesRef(keywordPath(path) + PATH_END + lowered.substring(0, keywordEnd(lowered)));
    b.length = TermStream.cutLength(b.bytes, b.offset, b.length);
    return b;
  }

  /** The prefix of the {@link #KEYWORDS} terms of {@code path}: its UTF-8 and a 0 byte. */
  static BytesRef keywordPrefix(String path) {
    return new BytesRef(keywordPath(path) + PATH_END);
  }

  /**
   * A path as its {@link #KEYWORDS} terms spell it: a key holding the separator {@link #PATH_END}
   * (only hostile JSON does) has it replaced by U+FFFD, so that no key can spell another path's
   * value; the index and every query build their terms through here.
   */
  static String keywordPath(String path) {
    return path.indexOf(PATH_END) < 0 ? path : path.replace(PATH_END, '\uFFFD');
  }

  /** The end of the part of {@code value} matched as a keyword: {@link #MAX_KEYWORD_CHARS}. */
  private static int keywordEnd(String value) {
    int n = value.length();
    if (n <= MAX_KEYWORD_CHARS) {
      return n;
    }
    return Character.isHighSurrogate(value.charAt(MAX_KEYWORD_CHARS - 1))
        ? MAX_KEYWORD_CHARS - 1
        : MAX_KEYWORD_CHARS;
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
      Streams streams,
      String path,
      String value,
      boolean jsonNumber,
      int[] count) {
    if (value.isEmpty()) {
      return;
    }
    switch (WordStream.shape(value)) {
      case WordStream.ONE_WORD -> {
        TermStream flat = streams.flat; // the word and the keyword are the same text
        flat.beginTerm();
        flat.append(value, 0, value.length(), true);
        flat.endTerm();
      }
      case WordStream.MACHINE -> {
        // ASCII, at most 64 characters: never clipped; without its outer separators (machineKey).
        int a = 0;
        int b = value.length();
        while (a < b && !isAsciiLetterOrDigit(value.charAt(a))) {
          a++;
        }
        while (b > a && !isAsciiLetterOrDigit(value.charAt(b - 1))) {
          b--;
        }
        TermStream flat = streams.flat;
        flat.beginTerm();
        flat.append(value, a, b, true);
        flat.endTerm();
      }
      default -> streams.words.add(clip(value, MAX_TEXT_CHARS));
    }
    if (count[0]++ >= MAX_FIELDS_PER_EVENT) {
      return;
    }
    TermStream keywords = streams.keywords;
    keywords.beginTerm();
    String kwPath = keywordPath(path);
    keywords.append(kwPath, 0, kwPath.length(), false);
    keywords.appendByte((byte) 0);
    keywords.append(value, 0, keywordEnd(value), true);
    keywords.endTerm();
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
  private static boolean isAsciiLetterOrDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

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
