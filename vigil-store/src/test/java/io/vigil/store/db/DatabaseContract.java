package io.vigil.store.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The repository contract; each vendor's test runs it against a real database. */
abstract class DatabaseContract {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  Database db;

  /** A fresh, empty database URL of the vendor under test. */
  abstract String newUrl() throws Exception;

  abstract String user();

  abstract String password();

  @BeforeEach
  void openDatabase() throws Exception {
    db = Database.open(newUrl(), user(), password());
  }

  @AfterEach
  void closeDatabase() {
    db.close();
  }

  static Alert alert(String rule, long eventId, int minute, String level, String host) {
    return new Alert(
        rule + ":" + eventId,
        T0.plusSeconds(60L * minute),
        rule,
        "Title of " + rule,
        level,
        host,
        eventId,
        "{\"EventID\":" + eventId + "}",
        List.of("attack.execution", "attack.t1059"));
  }

  private void sample() {
    db.alerts()
        .insert(
            List.of(
                alert("r1", 1, 0, "low", "ws01"),
                alert("r1", 2, 1, "medium", "ws02"),
                alert("r2", 3, 2, "high", "ws01"),
                alert("r3", 4, 3, "critical", "dc01"),
                alert("r2", 5, 4, "informational", "ws01")));
  }

  private List<String> ids(AlertQuery q) {
    return db.alerts().query(q).alerts().stream().map(Alert::id).toList();
  }

  @Test
  void alerts_insert_roundTripsEveryField() {
    Alert a =
        new Alert(
            "sigma-1:42",
            T0.plusMillis(123),
            "sigma-1",
            "Mimikatz — “quoted” ünïcode",
            "high",
            null,
            42,
            "{\"CommandLine\":\"mimikatz \\\"x\\\"\",\"u\":\"张三\"}",
            List.of("attack.credential_access", "tag with \"quote\""));
    assertThat(db.alerts().insert(List.of(a))).isEqualTo(1);
    AlertPage page = db.alerts().query(new AlertQuery(null, null, null, null, null, 10, 0));
    assertThat(page.total()).isEqualTo(1);
    assertThat(page.alerts()).containsExactly(a);
  }

  @Test
  void alerts_insertSameIdsAgain_ignoredAndCounted() {
    sample();
    int added =
        db.alerts()
            .insert(List.of(alert("r1", 1, 0, "low", "ws01"), alert("r9", 9, 9, "high", "x")));
    assertThat(added).isEqualTo(1);
    assertThat(db.alerts().count()).isEqualTo(6);
    assertThat(db.alerts().insert(List.of())).isZero();
  }

  @Test
  void alerts_query_filtersNewestFirstWithPaging() {
    sample();
    assertThat(ids(new AlertQuery(null, null, null, null, null, 100, 0)))
        .containsExactly("r2:5", "r3:4", "r2:3", "r1:2", "r1:1");
    assertThat(ids(new AlertQuery("r2", null, null, null, null, 100, 0)))
        .containsExactly("r2:5", "r2:3");
    assertThat(ids(new AlertQuery(null, "high", null, null, null, 100, 0)))
        .containsExactly("r3:4", "r2:3");
    assertThat(ids(new AlertQuery(null, "MEDIUM", "ws01", null, null, 100, 0)))
        .containsExactly("r2:3");
    assertThat(
            ids(new AlertQuery(null, null, null, T0.plusSeconds(60), T0.plusSeconds(180), 100, 0)))
        .containsExactly("r2:3", "r1:2");
    AlertPage page = db.alerts().query(new AlertQuery(null, null, "ws01", null, null, 2, 1));
    assertThat(page.total()).isEqualTo(3);
    assertThat(page.alerts()).extracting(Alert::id).containsExactly("r2:3", "r1:1");
  }

  @Test
  void alerts_query_badArguments_sayWhatToGive() {
    assertThatThrownBy(
            () -> db.alerts().query(new AlertQuery(null, "severe", null, null, null, 10, 0)))
        .hasMessageContaining("unknown alert level 'severe'")
        .hasMessageContaining("critical");
    assertThatThrownBy(() -> db.alerts().query(new AlertQuery(null, null, null, null, null, 0, 0)))
        .hasMessageContaining("limit must be at least 1");
  }

  @Test
  void alerts_concurrentInserts_allStored() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  int n = 0;
                  for (int i = 0; i < 25; i++) {
                    n += db.alerts().insert(List.of(alert("t" + thread, i, i, "low", "h")));
                  }
                  return n;
                }));
      }
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get();
      }
      assertThat(total).isEqualTo(100);
      assertThat(db.alerts().count()).isEqualTo(100);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tokens_create_storesOnlyHashAndVerifies() {
    assertThat(db.tokens().isEmpty()).isTrue();
    String token = db.tokens().create("admin", "alice");
    assertThat(token).startsWith("vgl_").hasSizeGreaterThanOrEqualTo(4 + 43);
    assertThat(db.tokens().isEmpty()).isFalse();
    assertThat(db.tokens().verify(token)).contains(new Principal("alice", "admin"));
    assertThat(db.tokens().verify(token + "x")).isEmpty();
    assertThat(db.tokens().verify("")).isEmpty();
    assertThat(db.tokens().create("analyst", "bob")).isNotEqualTo(token);
    String hash = SqlTokenRepository.hash(token);
    String stored =
        db.with(
            "reading",
            c -> {
              try (var rs = c.createStatement().executeQuery("SELECT hash FROM tokens")) {
                StringBuilder all = new StringBuilder();
                while (rs.next()) {
                  all.append(rs.getString(1)).append('\n');
                }
                return all.toString();
              }
            });
    assertThat(stored).contains(hash).doesNotContain(token);
  }

  @Test
  void tokens_storeIfAbsent_keepsFirstPrincipal() {
    db.tokens().storeIfAbsent("an-admin-token-from-env", "admin", "env");
    db.tokens().storeIfAbsent("an-admin-token-from-env", "analyst", "other");
    assertThat(db.tokens().verify("an-admin-token-from-env"))
        .contains(new Principal("env", "admin"));
    assertThatThrownBy(() -> db.tokens().storeIfAbsent("short", "admin", "env"))
        .hasMessageContaining("at least 16 characters");
    assertThatThrownBy(() -> db.tokens().create(" ", "x")).hasMessageContaining("role");
  }

  @Test
  void deadLetters_addAndRecent_newestFirstRawTruncated() {
    db.deadLetters().add(new DeadLetter(T0, "http 127.0.0.1", "not JSON", "garbage\0with NUL"));
    String huge = "é".repeat(40_000); // 80,000 bytes of UTF-8
    db.deadLetters()
        .add(new DeadLetter(T0.plusSeconds(1), "syslog-udp 10.0.0.5:514", "too long", huge));
    assertThat(db.deadLetters().count()).isEqualTo(2);
    List<DeadLetter> recent = db.deadLetters().recent(10);
    assertThat(recent)
        .extracting(DeadLetter::source)
        .containsExactly("syslog-udp 10.0.0.5:514", "http 127.0.0.1");
    assertThat(recent.get(0).raw()).hasSize(SqlDeadLetterRepository.MAX_RAW_BYTES / 2);
    assertThat(recent.get(1).raw()).isEqualTo("garbage\uFFFDwith NUL");
    assertThat(recent.get(1).time()).isEqualTo(T0);
    assertThat(db.deadLetters().recent(1)).hasSize(1);
  }

  @Test
  void open_again_migrationsAlreadyApplied() throws Exception {
    sample();
    String url = currentUrl();
    db.close();
    db = Database.open(url, user(), password());
    assertThat(db.alerts().count()).isEqualTo(5);
  }

  abstract String currentUrl();

  @Test
  void open_unsupportedUrl_saysWhichAreSupported() {
    assertThatThrownBy(() -> Database.open("jdbc:mysql://h/db?password=secret", null, null))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("jdbc:sqlite:PATH")
        .hasMessageContaining("password=***")
        .hasMessageNotContaining("secret");
  }
}
