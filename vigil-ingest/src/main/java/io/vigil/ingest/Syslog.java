package io.vigil.ingest;

import io.vigil.event.EventParseException;
import io.vigil.ingest.text.BadLineException;
import io.vigil.ingest.text.SyslogDecoder;
import java.time.Instant;
import java.util.Objects;

/**
 * Syslog messages received over the network (UDP or TCP) turned into the same normalized JSON as
 * syslog files: RFC 3164 and RFC 5424, with a CEF record as the message read as CEF. Thread-safe.
 */
public final class Syslog {
  private Syslog() {}

  /**
   * One syslog message as the JSON object text of one event: {@code @timestamp}, {@code
   * log.syslog.*}, {@code host.name}, {@code process.name}/{@code process.pid}, {@code message},
   * {@code event.original}, {@code event.created} (= {@code received}) and {@code
   * log.source.address} (= {@code peer}). An RFC 3164 timestamp takes the year of {@code received}
   * (the year before when that puts it more than a week after); a message with a {@code <PRI>} but
   * no timestamp gets {@code received}.
   *
   * @param message one message, without its frame (no octet count, no trailing newline)
   * @param received when it arrived
   * @param peer the sender's address, or null
   * @throws EventParseException when the text is not a syslog message, saying what was expected
   */
  public static String toJson(String message, Instant received, String peer) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(received, "received");
    String m = message;
    int end = m.length();
    while (end > 0
        && (m.charAt(end - 1) == '\n' || m.charAt(end - 1) == '\r' || m.charAt(end - 1) == '\0')) {
      end--;
    }
    m = m.substring(0, end);
    try {
      return SyslogDecoder.network(m, received, peer);
    } catch (BadLineException e) {
      throw new EventParseException(
          "syslog message" + (peer == null ? "" : " from " + peer) + ": " + e.getMessage());
    }
  }
}
