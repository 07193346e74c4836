package io.vigil.ingest.text;

import java.time.Instant;

/**
 * Syslog files (RFC 3164 with or without {@code <PRI>}, RFC 5424, ISO-timestamp lines) and CEF
 * files (a CEF record alone on a line, or as a syslog message): one event per line. See {@link
 * SyslogParser} for the forms and how a year is given to RFC 3164 timestamps.
 */
public final class SyslogDecoder implements TextDecoder {
  private final Instant reference;

  /**
   * @param reference the instant whose year RFC 3164 timestamps take (the file's modification time,
   *     or now)
   */
  public SyslogDecoder(Instant reference) {
    this.reference = reference;
  }

  @Override
  public void line(String line, long number, Output out) throws BadLineException {
    out.event(toJson(line, reference, null, null), number);
  }

  /**
   * One syslog or CEF message received over the network as normalized JSON; {@link
   * io.vigil.ingest.Syslog#toJson} is the public entry point.
   *
   * @param received when a network message arrived (its timestamp when it has none; also {@code
   *     event.created}), or null for a line of a file
   * @param peer the sender's address ({@code log.source.address}), or null
   */
  public static String network(String line, Instant received, String peer) throws BadLineException {
    return toJson(line, received, received, peer);
  }

  private static String toJson(String line, Instant reference, Instant received, String peer)
      throws BadLineException {
    EcsJson out = new EcsJson();
    String text = !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
    if (Cef.looksLike(text)) {
      Cef.parse(text, out);
      out.set("event.module", "cef");
      out.set("event.dataset", "cef");
    } else {
      SyslogParser.parse(text, reference, received, out);
    }
    if (received != null) {
      out.set("@timestamp", EcsJson.timestamp(received));
      out.set("event.created", EcsJson.timestamp(received));
    }
    out.set("log.source.address", peer);
    out.set("event.module", "syslog");
    out.set("event.dataset", "syslog");
    out.set("event.kind", "event");
    out.set("event.original", line);
    return out.toJson();
  }
}
