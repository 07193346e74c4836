package io.vigil.store.db;

/** Who a verified token belongs to. */
public record Principal(String name, String role) {}
