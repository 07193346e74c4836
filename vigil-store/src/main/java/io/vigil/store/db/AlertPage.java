package io.vigil.store.db;

import java.util.List;

/** One page of alerts, newest first; {@code total} counts every match. */
public record AlertPage(long total, List<Alert> alerts) {}
