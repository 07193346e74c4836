/**
 * The relational store: alerts, API tokens and dead letters in SQLite (a file, the default) or
 * PostgreSQL, behind one {@link io.vigil.store.db.Database}.
 *
 * <pre>{@code
 * try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("vigil.db"), null, null)) {
 *   int added = db.alerts().insert(alerts);             // ids ruleId:eventId, replays add nothing
 *   AlertPage page = db.alerts().query(new AlertQuery(null, "high", null, from, null, 50, 0));
 *   String token = db.tokens().create("analyst", "bob");  // shown once; only its SHA-256 is kept
 * }
 * }</pre>
 *
 * <p>Schema changes are Flyway migrations, one folder per vendor ({@code db/migration/sqlite},
 * {@code db/migration/postgresql}); the repositories use SQL both accept ({@code INSERT ... ON
 * CONFLICT DO NOTHING}, times as epoch milliseconds).
 */
package io.vigil.store.db;
