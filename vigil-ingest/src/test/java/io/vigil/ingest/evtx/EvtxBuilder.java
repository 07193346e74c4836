package io.vigil.ingest.evtx;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Test helper that writes EVTX files byte by byte: a file header, one chunk, records whose BinXML
 * is written token by token with chunk-relative offsets, and valid checksums. Used to build the
 * hostile inputs (self-referencing templates, huge counts) that no real log contains.
 */
final class EvtxBuilder {
  private final ByteBuffer chunk = ByteBuffer.allocate(65536).order(ByteOrder.LITTLE_ENDIAN);
  private long recordId = 1;

  EvtxBuilder() {
    chunk.position(512);
  }

  /** The chunk-relative offset where the next byte goes. */
  int pos() {
    return chunk.position();
  }

  EvtxBuilder u8(int v) {
    chunk.put((byte) v);
    return this;
  }

  EvtxBuilder u16(int v) {
    chunk.putShort((short) v);
    return this;
  }

  EvtxBuilder u32(long v) {
    chunk.putInt((int) v);
    return this;
  }

  EvtxBuilder bytes(byte[] b) {
    chunk.put(b);
    return this;
  }

  EvtxBuilder utf16(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_16LE));
  }

  /** A name stored inline: the offset field points right after itself. */
  EvtxBuilder inlineName(String name) {
    u32(pos() + 4);
    u32(0).u16(0).u16(name.length()).utf16(name).u16(0);
    return this;
  }

  EvtxBuilder fragmentHeader() {
    return u8(0x0f).u8(1).u8(1).u8(0);
  }

  EvtxBuilder open(String name, boolean attributes) {
    u8(attributes ? 0x41 : 0x01).u16(0xffff).u32(0);
    inlineName(name);
    if (attributes) {
      u32(0);
    }
    return this;
  }

  EvtxBuilder attribute(String name) {
    return u8(0x06).inlineName(name);
  }

  EvtxBuilder text(String s) {
    return u8(0x05).u8(0x01).u16(s.length()).utf16(s);
  }

  EvtxBuilder substitution(int index, int type, boolean optional) {
    return u8(optional ? 0x0e : 0x0d).u16(index).u8(type);
  }

  EvtxBuilder closeStart() {
    return u8(0x02);
  }

  EvtxBuilder closeEmpty() {
    return u8(0x03);
  }

  EvtxBuilder end() {
    return u8(0x04);
  }

  EvtxBuilder eof() {
    return u8(0x00);
  }

  /**
   * Starts a template instance whose definition follows inline; returns the offset of the
   * definition's data-size field, to be filled by {@link #endDefinition}.
   */
  int instanceWithInlineDefinition() {
    u8(0x0c).u8(1).u32(1);
    u32(pos() + 4);
    u32(0); // next definition
    bytes(new byte[16]); // GUID
    int sizeField = pos();
    u32(0);
    return sizeField;
  }

  void endDefinition(int sizeField) {
    chunk.putInt(sizeField, pos() - sizeField - 4);
  }

  /** A template instance that refers to a definition elsewhere in the chunk. */
  EvtxBuilder instanceOf(int definitionOffset) {
    return u8(0x0c).u8(1).u32(1).u32(definitionOffset);
  }

  /** Substitution values: descriptors then data; each value is (type, bytes). */
  EvtxBuilder values(Object... typeAndBytes) {
    u32(typeAndBytes.length / 2);
    for (int i = 0; i < typeAndBytes.length; i += 2) {
      u16(((byte[]) typeAndBytes[i + 1]).length).u8((Integer) typeAndBytes[i]).u8(0);
    }
    for (int i = 0; i < typeAndBytes.length; i += 2) {
      bytes((byte[]) typeAndBytes[i + 1]);
    }
    return this;
  }

  /** Starts a record; write its BinXML, then call {@link #endRecord}. Returns its start. */
  int record() {
    int start = pos();
    u32(0x00002a2a).u32(0).bytes(longBytes(recordId++)).bytes(longBytes(0));
    return start;
  }

  void endRecord(int start) {
    while ((pos() + 4 - start) % 8 != 0) {
      u8(0);
    }
    int size = pos() + 4 - start;
    u32(size);
    chunk.putInt(start + 4, size);
  }

  /** The file: header, this chunk with checksums, nothing else. */
  byte[] file() {
    byte[] c = Arrays.copyOf(chunk.array(), 65536);
    ByteBuffer cb = ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN);
    cb.put(0, "ElfChnk\0".getBytes(StandardCharsets.US_ASCII));
    cb.putLong(8, 1).putLong(16, recordId - 1).putLong(24, 1).putLong(32, recordId - 1);
    cb.putInt(40, 128).putInt(44, 512).putInt(48, pos());
    cb.putInt(52, (int) crc(c, 512, pos() - 512));
    CRC32 crc = new CRC32();
    crc.update(c, 0, 120);
    crc.update(c, 128, 384);
    cb.putInt(124, (int) crc.getValue());

    byte[] h = new byte[4096];
    ByteBuffer hb = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
    hb.put(0, "ElfFile\0".getBytes(StandardCharsets.US_ASCII));
    hb.putLong(24, recordId).putInt(32, 128).putShort(36, (short) 1).putShort(38, (short) 3);
    hb.putShort(40, (short) 4096).putShort(42, (short) 1);
    hb.putInt(124, (int) crc(h, 0, 120));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(h);
    out.writeBytes(c);
    return out.toByteArray();
  }

  static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
  }

  static byte[] intBytes(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  static byte[] utf16z(String s) {
    return (s + "\0").getBytes(StandardCharsets.UTF_16LE);
  }

  private static long crc(byte[] b, int off, int len) {
    CRC32 crc = new CRC32();
    crc.update(b, off, len);
    return crc.getValue();
  }
}
