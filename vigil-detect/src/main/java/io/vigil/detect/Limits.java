package io.vigil.detect;

/**
 * Limits on hostile rule and mapping files, each a named setting with a safe default; an input over
 * a limit is a load error that names the setting to raise.
 *
 * @param maxFileChars longest YAML file accepted ({@code sigma.max-file-chars})
 * @param maxYamlDepth deepest nesting of YAML maps and lists ({@code sigma.max-yaml-depth})
 * @param maxYamlAliases most YAML aliases in one file ({@code sigma.max-yaml-aliases})
 * @param maxRegexLength longest {@code |re} pattern ({@code sigma.max-regex-length})
 * @param maxValueExpansion most match values one rule value may expand into through windash,
 *     base64offset and placeholders ({@code sigma.max-value-expansion})
 */
public record Limits(
    int maxFileChars,
    int maxYamlDepth,
    int maxYamlAliases,
    int maxRegexLength,
    int maxValueExpansion) {
  /** 1 MiB files, 32 levels, 10 aliases, 4,096-character regexes, 1,024 expanded values. */
  public static final Limits DEFAULT = new Limits(1 << 20, 32, 10, 4096, 1024);

  public Limits {
    if (maxFileChars < 1
        || maxYamlDepth < 1
        || maxYamlAliases < 0
        || maxRegexLength < 1
        || maxValueExpansion < 1) {
      throw new IllegalArgumentException(
          "Sigma limits must be positive (sigma.max-file-chars, sigma.max-yaml-depth,"
              + " sigma.max-regex-length, sigma.max-value-expansion >= 1; sigma.max-yaml-aliases"
              + " >= 0)");
    }
  }
}
