package io.vigil.store.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository contract on a SQLite file. */
class SqliteDatabaseTest extends DatabaseContract {
  @TempDir Path dir;
  private String url;

  @Override
  String newUrl() {
    url = "jdbc:sqlite:" + dir.resolve("vigil.db");
    return url;
  }

  @Override
  String currentUrl() {
    return url;
  }

  @Override
  String user() {
    return null;
  }

  @Override
  String password() {
    return null;
  }

  @Test
  void open_sqlite_usesWalJournal() {
    String mode =
        db.with(
            "reading",
            c -> {
              try (var rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
                rs.next();
                return rs.getString(1);
              }
            });
    assertThat(mode).isEqualToIgnoringCase("wal");
  }

  @Test
  void open_inMemory_refusedWithReason() {
    assertThatThrownBy(() -> Database.open("jdbc:sqlite::memory:", null, null))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("give a file");
  }

  @Test
  void open_unwritablePlace_clearError() {
    assertThatThrownBy(() -> Database.open("jdbc:sqlite:/proc/no/such/dir/vigil.db", null, null))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("/proc/no/such/dir/vigil.db");
  }
}
