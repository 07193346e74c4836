package io.vigil.store.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The repository contract on a real PostgreSQL server (embedded binaries, a database per test). */
class PostgresDatabaseTest extends DatabaseContract {
  private static EmbeddedPostgres postgres;
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private String url;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  String newUrl() throws Exception {
    String name = "vigil_test_" + DATABASES.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    url = postgres.getJdbcUrl("postgres", name);
    return url;
  }

  @Override
  String currentUrl() {
    return url;
  }

  @Override
  String user() {
    return "postgres";
  }

  @Override
  String password() {
    return null;
  }
}
