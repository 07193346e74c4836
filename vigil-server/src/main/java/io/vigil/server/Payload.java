package io.vigil.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The spool record of one received event: its kind (a JSON object, or a raw syslog message to be
 * normalized by the detection stage), when it was received, where from, and its text. Layout:
 * {@code [kind:1][received epoch ms:8][source length:2][source UTF-8][text UTF-8]}.
 */
final class Payload {
  static final byte JSON = 'J';
  static final byte SYSLOG = 'S';

  private Payload() {}

  /**
   * A decoded payload; the text is at {@code [textOffset, bytes.length)} of {@code bytes}, decoded
   * to a String only when {@link #text()} is called.
   */
  record Decoded(byte kind, long receivedMillis, String source, byte[] bytes, int textOffset) {
    /** The text, decoded from the bytes (a new String per call). */
    String text() {
      return new String(bytes, textOffset, bytes.length - textOffset, StandardCharsets.UTF_8);
    }

    int textLength() {
      return bytes.length - textOffset;
    }
  }

  /**
   * Decodes payloads, sharing the source String between consecutive payloads from the same source
   * (one per connection and body). One instance per thread.
   */
  static final class Decoder {
    private byte[] lastSourceBytes = new byte[0];
    private String lastSource = "";

    Decoded decode(byte[] p) {
      int srcLen = ((p[9] & 0xFF) << 8) | (p[10] & 0xFF);
      String source;
      if (java.util.Arrays.equals(p, 11, 11 + srcLen, lastSourceBytes, 0, lastSourceBytes.length)) {
        source = lastSource;
      } else {
        source = new String(p, 11, srcLen, StandardCharsets.UTF_8);
        lastSourceBytes = java.util.Arrays.copyOfRange(p, 11, 11 + srcLen);
        lastSource = source;
      }
      return new Decoded(p[0], received(p), source, p, 11 + srcLen);
    }
  }

  private static long received(byte[] p) {
    long v = 0;
    for (int i = 1; i < 9; i++) {
      v = (v << 8) | (p[i] & 0xFF);
    }
    return v;
  }

  static byte[] encode(
      byte kind, long receivedMillis, byte[] source, byte[] text, int off, int len) {
    int srcLen = Math.min(source.length, 0xFFFF);
    ByteBuffer b = ByteBuffer.allocate(11 + srcLen + len);
    b.put(kind).putLong(receivedMillis).putShort((short) srcLen).put(source, 0, srcLen);
    b.put(text, off, len);
    return b.array();
  }

  static byte[] encode(byte kind, long receivedMillis, String source, String text) {
    byte[] t = text.getBytes(StandardCharsets.UTF_8);
    return encode(kind, receivedMillis, source.getBytes(StandardCharsets.UTF_8), t, 0, t.length);
  }

  static Decoded decode(byte[] p) {
    return new Decoder().decode(p);
  }
}
