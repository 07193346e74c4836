package io.vigil.detect;

/** A rule's {@code logsource}: product, category and service, each null when the rule omits it. */
public record LogSource(String product, String category, String service) {
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    append(sb, "product", product);
    append(sb, "category", category);
    append(sb, "service", service);
    return sb.isEmpty() ? "(any)" : sb.toString();
  }

  private static void append(StringBuilder sb, String key, String value) {
    if (value != null) {
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(key).append('=').append(value);
    }
  }
}
