-- Times are epoch milliseconds (UTC) in both vendors, so one repository serves both.
CREATE TABLE alerts (
  id          TEXT PRIMARY KEY,
  time_ms     INTEGER NOT NULL,
  rule_id     TEXT NOT NULL,
  rule_title  TEXT NOT NULL,
  level       TEXT NOT NULL,
  level_rank  INTEGER NOT NULL,
  host        TEXT,
  event_id    INTEGER NOT NULL,
  event_json  TEXT NOT NULL,
  tags        TEXT NOT NULL
);
CREATE INDEX alerts_time ON alerts (time_ms);
CREATE INDEX alerts_rule_time ON alerts (rule_id, time_ms);
CREATE INDEX alerts_host_time ON alerts (host, time_ms);
CREATE INDEX alerts_level_time ON alerts (level_rank, time_ms);

CREATE TABLE tokens (
  hash        TEXT PRIMARY KEY,
  role        TEXT NOT NULL,
  name        TEXT NOT NULL,
  created_ms  INTEGER NOT NULL
);

CREATE TABLE dead_letters (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  time_ms     INTEGER NOT NULL,
  source      TEXT NOT NULL,
  reason      TEXT NOT NULL,
  raw         TEXT NOT NULL
);
CREATE INDEX dead_letters_time ON dead_letters (time_ms);
