package io.vigil.scan.lockfile;

/**
 * Limits on lockfile input, which may be hostile. Each is named in the error that hits it.
 *
 * @param maxFileBytes largest lockfile or manifest read ({@code maxFileBytes}, default 64 MiB)
 * @param maxEntries most packages read from one file ({@code maxEntries}, default 200,000)
 * @param maxIncludeDepth deepest chain of {@code -r} includes in requirements files ({@code
 *     maxIncludeDepth}, default 8)
 * @param maxNestingDepth deepest nesting of JSON/YAML/XML structure ({@code maxNestingDepth},
 *     default 200)
 */
public record LockfileLimits(
    long maxFileBytes, int maxEntries, int maxIncludeDepth, int maxNestingDepth) {
  /** Safe defaults for real projects. */
  public static final LockfileLimits DEFAULTS = new LockfileLimits(64L << 20, 200_000, 8, 200);

  public LockfileLimits {
    if (maxFileBytes <= 0 || maxEntries <= 0 || maxIncludeDepth < 0 || maxNestingDepth <= 0) {
      throw new IllegalArgumentException("lockfile limits must be positive");
    }
  }
}
