package io.vigil.store.db;

import java.time.Instant;

/**
 * Alert filters, all nullable: exact rule id, minimum level
 * (informational&lt;low&lt;medium&lt;high&lt;critical), host, time range [from, to).
 */
public record AlertQuery(
    String ruleId, String minLevel, String host, Instant from, Instant to, int limit, int offset) {}
