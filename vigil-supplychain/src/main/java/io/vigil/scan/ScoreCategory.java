package io.vigil.scan;

/** The five package-score categories (after Socket's), each finding lowers one of them. */
public enum ScoreCategory {
  SUPPLY_CHAIN,
  QUALITY,
  MAINTENANCE,
  VULNERABILITY,
  LICENSE
}
