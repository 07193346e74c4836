package io.vigil.store.db;

import java.util.List;

/** Alerts in the relational store. */
public interface AlertRepository {
  /** Inserts; existing ids are ignored. Returns how many were new. */
  int insert(List<Alert> alerts);

  /** Alerts matching the filters, newest first. */
  AlertPage query(AlertQuery query);

  /** All alerts. */
  long count();
}
