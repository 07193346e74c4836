package io.vigil.store.db;

import java.time.Instant;

/**
 * Input that could not be turned into an event. {@code source} e.g. "http 127.0.0.1", "syslog-udp
 * 10.0.0.5:514", "import file.log:12"; {@code raw} is truncated to 64 KiB when stored.
 */
public record DeadLetter(Instant time, String source, String reason, String raw) {}
