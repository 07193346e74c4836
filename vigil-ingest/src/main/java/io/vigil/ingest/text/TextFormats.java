package io.vigil.ingest.text;

import java.time.Instant;
import java.util.List;

/**
 * The text log formats: their names (as {@code --input-format} takes them), how they are recognised
 * from an input's first lines, and their decoders.
 */
public final class TextFormats {
  public static final String SYSLOG = "syslog";
  public static final String AUDITD = "auditd";
  public static final String CEF = "cef";
  public static final String ACCESS_LOG = "access-log";
  public static final String W3C = "w3c";
  public static final String ZEEK_TSV = "zeek-tsv";

  /** Every text format name, in the order they are listed to users. */
  public static final List<String> NAMES = List.of(SYSLOG, AUDITD, CEF, ACCESS_LOG, W3C, ZEEK_TSV);

  /** How many non-blank lines detection looks at. */
  static final int LINES_TRIED = 20;

  private TextFormats() {}

  /**
   * The format of an input whose first lines these are, or null when none fits. Header formats
   * (Zeek TSV, W3C) are told by their directives; the others by how many lines parse: the format
   * that reads the most lines wins if it reads at least half of them, so a stray first line (a
   * banner, a truncated record) does not hide the format of the rest.
   */
  public static String detect(List<String> lines) {
    int tried = 0;
    int auditd = 0;
    int cef = 0;
    int access = 0;
    int syslog = 0;
    boolean first = true;
    for (String raw : lines) {
      String line = first && !raw.isEmpty() && raw.charAt(0) == '\uFEFF' ? raw.substring(1) : raw;
      if (line.isBlank()) {
        continue;
      }
      if (first) {
        first = false;
        if (line.startsWith("#separator")) {
          return ZEEK_TSV;
        }
        if (line.startsWith("#") && w3cHeader(lines)) {
          return W3C;
        }
      }
      if (++tried > LINES_TRIED) {
        break;
      }
      if (AuditdDecoder.looksLike(line)) {
        auditd++;
      } else if (Cef.looksLike(line)) {
        cef++;
      } else if (AccessLogDecoder.looksLike(line)) {
        access++;
      } else if (syslogLine(line)) {
        syslog++;
      }
    }
    tried = Math.min(tried, LINES_TRIED);
    int best = Math.max(Math.max(auditd, cef), Math.max(access, syslog));
    if (best == 0 || best * 2 < tried) {
      return null;
    }
    if (best == auditd) {
      return AUDITD;
    }
    if (best == cef) {
      return CEF;
    }
    return best == access ? ACCESS_LOG : SYSLOG;
  }

  private static boolean w3cHeader(List<String> lines) {
    for (int i = 0; i < Math.min(lines.size(), 10); i++) {
      String l = lines.get(i);
      if (l.startsWith("#Fields:")) {
        return true;
      }
      if (!l.startsWith("#") && !l.startsWith("\uFEFF#")) {
        return false;
      }
    }
    return false;
  }

  private static boolean syslogLine(String line) {
    try {
      SyslogParser.parse(line, Instant.EPOCH, null, new EcsJson());
      return true;
    } catch (BadLineException e) {
      return false;
    }
  }

  /**
   * A new decoder for one input of a text format.
   *
   * @param reference the instant whose year syslog timestamps without one take (the file's
   *     modification time, or now)
   * @throws IllegalArgumentException for a name not in {@link #NAMES}
   */
  public static TextDecoder decoder(String format, Instant reference) {
    return switch (format) {
      case SYSLOG, CEF -> new SyslogDecoder(reference);
      case AUDITD -> new AuditdDecoder();
      case ACCESS_LOG -> new AccessLogDecoder();
      case W3C -> new W3cDecoder();
      case ZEEK_TSV -> new ZeekTsvDecoder();
      default -> throw new IllegalArgumentException("not a text log format: " + format);
    };
  }
}
