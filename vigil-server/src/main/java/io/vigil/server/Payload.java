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

  /** A decoded payload; the text is at {@code [textOffset, bytes.length)} of {@code bytes}. */
  record Decoded(
      byte kind, long receivedMillis, String source, String text, byte[] bytes, int textOffset) {}

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
    ByteBuffer b = ByteBuffer.wrap(p);
    byte kind = b.get();
    long received = b.getLong();
    int srcLen = b.getShort() & 0xFFFF;
    String source = new String(p, 11, srcLen, StandardCharsets.UTF_8);
    String text = new String(p, 11 + srcLen, p.length - 11 - srcLen, StandardCharsets.UTF_8);
    return new Decoded(kind, received, source, text, p, 11 + srcLen);
  }
}
