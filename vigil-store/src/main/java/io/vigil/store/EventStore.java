package io.vigil.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.PointValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.StringHelper;

/**
 * The event store: one Lucene index per UTC day ({@code events-YYYY-MM-DD} under the store
 * directory), searched together, with retention by age and size.
 *
 * <p>Every JSON value is searchable under its dotted path ({@code winlog.event_data.Image}): {@code
 * field:value} matches the whole value without regard to case, with {@code *} and {@code ?}
 * wildcards ({@code Image:*\\powershell.exe}, {@code CommandLine:*mimikatz*}); a bare word or
 * phrase matches the words of any field; {@code EventID:[4600 TO 4700]} compares numbers. Bare
 * clauses are ANDed. Limits: {@link #MAX_SEARCH_LIMIT}, {@link #MAX_BUCKETS}, {@link
 * #MAX_TOP_LIMIT}, {@link EventDocuments#MAX_KEYWORD_CHARS} characters of a value are matched as a
 * keyword, {@link EventDocuments#MAX_TEXT_CHARS} tokenized, {@link
 * EventDocuments#MAX_FIELDS_PER_EVENT} fields indexed per event.
 *
 * <p>{@link #add} writes to the day's writer; {@link #commit} makes the adds durable and visible to
 * searches. An add that was not committed may be lost on a crash; re-adding the same ids (the
 * server replays its spool) adds nothing twice: ids are not indexed, each day's commit records
 * which ids it holds ({@link #commit(long)}). Thread-safe.
 */
public final class EventStore implements AutoCloseable {
  /** Most events one search returns. */
  public static final int MAX_SEARCH_LIMIT = 10_000;

  /**
   * Default of {@link #search(String, Instant, Instant, int, long)}'s {@code trackTotalHitsUpTo}
   * (as Elasticsearch's {@code track_total_hits}): matches are counted exactly up to 10,000;
   * beyond, the total is "at least" what was counted unless the index answers the exact count
   * cheaply.
   */
  public static final long DEFAULT_TRACK_TOTAL_HITS = 10_000;

  /** Most histogram buckets. */
  public static final int MAX_BUCKETS = 1_000;

  /** Most values {@link #top} returns. */
  public static final int MAX_TOP_LIMIT = 1_000;

  /** Day writers open at once; the least recently written is committed and closed beyond it. */
  public static final int MAX_OPEN_WRITERS = 4;

  /** Settings: retention by age and by total size; defaults 30 days, 10 GiB. */
  public record Settings(Duration maxAge, long maxBytes) {
    /** Checks the values. */
    public Settings {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("retention maxAge must be positive, got " + maxAge);
      }
      if (maxBytes <= 0) {
        throw new IllegalArgumentException("retention maxBytes must be positive, got " + maxBytes);
      }
    }

    /** 30 days, 10 GiB. */
    public static Settings defaults() {
      return new Settings(Duration.ofDays(30), 10L << 30);
    }
  }

  /**
   * One page of search results, newest first; {@code total} counts the matches: all of them when
   * {@code relation} is {@link Relation#EQUAL_TO}, at least that many when {@link
   * Relation#GREATER_THAN_OR_EQUAL_TO} (see {@link #search(String, Instant, Instant, int, long)}).
   */
  public record SearchResult(long total, List<StoredEvent> events, Relation relation) {
    /** Whether {@link #total} is exact or a lower bound. */
    public enum Relation {
      /** {@code total} is the number of matches. */
      EQUAL_TO,
      /** There are at least {@code total} matches (counting stopped there). */
      GREATER_THAN_OR_EQUAL_TO
    }

    /** Copies the events. */
    public SearchResult {
      events = List.copyOf(events);
      Objects.requireNonNull(relation, "relation");
    }

    /** An exact total. */
    public SearchResult(long total, List<StoredEvent> events) {
      this(total, events, Relation.EQUAL_TO);
    }

    /** Whether {@link #total} counts every match. */
    public boolean totalExact() {
      return relation == Relation.EQUAL_TO;
    }
  }

  /** One histogram bucket [start, end). */
  public record Bucket(Instant start, Instant end, long count) {}

  /** One value of a field and how many matching events have it. */
  public record TermCount(String value, long count) {}

  /** What retention deleted. */
  public record Retention(int daysDeleted, long bytesFreed) {}

  private static final String DAY_PREFIX = "events-";
  private static final String STORE_LOCK = "vigil-store.lock";
  private static final Sort NEWEST_FIRST =
      new Sort(new SortField(EventDocuments.TIME, SortField.Type.LONG, true));

  private final Path dir;
  private final Settings settings;
  private final FSDirectory rootDirectory;
  private final Lock storeLock;
  private final TreeMap<LocalDate, Day> days = new TreeMap<>();

  /** Read lock: add, commit, search. Write lock: opening writers, retention, close. */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  private boolean closed;
  private final AtomicLong addCounter = new AtomicLong();

  private EventStore(Path dir, Settings settings, FSDirectory root, Lock storeLock) {
    this.dir = dir;
    this.settings = settings;
    this.rootDirectory = root;
    this.storeLock = storeLock;
  }

  /**
   * Opens (or creates) the store in {@code dir}.
   *
   * @throws IOException when another process uses the store, or a day cannot be read (the message
   *     names the directory)
   */
  public static EventStore open(Path dir, Settings settings) throws IOException {
    Objects.requireNonNull(settings, "settings");
    Files.createDirectories(dir);
    FSDirectory root = FSDirectory.open(dir);
    Lock storeLock;
    try {
      storeLock = root.obtainLock(STORE_LOCK);
    } catch (LockObtainFailedException e) {
      root.close();
      throw new IOException(
          "event store "
              + dir
              + " is in use ("
              + STORE_LOCK
              + " is held by another process or an open EventStore): stop the other vigil serve"
              + " using it, or give this one another store directory",
          e);
    }
    EventStore store = new EventStore(dir, settings, root, storeLock);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, DAY_PREFIX + "*")) {
      for (Path entry : entries) {
        LocalDate date = dayOf(entry);
        if (date != null && Files.isDirectory(entry)) {
          store.days.put(date, Day.open(date, entry));
        }
      }
    } catch (IOException | RuntimeException e) {
      store.closeQuietly();
      throw e;
    }
    return store;
  }

  private static LocalDate dayOf(Path entry) {
    String name = entry.getFileName().toString();
    try {
      return LocalDate.parse(name.substring(DAY_PREFIX.length()));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * Adds events to the daily index of their time; an id the store holds already is skipped
   * (idempotent: a replay of the spool adds nothing twice). Ids are the caller's sequence numbers;
   * see {@link #commit(long)}.
   */
  public void add(List<StoredEvent> events) throws IOException {
    if (events.isEmpty()) {
      return;
    }
    Map<LocalDate, List<StoredEvent>> byDay = new LinkedHashMap<>();
    for (StoredEvent e : events) {
      byDay.computeIfAbsent(dateOf(e.time()), d -> new ArrayList<>()).add(e);
    }
    Map<LocalDate, Day> open = openWriters(byDay.keySet());
    if (open == null) {
      open = writersFor(byDay.keySet());
    }
    lock.readLock().lock();
    while (!open.values().stream().allMatch(Day::hasWriter)) {
      // Another add closed one of these writers meanwhile (MAX_OPEN_WRITERS): open again.
      lock.readLock().unlock();
      open = writersFor(byDay.keySet());
      lock.readLock().lock();
    }
    try {
      ensureOpen();
      for (Map.Entry<LocalDate, List<StoredEvent>> entry : byDay.entrySet()) {
        open.get(entry.getKey()).add(entry.getValue());
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  private static LocalDate dateOf(Instant time) {
    return LocalDate.ofInstant(time, ZoneOffset.UTC);
  }

  /**
   * The days of these dates when each has an open writer already (the common case: live events go
   * to today's writer), taken under the shared lock so adds do not queue behind one another or
   * behind a commit; null when a day or writer must be opened first ({@link #writersFor}).
   */
  private Map<LocalDate, Day> openWriters(Set<LocalDate> dates) {
    lock.readLock().lock();
    try {
      Map<LocalDate, Day> writers = new HashMap<>();
      for (LocalDate date : dates) {
        Day day = days.get(date);
        if (day == null || !day.hasWriter()) {
          return null;
        }
        writers.put(date, day);
      }
      long now = addCounter.incrementAndGet();
      for (Day day : writers.values()) {
        day.lastAdd = now;
      }
      return writers;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Opens the days and writers these dates need, closing least recently used writers. */
  private Map<LocalDate, Day> writersFor(Iterable<LocalDate> dates) throws IOException {
    lock.writeLock().lock();
    try {
      ensureOpen();
      Map<LocalDate, Day> writers = new HashMap<>();
      for (LocalDate date : dates) {
        Day day = days.get(date);
        if (day == null) {
          Path path = dir.resolve(DAY_PREFIX + date);
          Files.createDirectories(path);
          day = Day.open(date, path);
          days.put(date, day);
        }
        if (!day.hasWriter()) {
          evictWriters(writers.keySet());
        }
        day.lastAdd = addCounter.incrementAndGet();
        day.writer();
        writers.put(date, day);
      }
      return writers;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void evictWriters(Set<LocalDate> keep) throws IOException {
    List<Day> open = new ArrayList<>();
    for (Day d : days.values()) {
      if (d.hasWriter() && !keep.contains(d.date)) {
        open.add(d);
      }
    }
    open.sort(Comparator.comparingLong(d -> d.lastAdd));
    int count = open.size() + keep.size();
    for (int i = 0; count >= MAX_OPEN_WRITERS && i < open.size(); i++, count--) {
      open.get(i).closeWriter();
    }
  }

  /** Makes everything added so far durable and searchable. */
  public void commit() throws IOException {
    commit(Long.MIN_VALUE);
  }

  /**
   * Makes everything added so far durable and searchable, and records that every event with an id
   * up to {@code upTo} has been added (each {@link #add} of them returned): after a crash or a
   * restart, adds of such ids are skipped without looking them up. Ids above it that were committed
   * are remembered too (as ranges), so a replay from any earlier point adds nothing twice. The
   * server calls it with the spool sequence of its checkpoint.
   */
  public void commit(long upTo) throws IOException {
    lock.readLock().lock();
    try {
      ensureOpen();
      for (Day day : days.values()) {
        day.commit(upTo);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Newest first; total = all matches (exact, however many: {@link #search(String, Instant,
   * Instant, int, long)} with {@link Long#MAX_VALUE}). {@code query} in Lucene syntax, "" or "*" =
   * all; {@code from} inclusive and {@code to} exclusive, both nullable; {@code limit} at most
   * {@link #MAX_SEARCH_LIMIT}. Sees what was committed.
   */
  public SearchResult search(String query, Instant from, Instant to, int limit)
      throws QueryException, IOException {
    return search(query, from, to, limit, Long.MAX_VALUE);
  }

  /**
   * As {@link #search(String, Instant, Instant, int)}, counting matches exactly only up to {@code
   * trackTotalHitsUpTo} (e.g. {@link #DEFAULT_TRACK_TOTAL_HITS}; {@link Long#MAX_VALUE} for always
   * exact): beyond it the result's total is a lower bound ({@link
   * SearchResult.Relation#GREATER_THAN_OR_EQUAL_TO}) and the newest {@code limit} events are found
   * without visiting every match, unless the index knows the exact count without counting (a single
   * term, every event), in which case the total stays exact. A query matching millions of events
   * then costs about as much as one matching thousands.
   */
  public SearchResult search(
      String query, Instant from, Instant to, int limit, long trackTotalHitsUpTo)
      throws QueryException, IOException {
    int n = clamp(limit, 0, MAX_SEARCH_LIMIT, "limit");
    if (trackTotalHitsUpTo < 0) {
      throw new IllegalArgumentException(
          "trackTotalHitsUpTo must be 0 or more, got " + trackTotalHitsUpTo);
    }
    Query q = filtered(query, from, to);
    boolean exact = trackTotalHitsUpTo >= Integer.MAX_VALUE;
    return withSearcher(
        from,
        to,
        searcher -> {
          if (exact) {
            long total = searcher.count(q);
            if (n == 0 || total == 0) {
              return new SearchResult(total, List.of());
            }
            return new SearchResult(total, page(searcher, q, n, n).events());
          }
          int threshold = (int) Math.max(trackTotalHitsUpTo, n);
          SearchResult r = page(searcher, q, Math.max(n, 1), threshold);
          if (n == 0) {
            r = new SearchResult(r.total(), List.of(), r.relation());
          }
          if (!r.totalExact()) {
            long counted = cheapCount(searcher, q);
            if (counted >= 0) {
              r = new SearchResult(counted, r.events());
            }
          }
          return r;
        },
        new SearchResult(0, List.of()));
  }

  /** The newest {@code n} matches, counting up to {@code threshold} exactly. */
  private static SearchResult page(IndexSearcher searcher, Query q, int n, int threshold)
      throws IOException {
    TopFieldDocs top =
        searcher.search(q, new TopFieldCollectorManager(NEWEST_FIRST, n, null, threshold));
    StoredFields stored = searcher.storedFields();
    List<StoredEvent> events = new ArrayList<>(top.scoreDocs.length);
    for (ScoreDoc sd : top.scoreDocs) {
      Document d = stored.document(sd.doc);
      events.add(
          new StoredEvent(
              d.getField(EventDocuments.ID).numericValue().longValue(),
              Instant.ofEpochMilli(d.getField(EventDocuments.TIME).numericValue().longValue()),
              EventDocuments.source(d)));
    }
    boolean exact = top.totalHits.relation() == TotalHits.Relation.EQUAL_TO;
    return new SearchResult(
        top.totalHits.value(),
        events,
        exact ? SearchResult.Relation.EQUAL_TO : SearchResult.Relation.GREATER_THAN_OR_EQUAL_TO);
  }

  /** The exact count when every segment knows it without counting (e.g. a term), else -1. */
  private static long cheapCount(IndexSearcher searcher, Query q) throws IOException {
    Weight weight = searcher.createWeight(searcher.rewrite(q), ScoreMode.COMPLETE_NO_SCORES, 1f);
    long sum = 0;
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      int c = weight.count(leaf);
      if (c < 0) {
        return -1;
      }
      sum += c;
    }
    return sum;
  }

  /**
   * Counts matches in {@code buckets} equal buckets between {@code from} and {@code to}, or the
   * first and last matching event's time when null; at most {@link #MAX_BUCKETS}.
   */
  public List<Bucket> histogram(String query, Instant from, Instant to, int buckets)
      throws QueryException, IOException {
    int n = clamp(buckets, 1, MAX_BUCKETS, "buckets");
    Query q = filtered(query, from, to);
    boolean everyEvent = StoreQueryParser.parseQuery(query) instanceof MatchAllDocsQuery;
    return withSearcher(
        from,
        to,
        searcher -> {
          long lo;
          long hi; // exclusive
          if (from != null && to != null) {
            lo = from.toEpochMilli();
            hi = to.toEpochMilli();
          } else {
            long[] range = searcher.search(q, Aggregations.timeRange());
            if (range[0] > range[1]) {
              return List.of();
            }
            lo = from != null ? from.toEpochMilli() : range[0];
            hi = to != null ? to.toEpochMilli() : range[1] + 1;
          }
          if (hi <= lo) {
            return List.of();
          }
          long width = Math.max(1, ceilDiv(hi - lo, n));
          long[] counts;
          if (everyEvent) {
            // Every event counts: each bucket is a time range counted from the points index,
            // which answers whole segments inside or outside the range without visiting docs.
            counts = new long[n];
            for (int i = 0; i < n && lo + i * width < hi; i++) {
              long start = lo + i * width;
              long end = Math.min(hi, start + width) - 1;
              counts[i] = searcher.count(LongPoint.newRangeQuery(EventDocuments.TIME, start, end));
            }
          } else {
            counts = searcher.search(q, Aggregations.histogram(lo, width, n));
          }
          List<Bucket> out = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            long start = lo + i * width;
            if (start >= hi) {
              break;
            }
            out.add(
                new Bucket(
                    Instant.ofEpochMilli(start),
                    Instant.ofEpochMilli(Math.min(hi, start + width)),
                    counts[i]));
          }
          return out;
        },
        List.of());
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /**
   * The most frequent values of {@code field} (a dotted path, as in queries) among the matches,
   * most frequent first; values longer than {@link EventDocuments#MAX_TOP_VALUE_CHARS} characters
   * are cut. At most {@link #MAX_TOP_LIMIT}.
   */
  public List<TermCount> top(String field, String query, Instant from, Instant to, int limit)
      throws QueryException, IOException {
    if (field == null || field.isBlank()) {
      throw new QueryException("top needs a field name, e.g. Image or winlog.event_data.Image");
    }
    if (field.startsWith("vigil#")) {
      throw new QueryException(
          "'" + field + "' is an internal field of the store; give a field of the events");
    }
    int n = clamp(limit, 1, MAX_TOP_LIMIT, "limit");
    Query q = filtered(query, from, to);
    return withSearcher(from, to, searcher -> topValues(searcher, field, q, n), List.of());
  }

  /**
   * Counts, for each keyword of {@code field}, the matches in its postings (one bit set of matches
   * per segment), then reads the original text of the {@code n} most frequent from one stored event
   * each.
   */
  private static List<TermCount> topValues(IndexSearcher searcher, String field, Query q, int n)
      throws IOException {
    boolean everyEvent = q instanceof MatchAllDocsQuery;
    Weight weight = searcher.createWeight(searcher.rewrite(q), ScoreMode.COMPLETE_NO_SCORES, 1f);
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    FixedBitSet[] matches = new FixedBitSet[leaves.size()];
    Map<String, Long> counts = new HashMap<>();
    BytesRef prefix = EventDocuments.keywordPrefix(field);
    for (LeafReaderContext leaf : leaves) {
      Terms terms = leaf.reader().terms(EventDocuments.KEYWORDS);
      if (terms == null) {
        continue;
      }
      TermsEnum te = terms.iterator();
      if (te.seekCeil(prefix) == TermsEnum.SeekStatus.END
          || !StringHelper.startsWith(te.term(), prefix)) {
        continue; // no value of this path in the segment
      }
      Bits live = leaf.reader().getLiveDocs();
      FixedBitSet bits = null;
      if (!everyEvent || live != null) {
        Scorer scorer = weight.scorer(leaf);
        if (scorer == null) {
          continue;
        }
        bits = new FixedBitSet(leaf.reader().maxDoc());
        DocIdSetIterator it = scorer.iterator();
        for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
          if (live == null || live.get(d)) {
            bits.set(d);
          }
        }
      }
      matches[leaf.ord] = bits;
      PostingsEnum pe = null;
      for (BytesRef term = te.term();
          term != null && StringHelper.startsWith(term, prefix);
          term = te.next()) {
        long c;
        if (bits == null) {
          c = te.docFreq();
        } else {
          c = 0;
          pe = te.postings(pe, PostingsEnum.NONE);
          for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
            if (bits.get(d)) {
              c++;
            }
          }
        }
        if (c > 0) {
          String value =
              new BytesRef(term.bytes, term.offset + prefix.length, term.length - prefix.length)
                  .utf8ToString();
          counts.merge(value, c, Long::sum);
        }
      }
    }
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(
        Map.Entry.<String, Long>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    List<TermCount> out = new ArrayList<>(Math.min(n, sorted.size()));
    for (Map.Entry<String, Long> e : sorted.subList(0, Math.min(n, sorted.size()))) {
      out.add(
          new TermCount(originalText(searcher, leaves, matches, field, e.getKey()), e.getValue()));
    }
    return out;
  }

  /** The original text of a keyword, from the first matching event that has it. */
  private static String originalText(
      IndexSearcher searcher,
      List<LeafReaderContext> leaves,
      FixedBitSet[] matches,
      String field,
      String keyword)
      throws IOException {
    BytesRef bytes = EventDocuments.keywordTerm(field, keyword);
    for (LeafReaderContext leaf : leaves) {
      Terms terms = leaf.reader().terms(EventDocuments.KEYWORDS);
      if (terms == null) {
        continue;
      }
      TermsEnum te = terms.iterator();
      if (!te.seekExact(bytes)) {
        continue;
      }
      PostingsEnum pe = te.postings(null, PostingsEnum.NONE);
      FixedBitSet bits = matches[leaf.ord];
      for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
        if (bits == null || bits.get(d)) {
          String json = EventDocuments.source(leaf.reader().storedFields().document(d));
          String text = json == null ? null : EventDocuments.originalValue(json, field, keyword);
          if (text != null) {
            return text;
          }
          break;
        }
      }
    }
    return EventDocuments.clip(keyword, EventDocuments.MAX_TOP_VALUE_CHARS);
  }

  private static int clamp(int value, int min, int max, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
    return Math.min(value, max);
  }

  private static Query filtered(String query, Instant from, Instant to) throws QueryException {
    Query q = StoreQueryParser.parseQuery(query);
    if (from == null && to == null) {
      return q;
    }
    long lo = from == null ? Long.MIN_VALUE : from.toEpochMilli();
    long hi = to == null ? Long.MAX_VALUE : to.toEpochMilli() - 1;
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    if (!(q instanceof MatchAllDocsQuery)) {
      b.add(q, BooleanClause.Occur.MUST);
    }
    b.add(LongPoint.newRangeQuery(EventDocuments.TIME, lo, hi), BooleanClause.Occur.FILTER);
    return b.build();
  }

  @FunctionalInterface
  private interface SearchFn<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  /** Runs {@code fn} over the days that can hold events in [from, to). */
  private <T> T withSearcher(Instant from, Instant to, SearchFn<T> fn, T empty) throws IOException {
    List<DirectoryReader> readers = new ArrayList<>();
    lock.readLock().lock();
    try {
      ensureOpen();
      LocalDate first = from == null ? LocalDate.MIN : dateOf(from);
      LocalDate last = to == null ? LocalDate.MAX : dateOf(to.minusMillis(1));
      if (first.isAfter(last)) {
        return empty;
      }
      for (Day day : days.subMap(first, true, last, true).values()) {
        DirectoryReader r = day.acquire();
        if (r != null) {
          readers.add(r);
        }
      }
    } finally {
      lock.readLock().unlock();
    }
    if (readers.isEmpty()) {
      return empty;
    }
    try (MultiReader multi = new MultiReader(newestFirst(readers), false)) {
      IndexSearcher searcher = new IndexSearcher(multi);
      return fn.apply(searcher);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      for (DirectoryReader r : readers) {
        r.decRef();
      }
    }
  }

  /**
   * The segments of {@code readers} ordered by their newest event, newest first: a search for the
   * newest events fills its page from the newest segments, after which older segments whose newest
   * event is older than the page's oldest are skipped from the time points (with a total-hits
   * threshold, their matches are not even counted).
   */
  private static IndexReader[] newestFirst(List<DirectoryReader> readers) throws IOException {
    List<LeafReader> leaves = new ArrayList<>();
    Map<LeafReader, Long> newest = new HashMap<>();
    for (DirectoryReader r : readers) {
      for (LeafReaderContext leaf : r.leaves()) {
        PointValues points = leaf.reader().getPointValues(EventDocuments.TIME);
        long max =
            points == null || points.size() == 0
                ? Long.MIN_VALUE
                : LongPoint.decodeDimension(points.getMaxPackedValue(), 0);
        leaves.add(leaf.reader());
        newest.put(leaf.reader(), max);
      }
    }
    leaves.sort((a, b) -> Long.compare(newest.get(b), newest.get(a)));
    return leaves.toArray(new IndexReader[0]);
  }

  /**
   * Deletes whole days older than maxAge (the day's end before {@code now - maxAge}), then the
   * oldest days while the store is over maxBytes; never the day of {@code now}.
   */
  public Retention applyRetention(Instant now) throws IOException {
    lock.writeLock().lock();
    try {
      ensureOpen();
      LocalDate today = dateOf(now);
      Instant cutoff = now.minus(settings.maxAge());
      int deleted = 0;
      long freed = 0;
      List<LocalDate> dates = new ArrayList<>(days.keySet());
      Map<LocalDate, Long> sizes = new HashMap<>();
      long total = 0;
      for (LocalDate d : dates) {
        long s = directorySize(days.get(d).path);
        sizes.put(d, s);
        total += s;
      }
      for (LocalDate d : dates) {
        Instant dayEnd = d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        boolean tooOld = !dayEnd.isAfter(cutoff) && !d.equals(today);
        boolean tooBig = total > settings.maxBytes() && d.isBefore(today);
        if (!tooOld && !tooBig) {
          continue;
        }
        deleteDay(days.remove(d));
        deleted++;
        freed += sizes.get(d);
        total -= sizes.get(d);
      }
      return new Retention(deleted, freed);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static void deleteDay(Day day) throws IOException {
    day.close(false);
    Files.walkFileTree(
        day.path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            Files.deleteIfExists(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Committed events in the store. */
  public long count() throws IOException {
    return withSearcher(null, null, s -> (long) s.getIndexReader().numDocs(), 0L);
  }

  /** Bytes on disk of all days. */
  public long sizeBytes() throws IOException {
    lock.readLock().lock();
    try {
      ensureOpen();
      long total = 0;
      for (Day day : days.values()) {
        total += directorySize(day.path);
      }
      return total;
    } finally {
      lock.readLock().unlock();
    }
  }

  private static long directorySize(Path path) throws IOException {
    long total = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(path)) {
      for (Path f : files) {
        try {
          total += Files.size(f);
        } catch (NoSuchFileException merged) {
          // a merge deleted it meanwhile
        }
      }
    }
    return total;
  }

  /** The directory of the store. */
  public Path directory() {
    return dir;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("event store " + dir + " is closed");
    }
  }

  /** Commits what was added and closes every day. */
  @Override
  public void close() throws IOException {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      IOException first = null;
      for (Day day : days.values()) {
        try {
          day.close(true);
        } catch (IOException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
      days.clear();
      storeLock.close();
      rootDirectory.close();
      if (first != null) {
        throw first;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException | RuntimeException ignored) {
      // already failing
    }
  }
}
