package io.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventStoreTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir Path dir;
  EventStore store;

  @BeforeEach
  void open() throws IOException {
    store = EventStore.open(dir, EventStore.Settings.defaults());
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }

  private static StoredEvent ev(long id, Instant time, String json) {
    return new StoredEvent(id, time, json);
  }

  private static String sysmon(String image, String commandLine, int eventId) {
    return "{\"EventID\":"
        + eventId
        + ",\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Image\":\""
        + image.replace("\\", "\\\\")
        + "\",\"CommandLine\":\""
        + commandLine.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\",\"Hostname\":\"WS01\"}";
  }

  private void addSample() throws IOException {
    store.add(
        List.of(
            ev(
                1,
                T0,
                sysmon(
                    "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                    "powershell.exe -nop -c IEX (New-Object Net.WebClient).DownloadString('x')",
                    1)),
            ev(
                2,
                T0.plusSeconds(60),
                sysmon(
                    "C:\\Users\\bob\\Desktop\\Mimikatz.exe",
                    "mimikatz.exe \"privilege::debug\" \"sekurlsa::logonpasswords\"",
                    1)),
            ev(
                3,
                T0.plusSeconds(120),
                sysmon("C:\\Windows\\System32\\cmd.exe", "cmd /c whoami /all", 1)),
            ev(
                4,
                T0.plusSeconds(180),
                "{\"EventID\":4688,\"Channel\":\"Security\",\"NewProcessName\":\"C:\\\\Windows\\\\System32\\\\whoami.exe\",\"SubjectUserName\":\"bob\",\"LogonId\":\"0x3e7\"}"),
            ev(
                5,
                T0.plusSeconds(240),
                "{\"EventID\":\"4624\",\"Channel\":\"Security\",\"LogonType\":3,\"Score\":1.5,\"TargetUserName\":\"ALICE\"}")));
    store.commit();
  }

  private List<Long> ids(String query) throws Exception {
    return store.search(query, null, null, 100).events().stream().map(StoredEvent::id).toList();
  }

  @Test
  void search_all_newestFirstWithSource() throws Exception {
    addSample();
    EventStore.SearchResult all = store.search("", null, null, 2);
    assertThat(all.total()).isEqualTo(5);
    assertThat(all.events()).extracting(StoredEvent::id).containsExactly(5L, 4L);
    assertThat(all.events().get(0).time()).isEqualTo(T0.plusSeconds(240));
    assertThat(all.events().get(0).json()).contains("\"TargetUserName\":\"ALICE\"");
    assertThat(ids("*")).containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(store.count()).isEqualTo(5);
  }

  @Test
  void search_wildcardOnWindowsPaths_caseInsensitive() throws Exception {
    addSample();
    assertThat(ids("Image:*\\\\powershell.exe")).containsExactly(1L);
    assertThat(ids("Image:*\\\\POWERSHELL.EXE")).containsExactly(1L);
    assertThat(ids("Image:c\\:\\\\windows\\\\system32\\\\*")).containsExactly(3L, 1L);
    assertThat(ids("Image:\"C:\\\\Windows\\\\System32\\\\cmd.exe\"")).containsExactly(3L);
    assertThat(ids("CommandLine:*mimikatz*")).containsExactly(2L);
    assertThat(ids("CommandLine:*SEKURLSA??logonpasswords*")).containsExactly(2L);
    assertThat(ids("Image:*\\\\mimikatz.exe OR NewProcessName:*\\\\whoami.exe"))
        .containsExactly(4L, 2L);
  }

  @Test
  void search_exactValue_matchesWholeValueOnly() throws Exception {
    addSample();
    assertThat(ids("Hostname:ws01")).containsExactly(3L, 2L, 1L);
    assertThat(ids("Channel:security")).containsExactly(5L, 4L);
    assertThat(ids("TargetUserName:alice")).containsExactly(5L);
    assertThat(ids("CommandLine:whoami")).isEmpty(); // a word is not the whole value
    assertThat(ids("CommandLine:\"CMD /C WHOAMI /ALL\"")).containsExactly(3L);
  }

  @Test
  void search_bareWordsAndPhrases_matchAnyField() throws Exception {
    addSample();
    assertThat(ids("mimikatz")).containsExactly(2L);
    assertThat(ids("WHOAMI")).containsExactly(4L, 3L);
    assertThat(ids("\"net.webclient downloadstring\"")).containsExactly(1L);
    assertThat(ids("mimikatz.exe")).containsExactly(2L);
    assertThat(ids("Mimikatz.exe logonpasswords")).containsExactly(2L);
    assertThat(ids("exe.mimikatz")).isEmpty();
    assertThat(ids("\"downloadstring net.webclient\"")).isEmpty();
    assertThat(ids("whoami security")).containsExactly(4L); // bare words are ANDed
    assertThat(ids("whoami -security")).containsExactly(3L);
  }

  @Test
  void search_numericRangesAndTerms() throws Exception {
    addSample();
    assertThat(ids("EventID:4688")).containsExactly(4L);
    assertThat(ids("EventID:4624")).containsExactly(5L); // string "4624" in the JSON
    assertThat(ids("EventID:[4600 TO 4700]")).containsExactly(5L, 4L);
    assertThat(ids("EventID:{4624 TO 4688]")).containsExactly(4L);
    assertThat(ids("EventID:[* TO 10]")).containsExactly(3L, 2L, 1L);
    assertThat(ids("Score:[1.2 TO 2]")).containsExactly(5L);
    assertThat(ids("LogonType:[3 TO 3]")).containsExactly(5L);
    assertThat(ids("EventID:[1 TO 1] AND Image:*cmd.exe")).containsExactly(3L);
    // Text ranges compare lowercased values.
    assertThat(ids("TargetUserName:[a TO b]")).containsExactly(5L);
  }

  @Test
  void search_numericRangesBeyondDoublePrecision_exact() throws Exception {
    // 2^53 + 1 and 2^53 + 2 are one double apart at most: only the long field tells them apart.
    store.add(
        List.of(
            ev(1, T0, "{\"n\":9007199254740993}"),
            ev(2, T0.plusSeconds(1), "{\"n\":9007199254740994}"),
            ev(3, T0.plusSeconds(2), "{\"n\":5}"),
            ev(4, T0.plusSeconds(3), "{\"n\":-9007199254740995}"),
            ev(5, T0.plusSeconds(4), "{\"n\":1.5e300}")));
    store.commit();
    assertThat(ids("n:[9007199254740993 TO 9007199254740993]")).containsExactly(1L);
    assertThat(ids("n:{9007199254740993 TO *]")).containsExactly(5L, 2L);
    assertThat(ids("n:[0 TO 9007199254740994}")).containsExactly(3L, 1L);
    assertThat(ids("n:[* TO 6]")).containsExactly(4L, 3L);
    assertThat(ids("n:[-9007199254740995 TO -9007199254740995]")).containsExactly(4L);
    assertThat(ids("n:[1e299 TO 1e301]")).containsExactly(5L);
    assertThat(ids("n:9007199254740994")).containsExactly(2L);
  }

  @Test
  void search_nineteenDigitIntegers_exactInTheLongField() throws Exception {
    store.add(
        List.of(
            ev(1, T0, "{\"Keywords\":-9223372036854775808}"),
            ev(2, T0.plusSeconds(1), "{\"Keywords\":-9214364837600034816}"),
            ev(3, T0.plusSeconds(2), "{\"Keywords\":9223372036854775807}"),
            ev(4, T0.plusSeconds(3), "{\"Keywords\":92233720368547758070}")));
    store.commit();
    assertThat(EventDocuments.parseLong("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    assertThat(EventDocuments.parseLong("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    assertThat(EventDocuments.parseLong("9223372036854775808")).isNull();
    assertThat(EventDocuments.parseLong("-9223372036854775809")).isNull();
    assertThat(ids("Keywords:[-9223372036854775808 TO -9223372036854775808]")).containsExactly(1L);
    assertThat(ids("Keywords:{-9223372036854775808 TO -9214364837600034816]")).containsExactly(2L);
    assertThat(ids("Keywords:[9223372036854775807 TO *]")).containsExactly(4L, 3L);
    assertThat(ids("Keywords:\\-9223372036854775808")).containsExactly(1L);
  }

  @Test
  void search_fullTextWords_phrasesStayInsideOneValue() throws Exception {
    String longWord = "a".repeat(300);
    store.add(
        List.of(
            ev(1, T0, "{\"a\":\"Alpha Beta\",\"b\":\"Gamma\"}"),
            ev(2, T0.plusSeconds(1), "{\"x\":\"\u00c9T\u00c9 r\u00e9sum\u00e9_2024\"}"),
            ev(3, T0.plusSeconds(2), "{\"w\":\"" + longWord + "\"}"),
            ev(4, T0.plusSeconds(3), "{\"cmd\":\"C:\\\\Tools\\\\psexec.exe -s cmd\"}")));
    store.commit();
    assertThat(ids("\"alpha beta\"")).containsExactly(1L);
    assertThat(ids("\"beta gamma\"")).isEmpty(); // two values: never one phrase
    assertThat(ids("beta gamma")).containsExactly(1L);
    assertThat(ids("\u00e9t\u00e9 R\u00c9SUM\u00c9")).containsExactly(2L);
    assertThat(ids("2024")).containsExactly(2L);
    // A word longer than 255 characters is cut the same way at index and query time.
    assertThat(ids(longWord)).containsExactly(3L);
    assertThat(ids("a".repeat(255))).containsExactly(3L);
    assertThat(ids("\"tools psexec exe\"")).containsExactly(4L);
    assertThat(ids("cmd:*\\\\psexec.exe*")).containsExactly(4L);
  }

  @Test
  void search_oneWordAndMachineValues_foundWholeAndByWildcard() throws Exception {
    // Values that are one word, GUIDs, timestamps and decimals have no positional words (format
    // 5), only one documents-only term each: a bare word, a whole value, wildcards and prefixes
    // still find them.
    store.add(
        List.of(
            ev(
                1,
                T0,
                "{\"User\":\"SYSTEM\",\"Pid\":4242,\"Guid\":\"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}\","
                    + "\"UtcTime\":\"2020-09-21 19:03:37.123\",\"Score\":\"-12.75\"}"),
            ev(
                2,
                T0.plusSeconds(1),
                "{\"Cmd\":\"run system now\",\"At\":\"2020-09-22T07:00:00Z\",\"Ip\":\"10.1.2.3\"}"),
            ev(3, T0.plusSeconds(2), "{\"Note\":\"guid 5770385f is 4242 43e0\"}")));
    store.commit();
    assertThat(WordStream.shape("SYSTEM")).isEqualTo(WordStream.ONE_WORD);
    assertThat(WordStream.shape("{5770385F-C22A-43E0-BF4C-06F5698FFBD9}"))
        .isEqualTo(WordStream.MACHINE);
    assertThat(WordStream.shape("2020-09-21 19:03:37.123")).isEqualTo(WordStream.MACHINE);
    assertThat(WordStream.shape("10.1.2.3")).isEqualTo(WordStream.TEXT);
    assertThat(WordStream.shape("run system now")).isEqualTo(WordStream.TEXT);
    // A bare word that is a whole value, in any case, beside the same word inside prose.
    assertThat(ids("system")).containsExactly(2L, 1L);
    assertThat(ids("\"SYSTEM\"")).containsExactly(2L, 1L);
    assertThat(ids("syst*")).containsExactly(2L, 1L);
    assertThat(ids("*stem")).containsExactly(2L, 1L);
    assertThat(ids("systen~1")).containsExactly(2L, 1L);
    // A number: whole value and inside prose.
    assertThat(ids("4242")).containsExactly(3L, 1L);
    assertThat(ids("12.75")).containsExactly(1L);
    assertThat(ids("\"-12.75\"")).containsExactly(1L);
    // A GUID, written with or without braces; a part of it only with a wildcard or its field.
    assertThat(ids("\"{5770385F-C22A-43E0-BF4C-06F5698FFBD9}\"")).containsExactly(1L);
    assertThat(ids("5770385F-C22A-43E0-BF4C-06F5698FFBD9")).containsExactly(1L);
    assertThat(ids("5770385f")).containsExactly(3L); // the word in prose only (format 5)
    assertThat(ids("*5770385f*")).containsExactly(3L, 1L);
    assertThat(ids("5770385f*")).containsExactly(3L, 1L);
    assertThat(ids("Guid:*43e0*")).containsExactly(1L);
    // Timestamps: the whole value, quoted; a date by prefix.
    assertThat(ids("\"2020-09-21 19:03:37.123\"")).containsExactly(1L);
    assertThat(ids("\"2020-09-22T07:00:00Z\"")).containsExactly(2L);
    assertThat(ids("2020-09-2*")).containsExactly(2L, 1L);
    assertThat(ids("\"37.123 10\"")).isEmpty(); // never across values
    // The keyword fields are unchanged.
    assertThat(ids("User:system AND Pid:[4000 TO 5000]")).containsExactly(1L);
    assertThat(ids("Ip:10.1.2.3 AND \"10 1 2\"")).containsExactly(2L);
    assertThat(store.histogram("system", null, null, 1).getFirst().count()).isEqualTo(2);
  }

  @Test
  void search_trackTotalHits_exactUpToTheThresholdThenAtLeast() throws Exception {
    List<StoredEvent> events = new java.util.ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      events.add(ev(i, T0.plusSeconds(i), "{\"cmd\":\"net use x" + i + "\",\"k\":\"v\"}"));
    }
    store.add(events);
    store.commit();
    // Beyond the threshold: at least as many as counted, and still the newest events.
    EventStore.SearchResult over = store.search("\"net use\"", null, null, 5, 10);
    assertThat(over.relation())
        .isEqualTo(EventStore.SearchResult.Relation.GREATER_THAN_OR_EQUAL_TO);
    assertThat(over.totalExact()).isFalse();
    assertThat(over.total()).isBetween(10L, 30L);
    assertThat(over.events().stream().map(StoredEvent::id))
        .containsExactly(30L, 29L, 28L, 27L, 26L);
    // At or under the threshold, and by default: exact.
    for (long threshold : new long[] {30, 31, EventStore.DEFAULT_TRACK_TOTAL_HITS}) {
      EventStore.SearchResult r = store.search("\"net use\"", null, null, 5, threshold);
      assertThat(r.total()).isEqualTo(30);
      assertThat(r.relation()).isEqualTo(EventStore.SearchResult.Relation.EQUAL_TO);
      assertThat(r.events().stream().map(StoredEvent::id)).containsExactly(30L, 29L, 28L, 27L, 26L);
    }
    assertThat(store.search("\"net use\"", null, null, 5).total()).isEqualTo(30);
    assertThat(store.search("\"net use\"", null, null, 5).totalExact()).isTrue();
    // A count the index knows without counting (one term) stays exact beyond the threshold.
    EventStore.SearchResult term = store.search("k:v", null, null, 3, 10);
    assertThat(term.total()).isEqualTo(30);
    assertThat(term.totalExact()).isTrue();
    // No events asked for: only the count.
    EventStore.SearchResult none = store.search("\"net use\"", null, null, 0, 10);
    assertThat(none.events()).isEmpty();
    assertThat(none.totalExact()).isFalse();
    assertThat(store.search("\"net use\"", null, null, 0, 50).total()).isEqualTo(30);
    assertThat(store.search("\"net use x7\"", null, null, 10, 1).total()).isEqualTo(1);
    assertThatThrownBy(() -> store.search("k:v", null, null, 5, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trackTotalHitsUpTo");
  }

  @Test
  void search_phrases_insideOneValueWithSlop() throws Exception {
    store.add(
        List.of(
            ev(1, T0, "{\"a\":\"one two three four\",\"b\":\"five six\"}"),
            ev(2, T0.plusSeconds(1), "{\"a\":\"two one\",\"b\":[\"x three\", \"four\"]}"),
            ev(3, T0.plusSeconds(2), "{\"a\":{\"deep\":\"Two\\u0020Three\"}}"),
            ev(4, T0.plusSeconds(3), "plain text: one two three")));
    store.commit();
    assertThat(ids("\"one two\"")).containsExactly(4L, 1L);
    assertThat(ids("\"two three\"")).containsExactly(4L, 3L, 1L);
    assertThat(ids("\"three four\"")).containsExactly(1L); // event 2: two values
    assertThat(ids("\"one three\"")).isEmpty();
    assertThat(ids("\"one three\"~1")).containsExactly(4L, 1L);
    assertThat(ids("\"one four\"~1")).isEmpty();
    assertThat(ids("\"one four\"~2")).containsExactly(1L);
    assertThat(ids("\"four five\"")).isEmpty(); // never across values
    assertThat(ids("\"two three\" AND a.deep:*three")).containsExactly(3L);
    assertThat(ids("a:* AND NOT \"two three\"")).containsExactly(2L);
    assertThat(store.histogram("\"two three\"", null, null, 1).getFirst().count()).isEqualTo(3);
  }

  @Test
  void top_valuesDifferingOnlyInCase_countedTogether() throws Exception {
    store.add(
        List.of(
            ev(1, T0, "{\"Image\":\"C:\\\\Windows\\\\cmd.exe\",\"x\":1}"),
            ev(2, T0.plusSeconds(1), "{\"Image\":\"c:\\\\windows\\\\CMD.EXE\",\"x\":2}"),
            ev(3, T0.plusSeconds(2), "{\"Image\":\"C:\\\\a.exe\",\"x\":2}"),
            ev(4, T0.plusSeconds(3), "{\"Image\":[\"C:\\\\a.exe\",\"b\"],\"x\":3}")));
    store.commit();
    assertThat(store.top("Image", "", null, null, 10))
        .containsExactly(
            new EventStore.TermCount("C:\\a.exe", 2),
            new EventStore.TermCount("C:\\Windows\\cmd.exe", 2),
            new EventStore.TermCount("b", 1));
    // The original text comes from a matching event.
    assertThat(store.top("Image", "x:2", null, null, 10))
        .containsExactly(
            new EventStore.TermCount("C:\\a.exe", 1),
            new EventStore.TermCount("c:\\windows\\CMD.EXE", 1));
    assertThat(store.top("x", "", T0.plusSeconds(1), T0.plusSeconds(3), 10))
        .containsExactly(new EventStore.TermCount("2", 2));
  }

  @Test
  void search_timeFilter_fromInclusiveToExclusive() throws Exception {
    addSample();
    EventStore.SearchResult r = store.search("", T0.plusSeconds(60), T0.plusSeconds(180), 10);
    assertThat(r.total()).isEqualTo(2);
    assertThat(r.events()).extracting(StoredEvent::id).containsExactly(3L, 2L);
    assertThat(store.search("EventID:1", T0.plusSeconds(61), null, 10).total()).isEqualTo(1);
    assertThat(store.search("", null, T0, 10).total()).isZero();
    assertThat(store.search("", T0.plusSeconds(10_000), T0, 10).total()).isZero();
  }

  @Test
  void search_limit_totalStillCountsAll() throws Exception {
    List<StoredEvent> many = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      many.add(ev(i, T0.plusMillis(i), "{\"n\":" + i + ",\"kind\":\"x\"}"));
    }
    store.add(many);
    store.commit();
    EventStore.SearchResult r = store.search("kind:x", null, null, 3);
    assertThat(r.total()).isEqualTo(500);
    assertThat(r.events()).extracting(StoredEvent::id).containsExactly(499L, 498L, 497L);
    assertThat(store.search("kind:x", null, null, 0).events()).isEmpty();
    assertThat(store.search("kind:x", null, null, 1_000_000).events())
        .hasSize(500); // capped at MAX_SEARCH_LIMIT, here all
    assertThatThrownBy(() -> store.search("", null, null, -1))
        .hasMessageContaining("limit must be at least 0");
  }

  @Test
  void add_withoutCommit_notVisibleUntilCommit() throws Exception {
    store.add(List.of(ev(1, T0, "{\"a\":\"b\"}")));
    assertThat(store.search("a:b", null, null, 10).total()).isZero();
    store.commit();
    assertThat(store.search("a:b", null, null, 10).total()).isEqualTo(1);
  }

  @Test
  void add_sameIdsAgain_skippedAcrossReopen() throws Exception {
    addSample();
    addSample(); // the same process replays (uncommitted and committed ids)
    assertThat(store.count()).isEqualTo(5);
    store.close();
    store = EventStore.open(dir, EventStore.Settings.defaults());
    assertThat(store.count()).isEqualTo(5);
    addSample(); // a replay from the spool after a restart
    assertThat(store.count()).isEqualTo(5);
    store.add(List.of(ev(3, T0.plusSeconds(120), "{\"replaced\":\"yes\"}")));
    store.commit();
    assertThat(store.count()).isEqualTo(5);
    assertThat(ids("replaced:yes")).isEmpty(); // the stored event of id 3 stays
    assertThat(ids("Image:*cmd.exe")).containsExactly(3L);
    store.close();
    store = EventStore.open(dir, EventStore.Settings.defaults());
    assertThat(store.count()).isEqualTo(5);
    assertThat(ids("Image:*cmd.exe")).containsExactly(3L);
  }

  @Test
  void add_uncommittedThenCrash_lostButReplayable() throws Exception {
    store.add(List.of(ev(1, T0, "{\"a\":\"b\"}")));
    store.commit();
    store.add(List.of(ev(2, T0, "{\"a\":\"c\"}")));
    // Simulate a crash: copy the committed files of the day while the writer is open.
    Path copy = Files.createTempDirectory("crash");
    try {
      copyTree(dir, copy);
      Files.deleteIfExists(copy.resolve("vigil-store.lock"));
      Files.deleteIfExists(copy.resolve("events-2026-11-20").resolve("write.lock"));
      try (EventStore reopened = EventStore.open(copy, EventStore.Settings.defaults())) {
        assertThat(reopened.count()).isEqualTo(1);
        reopened.add(List.of(ev(1, T0, "{\"a\":\"b\"}"), ev(2, T0, "{\"a\":\"c\"}")));
        reopened.commit();
        assertThat(reopened.count()).isEqualTo(2);
      }
    } finally {
      deleteTree(copy);
    }
  }

  /** Ids 1..n over two days (odd ids on T0's day, even ids on the next day). */
  private static List<StoredEvent> twoDays(long first, long last) {
    List<StoredEvent> out = new ArrayList<>();
    for (long id = first; id <= last; id++) {
      Instant t = id % 2 == 1 ? T0.plusSeconds(id) : T0.plus(Duration.ofDays(1)).plusSeconds(id);
      out.add(ev(id, t, "{\"n\":" + id + ",\"k\":\"v\"}"));
    }
    return out;
  }

  /** The ids of every stored event, asserting that none is stored twice. */
  private static List<Long> allIdsOnce(EventStore s) throws Exception {
    List<Long> all =
        s.search("", null, null, 10_000).events().stream().map(StoredEvent::id).sorted().toList();
    assertThat(all).doesNotHaveDuplicates();
    return all;
  }

  private static List<Long> range(long first, long last) {
    List<Long> out = new ArrayList<>();
    for (long i = first; i <= last; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void commitUpTo_crashAfterOneDayCommitted_replayStoresEachIdOnce() throws Exception {
    store.add(twoDays(1, 10));
    store.commit(10);
    Path before = Files.createTempDirectory("before");
    Path crashed = Files.createTempDirectory("crashed");
    try {
      copyTree(dir, before); // both days committed with mark 10
      store.add(twoDays(11, 20));
      store.commit(20);
      // The crash came between the two days' commits: the first day holds 11..20, the second not.
      copyTree(dir, crashed);
      deleteTree(crashed.resolve("events-2026-11-21"));
      copyTree(before.resolve("events-2026-11-21"), crashed.resolve("events-2026-11-21"));
      for (Path lock :
          List.of(
              crashed.resolve("vigil-store.lock"),
              crashed.resolve("events-2026-11-20/write.lock"),
              crashed.resolve("events-2026-11-21/write.lock"))) {
        Files.deleteIfExists(lock);
      }
      try (EventStore reopened = EventStore.open(crashed, EventStore.Settings.defaults())) {
        assertThat(reopened.count()).isEqualTo(15);
        reopened.add(twoDays(11, 24)); // the server replays from its checkpoint, 10
        reopened.commit(24);
        assertThat(allIdsOnce(reopened)).isEqualTo(range(1, 24));
        reopened.add(twoDays(1, 24)); // a replay from further back adds nothing either
        reopened.commit();
        assertThat(allIdsOnce(reopened)).isEqualTo(range(1, 24));
      }
    } finally {
      deleteTree(before);
      deleteTree(crashed);
    }
  }

  @Test
  void commitsWhileAddsRun_lastCommitRecordsExactlyItsIds() throws Exception {
    // The server commits while its workers keep adding: a commit may include later adds.
    int n = 1_000;
    Thread adder =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    for (long id = 1; id <= n; id += 20) {
                      store.add(twoDays(id, id + 19));
                      Thread.sleep(2);
                    }
                  } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                });
    int commits = 0;
    while (adder.isAlive()) {
      store.commit();
      commits++;
    }
    adder.join();
    Path crashed = Files.createTempDirectory("crashed");
    try {
      copyTree(dir, crashed); // the last commit, made while adds ran (or none after them)
      for (Path lock :
          List.of(
              crashed.resolve("vigil-store.lock"),
              crashed.resolve("events-2026-11-20/write.lock"),
              crashed.resolve("events-2026-11-21/write.lock"))) {
        Files.deleteIfExists(lock);
      }
      try (EventStore reopened = EventStore.open(crashed, EventStore.Settings.defaults())) {
        long before = reopened.count();
        assertThat(before).isLessThanOrEqualTo(n);
        reopened.add(twoDays(1, n)); // replay of everything
        reopened.commit(n);
        assertThat(allIdsOnce(reopened)).isEqualTo(range(1, n));
      }
    } finally {
      deleteTree(crashed);
    }
    assertThat(commits).isPositive();
  }

  @Test
  void commitUpTo_gapsOfIdsNotStored_leaveNoRangesInTheCommitData() throws Exception {
    // Sequences the server does not store (dead letters) leave gaps; the mark covers them.
    store.add(List.of(ev(1, T0, "{\"a\":1}"), ev(2, T0, "{\"a\":2}"), ev(4, T0, "{\"a\":4}")));
    store.add(List.of(ev(7, T0, "{\"a\":7}"), ev(9, T0, "{\"a\":9}")));
    store.commit(7);
    store.close();
    try (var d = org.apache.lucene.store.FSDirectory.open(dir.resolve("events-2026-11-20"));
        var r = org.apache.lucene.index.DirectoryReader.open(d)) {
      var data = r.getIndexCommit().getUserData();
      assertThat(data).containsEntry(Day.MARK_KEY, "7").containsEntry(Day.IDS_KEY, "9~9");
    }
    store = EventStore.open(dir, EventStore.Settings.defaults());
    store.add(List.of(ev(3, T0, "{\"a\":3}"), ev(9, T0, "{\"a\":9}"), ev(10, T0, "{\"a\":10}")));
    store.commit(10);
    // 3 is at or below the mark: taken as stored (the caller said every id up to 7 was added).
    assertThat(allIdsOnce(store)).containsExactly(1L, 2L, 4L, 7L, 9L, 10L);
  }

  @Test
  void commitWithoutMark_idsAboveTheMarkRememberedAcrossRestart() throws Exception {
    store.add(twoDays(1, 6));
    store.commit(6);
    store.add(twoDays(7, 12)); // committed by close, without a mark (as when a writer is evicted)
    store.close();
    store = EventStore.open(dir, EventStore.Settings.defaults());
    assertThat(store.count()).isEqualTo(12);
    store.add(twoDays(5, 16)); // replay from an older checkpoint
    store.commit(16);
    assertThat(allIdsOnce(store)).isEqualTo(range(1, 16));
    store.close();
    store = EventStore.open(dir, EventStore.Settings.defaults());
    store.add(twoDays(1, 16));
    store.commit();
    assertThat(allIdsOnce(store)).isEqualTo(range(1, 16));
  }

  @Test
  void commitUpTo_idsNotAddedBelowTheMarkOfAnotherDay_stillAddedToTheirDay() throws Exception {
    // Day one gets a mark of 10 while the even ids of day two are added later (out of order).
    List<StoredEvent> odd = twoDays(1, 10).stream().filter(e -> e.id() % 2 == 1).toList();
    store.add(odd);
    store.commit(5); // only ids up to 5 were handed over for sure
    List<StoredEvent> even = twoDays(1, 10).stream().filter(e -> e.id() % 2 == 0).toList();
    store.add(even);
    store.add(odd);
    store.commit(10);
    assertThat(allIdsOnce(store)).isEqualTo(range(1, 10));
  }

  @Test
  void add_eventsOfManyDays_oneDirectoryPerDayAndSearchAcrossDays() throws Exception {
    List<StoredEvent> events = new ArrayList<>();
    for (int d = 0; d < 10; d++) {
      events.add(ev(d, T0.plus(Duration.ofDays(d)), "{\"day\":" + d + ",\"k\":\"v\"}"));
    }
    store.add(events); // ten days: more than MAX_OPEN_WRITERS writers
    store.commit();
    try (var list = Files.list(dir)) {
      assertThat(list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("events-")))
          .hasSize(10)
          .contains("events-2026-11-20", "events-2026-11-29");
    }
    assertThat(store.search("k:v", null, null, 100).total()).isEqualTo(10);
    assertThat(ids("day:[3 TO 5]")).containsExactly(5L, 4L, 3L);
    EventStore.SearchResult two =
        store.search("k:v", T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofDays(4)), 10);
    assertThat(two.events()).extracting(StoredEvent::id).containsExactly(3L, 2L);
    // The writer was closed: it reopens, and the id is known from the day's commit data.
    store.add(List.of(ev(0, T0, "{\"day\":0,\"k\":\"again\"}"), ev(10, T0, "{\"k\":\"new\"}")));
    store.commit();
    assertThat(store.count()).isEqualTo(11);
    assertThat(ids("k:again")).isEmpty();
    assertThat(ids("k:new")).containsExactly(10L);
  }

  @Test
  void histogram_equalBuckets_countsMatches() throws Exception {
    addSample();
    List<EventStore.Bucket> b = store.histogram("", T0, T0.plusSeconds(300), 5);
    assertThat(b).extracting(EventStore.Bucket::count).containsExactly(1L, 1L, 1L, 1L, 1L);
    assertThat(b.get(1).start()).isEqualTo(T0.plusSeconds(60));
    assertThat(b.get(1).end()).isEqualTo(T0.plusSeconds(120));
    List<EventStore.Bucket> hosts = store.histogram("Hostname:ws01", null, null, 2);
    assertThat(hosts.get(0).start()).isEqualTo(T0);
    assertThat(hosts.get(hosts.size() - 1).end()).isEqualTo(T0.plusSeconds(120).plusMillis(1));
    assertThat(hosts).extracting(EventStore.Bucket::count).containsExactly(2L, 1L);
    assertThat(store.histogram("nothing-matches-this", null, null, 10)).isEmpty();
  }

  @Test
  void histogram_everyEventWithoutBounds_spansFirstToLastEvent() throws Exception {
    addSample();
    List<EventStore.Bucket> b = store.histogram("*", null, null, 4);
    assertThat(b.get(0).start()).isEqualTo(T0);
    assertThat(b.get(b.size() - 1).end()).isEqualTo(T0.plusSeconds(240).plusMillis(1));
    assertThat(b.stream().mapToLong(EventStore.Bucket::count).sum()).isEqualTo(5);
    assertThat(b).extracting(EventStore.Bucket::count).containsExactly(2L, 1L, 1L, 1L);
  }

  @Test
  void add_concurrentWritersAcrossDaysWhileSearching_nothingLost() throws Exception {
    int threads = 3;
    int perThread = 600;
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      workers.add(
          Thread.ofPlatform()
              .name("store-test-writer-" + t)
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < perThread; i += 20) {
                        List<StoredEvent> batch = new ArrayList<>();
                        for (int j = i; j < i + 20; j++) {
                          long id = thread * 100_000L + j;
                          // Days 0..8 in turn: more days than MAX_OPEN_WRITERS, writers evicted.
                          Instant time = T0.plus(Duration.ofDays((j / 20 + thread) % 9));
                          batch.add(ev(id, time, "{\"t\":" + thread + ",\"j\":" + j + "}"));
                        }
                        store.add(batch);
                        if (i % 100 == 0) {
                          store.commit();
                        }
                      }
                    } catch (Throwable e) {
                      failure.compareAndSet(null, e);
                    }
                  }));
    }
    workers.add(
        Thread.ofPlatform()
            .name("store-test-searcher")
            .start(
                () -> {
                  try {
                    for (int i = 0; i < 30; i++) {
                      store.search("t:1", null, null, 10);
                      store.histogram("", null, null, 10);
                    }
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                }));
    for (Thread w : workers) {
      w.join();
    }
    assertThat(failure.get()).isNull();
    store.commit();
    assertThat(store.count()).isEqualTo((long) threads * perThread);
    assertThat(store.search("t:2", null, null, 0).total()).isEqualTo(perThread);
  }

  @Test
  void search_pathQueriesOnTheOneKeywordField_stayInsideTheirPath() throws Exception {
    // Store format 6: every path's values are terms "path\0value" of one field; each query form
    // must match the values of its own path only, never those of a path that starts alike.
    store.add(
        List.of(
            ev(1, T0, "{\"Image\":\"C:\\\\a\\\\Tool.exe\",\"Image2\":\"zzz\",\"Imag\":\"e\"}"),
            ev(2, T0.plusSeconds(1), "{\"Image2\":\"C:\\\\a\\\\Tool.exe\",\"Image.x\":\"tool\"}"),
            ev(3, T0.plusSeconds(2), "{\"Image\":\"beta\",\"a*b?c\\\\d\":\"Star\"}"),
            ev(4, T0.plusSeconds(3), "{\"Image\":\"\",\"Other\":\"gamma\"}")));
    store.commit();
    // exact value, quoted value, case-insensitive
    assertThat(ids("Image:\"c:\\\\a\\\\tool.exe\"")).containsExactly(1L);
    assertThat(ids("Image2:\"C:\\\\A\\\\TOOL.EXE\"")).containsExactly(2L);
    assertThat(ids("Image:zzz")).isEmpty();
    assertThat(ids("Imag:e")).containsExactly(1L);
    // wildcard (leading, inner, single character), prefix
    assertThat(ids("Image:*tool.exe")).containsExactly(1L);
    assertThat(ids("Image2:*tool.exe")).containsExactly(2L);
    assertThat(ids("Image:b?ta")).containsExactly(3L);
    assertThat(ids("Image:BE*")).containsExactly(3L);
    assertThat(ids("Imag:*")).containsExactly(1L);
    assertThat(ids("Image.x:too*")).containsExactly(2L);
    // exists: any non-empty value of the path (an empty value is not indexed)
    assertThat(ids("Image:*")).containsExactly(3L, 1L);
    assertThat(ids("Image:[* TO *]")).containsExactly(3L, 1L);
    assertThat(ids("NoSuchPath:*")).isEmpty();
    // regular expressions and fuzzy matches of the value only
    assertThat(ids("Image:/b.t[a-z]/")).containsExactly(3L);
    assertThat(ids("Image:/.*tool\\.exe/")).containsExactly(1L);
    assertThat(ids("Image2:/z+/")).containsExactly(1L);
    assertThat(ids("Image:/zzz/")).isEmpty();
    assertThat(ids("Image:bata~1")).containsExactly(3L);
    assertThat(ids("Image:zzy~1")).isEmpty();
    assertThat(ids("Image2:zzy~1")).containsExactly(1L);
    // ranges of text: bounds inclusive or not, open
    assertThat(ids("Image:[a TO d]")).containsExactly(3L, 1L);
    assertThat(ids("Image:{beta TO d]")).containsExactly(1L);
    assertThat(ids("Image:[* TO beta}")).isEmpty();
    assertThat(ids("Image:[a TO c]")).containsExactly(3L);
    assertThat(ids("Image:[c TO *]")).containsExactly(1L);
    assertThat(ids("Image2:[a TO *]")).containsExactly(2L, 1L);
    // a path with the wildcard characters in its name (escaped in the query)
    assertThat(ids("a\\*b\\?c\\\\d:star")).containsExactly(3L);
    assertThat(ids("a\\*b\\?c\\\\d:st*")).containsExactly(3L);
    assertThat(ids("a\\*b\\?c\\\\d:*")).containsExactly(3L);
    // bare words still search every path's words
    assertThat(ids("tool")).containsExactly(2L, 1L);
    assertThat(ids("gamma")).containsExactly(4L);
    // top: the values of the path only
    assertThat(store.top("Image", "", null, null, 10))
        .containsExactly(
            new EventStore.TermCount("beta", 1), new EventStore.TermCount("C:\\a\\Tool.exe", 1));
    assertThat(store.top("Imag", "", null, null, 10))
        .containsExactly(new EventStore.TermCount("e", 1));
    assertThat(store.top("Image", "Image2:*", null, null, 10))
        .containsExactly(new EventStore.TermCount("C:\\a\\Tool.exe", 1));
  }

  @Test
  void add_keyHoldingTheTermSeparator_cannotSpellAnotherPathsValue() throws Exception {
    // the key "a<NUL>b" with the value x would give the term a<0>b<0>x, which also reads as path
    // "a" with the value "b<0>x": a hostile key must not make a:b* or a:* match
    store.add(
        List.of(ev(1, T0, "{\"a\\u0000b\":\"x\"}"), ev(2, T0.plusSeconds(1), "{\"a\":\"bee\"}")));
    store.commit();
    assertThat(ids("a:b*")).containsExactly(2L);
    assertThat(ids("a:*")).containsExactly(2L);
    assertThat(ids("x")).containsExactly(1L); // the value is still indexed and searchable
  }

  @Test
  void add_pathAndValueBeyondLuceneTermLimit_cutNotRefused() throws Exception {
    // A term holds at most 32,766 bytes: a long path with a long non-ASCII value is cut there, at
    // a whole character, and the event is still added and found by a prefix of its value.
    String path = "p".repeat(20_000);
    String value = "é".repeat(8_000);
    store.add(List.of(ev(1, T0, "{\"" + path + "\":\"" + value + "\",\"x\":\"y\"}")));
    store.commit();
    assertThat(ids("x:y")).containsExactly(1L);
    assertThat(ids(path + ":ééé*")).containsExactly(1L);
    assertThat(store.top(path, "", null, null, 1)).hasSize(1);
  }

  @Test
  void top_valuesOfField_mostFrequentFirstWithOriginalCase() throws Exception {
    addSample();
    List<EventStore.TermCount> top = store.top("Channel", "", null, null, 10);
    assertThat(top)
        .containsExactly(
            new EventStore.TermCount("Microsoft-Windows-Sysmon/Operational", 3),
            new EventStore.TermCount("Security", 2));
    assertThat(store.top("Channel", "EventID:4688", null, null, 10))
        .containsExactly(new EventStore.TermCount("Security", 1));
    assertThat(store.top("Channel", "", null, null, 1)).hasSize(1);
    assertThat(store.top("NoSuchField", "", null, null, 10)).isEmpty();
  }

  @Test
  void nestedAndArrayValues_dottedPaths() throws Exception {
    store.add(
        List.of(
            ev(
                1,
                T0,
                "{\"winlog\":{\"event_data\":{\"Image\":\"C:\\\\x\\\\Tool.exe\"},\"event_id\":7},"
                    + "\"tags\":[\"a\",\"b\"],\"procs\":[{\"pid\":10},{\"pid\":20}],\"ok\":true,\"n\":null}")));
    store.commit();
    assertThat(ids("winlog.event_data.Image:*tool.exe")).containsExactly(1L);
    assertThat(ids("winlog.event_id:7")).containsExactly(1L);
    assertThat(ids("tags:b")).containsExactly(1L);
    assertThat(ids("procs.pid:20")).containsExactly(1L);
    assertThat(ids("procs.pid:[15 TO 25]")).containsExactly(1L);
    assertThat(ids("ok:true")).containsExactly(1L);
    assertThat(store.top("tags", "", null, null, 10))
        .containsExactly(new EventStore.TermCount("a", 1), new EventStore.TermCount("b", 1));
  }

  @Test
  void fieldNamesWithSymbols_atSignAndDashesQueryable() throws Exception {
    store.add(
        List.of(
            ev(
                1,
                T0,
                "{\"@timestamp\":\"2026-11-20T10:00:00.000Z\",\"source-ip\":\"10.0.0.5\","
                    + "\"id.orig_h\":\"10.0.0.6\"}"),
            ev(2, T0, "{\"@timestamp\":\"2026-11-21T10:00:00.000Z\"}")));
    store.commit();
    assertThat(ids("source-ip:10.0.0.5")).containsExactly(1L);
    assertThat(ids("id.orig_h:10.0.0.*")).containsExactly(1L);
    assertThat(ids("@timestamp:[2026-11-20 TO 2026-11-21]")).containsExactly(1L);
    assertThatThrownBy(() -> store.top("vigil#time", "", null, null, 5))
        .isInstanceOf(QueryException.class)
        .hasMessageContaining("internal field");
  }

  @Test
  void unicode_valuesAndWordsCaseInsensitive() throws Exception {
    store.add(
        List.of(
            ev(
                1,
                T0,
                "{\"User\":\"ÉRIC Müller\",\"Path\":\"C:\\\\Пользователи\\\\ДОКУМЕНТ.docx\"}"),
            ev(2, T0.plusSeconds(1), "{\"msg\":\"登录失败 user=张三\",\"emoji\":\"🔥 fire\"}")));
    store.commit();
    assertThat(ids("User:\"éric müller\"")).containsExactly(1L);
    assertThat(ids("müller")).containsExactly(1L);
    assertThat(ids("Path:*документ.docx")).containsExactly(1L);
    assertThat(ids("msg:*张三*")).containsExactly(2L);
    // The JSON is stored as UTF-8 bytes and comes back as the same text.
    assertThat(store.search("msg:*张三*", null, null, 1).events().getFirst().json())
        .isEqualTo("{\"msg\":\"登录失败 user=张三\",\"emoji\":\"🔥 fire\"}");
    assertThat(ids("emoji:🔥*")).containsExactly(2L);
    // Words are written as UTF-8 by the index itself: 2-, 3- and 4-byte characters, lowercased
    // (Deseret capitals U+10400.. lowercase to U+10428..) as the query side lowercases them.
    assertThat(ids("ÉRIC")).containsExactly(1L);
    assertThat(ids("\"пользователи документ\"")).containsExactly(1L);
    assertThat(ids("张三")).containsExactly(2L);
    store.add(List.of(ev(3, T0.plusSeconds(2), "{\"d\":\"x \uD801\uDC00\uD801\uDC01 y\"}")));
    store.commit();
    assertThat(ids("\uD801\uDC28\uD801\uDC29")).containsExactly(3L);
    assertThat(ids("\uD801\uDC00\uD801\uDC01")).containsExactly(3L);
    assertThat(ids("\"x \uD801\uDC28\uD801\uDC29 y\"")).containsExactly(3L);
    assertThat(store.top("User", "", null, null, 5))
        .containsExactly(new EventStore.TermCount("ÉRIC Müller", 1));
  }

  @Test
  void veryLargeEvent_indexedWithinNamedLimits() throws Exception {
    String longValue = "A".repeat(100_000) + " needle " + "b".repeat(10);
    StringBuilder many = new StringBuilder("{");
    for (int i = 0; i < 2_000; i++) {
      many.append("\"f").append(i).append("\":").append(i).append(',');
    }
    many.append("\"last\":\"z\"}");
    store.add(
        List.of(
            ev(1, T0, "{\"CommandLine\":\"" + longValue + "\",\"x\":\"y\"}"),
            ev(2, T0.plusSeconds(1), many.toString())));
    store.commit();
    // Keyword: the first MAX_KEYWORD_CHARS characters; the source is whole.
    assertThat(ids("CommandLine:aaaa*")).containsExactly(1L);
    assertThat(ids("x:y")).containsExactly(1L);
    String json = store.search("x:y", null, null, 1).events().get(0).json();
    assertThat(json).isEqualTo("{\"CommandLine\":\"" + longValue + "\",\"x\":\"y\"}");
    // Fields beyond MAX_FIELDS_PER_EVENT stay searchable as words, and in the source.
    assertThat(ids("f5:5")).containsExactly(2L);
    assertThat(ids("f1500:1500")).isEmpty();
    assertThat(ids("1500")).containsExactly(2L);
    assertThat(store.top("CommandLine", "", null, null, 1).get(0).value())
        .hasSize(EventDocuments.MAX_TOP_VALUE_CHARS);
  }

  @Test
  void notJson_keptAsText() throws Exception {
    store.add(List.of(ev(1, T0, "plain text line with secret-token"), ev(2, T0, "[1,2]")));
    store.commit();
    assertThat(ids("secret")).containsExactly(1L);
    assertThat(store.count()).isEqualTo(2);
  }

  @Test
  void badQuery_saysWhereAndWhat() {
    assertThatThrownBy(() -> store.search("(EventID:1 OR Image:x", null, null, 10))
        .isInstanceOf(QueryException.class)
        .hasMessageStartingWith("unbalanced parenthesis at column 1: this '(' is never closed");
    assertThatThrownBy(() -> store.search("EventID:1 OR Image:x)", null, null, 10))
        .isInstanceOf(QueryException.class)
        .hasMessageStartingWith("unbalanced parenthesis at column 21: this ')' closes nothing");
    assertThatThrownBy(() -> store.search("CommandLine:\"abc", null, null, 10))
        .isInstanceOf(QueryException.class)
        .hasMessageStartingWith("unclosed quote at column 13");
    assertThatThrownBy(() -> store.search("EventID:1 AND", null, null, 10))
        .isInstanceOf(QueryException.class)
        .hasMessageStartingWith("query syntax error at column")
        .hasMessageContaining("the end of the query");
    assertThatThrownBy(() -> store.search("Image:C:\\Windows", null, null, 10))
        .isInstanceOf(QueryException.class)
        .hasMessageContaining("column 8")
        .hasMessageContaining("escape");
    assertThatThrownBy(() -> store.histogram("[1 TO 2]", null, null, 10))
        .isInstanceOf(QueryException.class)
        .hasMessageContaining("a range needs a field name");
    assertThatThrownBy(() -> store.top(" ", "", null, null, 10))
        .isInstanceOf(QueryException.class)
        .hasMessageContaining("field name");
  }

  @Test
  void applyRetention_byAge_deletesWholeOldDays() throws Exception {
    store.close();
    store = EventStore.open(dir, new EventStore.Settings(Duration.ofDays(3), 10L << 30));
    List<StoredEvent> events = new ArrayList<>();
    for (int d = 0; d < 6; d++) {
      events.add(ev(d, T0.plus(Duration.ofDays(d)), "{\"d\":" + d + "}"));
    }
    store.add(events);
    store.commit();
    Instant now = T0.plus(Duration.ofDays(5)); // 2026-11-25T10:00
    EventStore.Retention r = store.applyRetention(now);
    // Days ending at or before 2026-11-22T10:00 go: the 20th and 21st.
    assertThat(r.daysDeleted()).isEqualTo(2);
    assertThat(r.bytesFreed()).isPositive();
    assertThat(Files.exists(dir.resolve("events-2026-11-21"))).isFalse();
    assertThat(Files.exists(dir.resolve("events-2026-11-22"))).isTrue();
    assertThat(store.count()).isEqualTo(4);
    assertThat(store.applyRetention(now)).isEqualTo(new EventStore.Retention(0, 0));
  }

  @Test
  void applyRetention_bySize_oldestFirstNeverToday() throws Exception {
    store.close();
    store = EventStore.open(dir, new EventStore.Settings(Duration.ofDays(365), 1));
    List<StoredEvent> events = new ArrayList<>();
    for (int d = 0; d < 4; d++) {
      events.add(ev(d, T0.plus(Duration.ofDays(d)), "{\"d\":" + d + "}"));
    }
    store.add(events);
    store.commit();
    long before = store.sizeBytes();
    EventStore.Retention r = store.applyRetention(T0.plus(Duration.ofDays(3)));
    assertThat(r.daysDeleted()).isEqualTo(3);
    assertThat(store.sizeBytes()).isEqualTo(before - r.bytesFreed());
    assertThat(store.count()).isEqualTo(1);
    assertThat(ids("d:3")).containsExactly(3L);
  }

  @Test
  void open_storeInUse_clearError() {
    assertThatThrownBy(() -> EventStore.open(dir, EventStore.Settings.defaults()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("is in use");
  }

  @Test
  void open_dayOfOlderFormat_refusedNamingTheDirectory() throws Exception {
    addSample();
    store.close();
    // A day index committed without the format marker, as the first store version wrote them.
    Path old = dir.resolve("events-2026-11-19");
    try (var d = org.apache.lucene.store.FSDirectory.open(old);
        var w =
            new org.apache.lucene.index.IndexWriter(
                d, new org.apache.lucene.index.IndexWriterConfig())) {
      var doc = new org.apache.lucene.document.Document();
      doc.add(
          new org.apache.lucene.document.TextField(
              EventDocuments.ALL, "old words", org.apache.lucene.document.Field.Store.NO));
      w.addDocument(doc);
    }
    assertThatThrownBy(() -> EventStore.open(dir, EventStore.Settings.defaults()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(old.toString())
        .hasMessageContaining("older vigil")
        .hasMessageContaining("move that directory out");
    deleteTree(old);
    store = EventStore.open(dir, EventStore.Settings.defaults());
    assertThat(ids("mimikatz")).containsExactly(2L); // this version's days still open
  }

  @Test
  void open_dayOfAnOlderLayout_refusedNamingTheDirectory() throws Exception {
    store.close();
    for (int format = 4; format <= 5; format++) {
      Path old = dir.resolve("events-2026-11-1" + format);
      try (var d = org.apache.lucene.store.FSDirectory.open(old);
          var w =
              new org.apache.lucene.index.IndexWriter(
                  d, new org.apache.lucene.index.IndexWriterConfig())) {
        w.addDocument(new org.apache.lucene.document.Document());
        w.setLiveCommitData(java.util.Map.of(Day.FORMAT_KEY, String.valueOf(format)).entrySet());
      }
      assertThatThrownBy(() -> EventStore.open(dir, EventStore.Settings.defaults()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(old.toString())
          .hasMessageContaining("store format " + format + ", this version reads 6")
          .hasMessageContaining("move that directory out of the store");
      deleteTree(old);
    }
    store = EventStore.open(dir, EventStore.Settings.defaults());
  }

  @Test
  void open_corruptDay_namesTheDirectory() throws Exception {
    addSample();
    store.close();
    Path day = dir.resolve("events-2026-11-20");
    try (var files = Files.list(day)) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().startsWith("segments_")).toList()) {
        Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
      }
    }
    assertThatThrownBy(() -> EventStore.open(dir, EventStore.Settings.defaults()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(day.toString())
        .hasMessageContaining("cannot be read");
    store = EventStore.open(dir.resolve("other"), EventStore.Settings.defaults());
  }

  @Test
  void settings_invalid_rejected() {
    assertThatThrownBy(() -> new EventStore.Settings(Duration.ZERO, 1))
        .hasMessageContaining("maxAge");
    assertThatThrownBy(() -> new EventStore.Settings(Duration.ofDays(1), 0))
        .hasMessageContaining("maxBytes");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
