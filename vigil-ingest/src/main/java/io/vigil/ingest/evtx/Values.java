package io.vigil.ingest.evtx;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Decoding of BinXML value types from little-endian bytes, and their text forms. */
final class Values {
  static final int NULL = 0x00;
  static final int STRING = 0x01;
  static final int ANSI_STRING = 0x02;
  static final int INT8 = 0x03;
  static final int UINT8 = 0x04;
  static final int INT16 = 0x05;
  static final int UINT16 = 0x06;
  static final int INT32 = 0x07;
  static final int UINT32 = 0x08;
  static final int INT64 = 0x09;
  static final int UINT64 = 0x0a;
  static final int REAL32 = 0x0b;
  static final int REAL64 = 0x0c;
  static final int BOOL = 0x0d;
  static final int BINARY = 0x0e;
  static final int GUID = 0x0f;
  static final int SIZE_T = 0x10;
  static final int FILETIME = 0x11;
  static final int SYSTEMTIME = 0x12;
  static final int SID = 0x13;
  static final int HEX32 = 0x14;
  static final int HEX64 = 0x15;
  static final int EVT_HANDLE = 0x20;
  static final int BINXML = 0x21;
  static final int EVT_XML = 0x23;
  static final int ARRAY = 0x80;

  /** Seconds from 1601-01-01 (the FILETIME epoch) to 1970-01-01. */
  private static final long FILETIME_EPOCH_SECONDS = 11_644_473_600L;

  private static final Charset ANSI = ansiCharset();

  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

  private Values() {}

  private static Charset ansiCharset() {
    // Event Log writes ANSI strings in the system code page; windows-1252 is the common one and
    // what evtx_dump assumes by default.
    try {
      return Charset.forName("windows-1252");
    } catch (RuntimeException e) {
      return StandardCharsets.ISO_8859_1;
    }
  }

  static int u8(byte[] b, int off) {
    return b[off] & 0xff;
  }

  static int u16(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
  }

  static int i32(byte[] b, int off) {
    return (b[off] & 0xff)
        | (b[off + 1] & 0xff) << 8
        | (b[off + 2] & 0xff) << 16
        | b[off + 3] << 24;
  }

  static long u32(byte[] b, int off) {
    return i32(b, off) & 0xffff_ffffL;
  }

  static long i64(byte[] b, int off) {
    return (i32(b, off) & 0xffff_ffffL) | ((long) i32(b, off + 4)) << 32;
  }

  /** Little-endian integer of 1 to 8 bytes, zero-extended. */
  static long le(byte[] b, int off, int n) {
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = v << 8 | (b[off + i] & 0xff);
    }
    return v;
  }

  /** UTF-16LE text of {@code bytes} bytes, cut at the first NUL character. */
  static String utf16(byte[] b, int off, int bytes) {
    int units = bytes / 2;
    for (int i = 0; i < units; i++) {
      if (b[off + 2 * i] == 0 && b[off + 2 * i + 1] == 0) {
        units = i;
        break;
      }
    }
    return units == 0 ? "" : new String(b, off, units * 2, StandardCharsets.UTF_16LE);
  }

  /** ANSI text, cut at the first NUL byte. */
  static String ansi(byte[] b, int off, int bytes) {
    int n = 0;
    while (n < bytes && b[off + n] != 0) {
      n++;
    }
    return new String(b, off, n, ANSI);
  }

  static String hexUpper(byte[] b, int off, int n) {
    char[] out = new char[n * 2];
    for (int i = 0; i < n; i++) {
      int v = b[off + i] & 0xff;
      out[2 * i] = HEX_UPPER[v >>> 4];
      out[2 * i + 1] = HEX_UPPER[v & 0xf];
    }
    return new String(out);
  }

  static String guid(byte[] b, int off) {
    StringBuilder sb = new StringBuilder(36);
    int[] order = {3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15};
    for (int i : order) {
      if (i < 0) {
        sb.append('-');
      } else {
        int v = b[off + i] & 0xff;
        sb.append(HEX_UPPER[v >>> 4]).append(HEX_UPPER[v & 0xf]);
      }
    }
    return sb.toString();
  }

  /** Size in bytes of a SID starting at {@code off}, or -1 when fewer than that many remain. */
  static int sidSize(byte[] b, int off, int available) {
    if (available < 8) {
      return -1;
    }
    int size = 8 + 4 * u8(b, off + 1);
    return size <= available ? size : -1;
  }

  static String sid(byte[] b, int off, int available) {
    int size = sidSize(b, off, available);
    if (size < 0) {
      throw new BadEvtxException(
          "a SID needs at least 8 bytes plus 4 per sub-authority, only " + available + " remain");
    }
    StringBuilder sb = new StringBuilder(48).append("S-").append(u8(b, off)).append('-');
    long authority = 0;
    for (int i = 2; i < 8; i++) {
      authority = authority << 8 | (b[off + i] & 0xff);
    }
    sb.append(authority);
    int count = u8(b, off + 1);
    for (int i = 0; i < count; i++) {
      sb.append('-').append(u32(b, off + 8 + 4 * i));
    }
    return sb.toString();
  }

  static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }

  /** A FILETIME (100 ns ticks since 1601) as {@code yyyy-MM-ddTHH:mm:ss.ffffffZ}, to the µs. */
  static String filetime(long ticks) {
    long micros = Long.divideUnsigned(ticks, 10);
    long seconds = Long.divideUnsigned(micros, 1_000_000) - FILETIME_EPOCH_SECONDS;
    int micro = (int) Long.remainderUnsigned(micros, 1_000_000);
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
    return timestamp(
        t.getYear(),
        t.getMonthValue(),
        t.getDayOfMonth(),
        t.getHour(),
        t.getMinute(),
        t.getSecond(),
        micro);
  }

  /** A SYSTEMTIME (eight 16-bit fields) in the same form; fields are printed as stored. */
  static String systemtime(byte[] b, int off) {
    return timestamp(
        u16(b, off),
        u16(b, off + 2),
        u16(b, off + 6),
        u16(b, off + 8),
        u16(b, off + 10),
        u16(b, off + 12),
        u16(b, off + 14) * 1000);
  }

  private static String timestamp(
      int year, int month, int day, int hour, int minute, int second, int micro) {
    StringBuilder sb = new StringBuilder(27);
    pad(sb, year, 4).append('-');
    pad(sb, month, 2).append('-');
    pad(sb, day, 2).append('T');
    pad(sb, hour, 2).append(':');
    pad(sb, minute, 2).append(':');
    pad(sb, second, 2).append('.');
    pad(sb, micro, 6).append('Z');
    return sb.toString();
  }

  private static StringBuilder pad(StringBuilder sb, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }

  /** The fixed size of one item of a type, or 0 for variable-size types. */
  static int fixedSize(int type) {
    return switch (type) {
      case INT8, UINT8 -> 1;
      case INT16, UINT16 -> 2;
      case INT32, UINT32, REAL32, BOOL, HEX32 -> 4;
      case INT64, UINT64, REAL64, FILETIME, HEX64 -> 8;
      case GUID, SYSTEMTIME -> 16;
      default -> 0;
    };
  }

  /**
   * Decodes a fixed-size scalar of {@code size} bytes. A size other than the type's own is
   * tolerated: integers are zero-extended or cut, so a damaged descriptor yields a wrong number
   * rather than a lost record.
   */
  static EvtxValue scalar(int type, byte[] b, int off, int size) {
    int want = fixedSize(type);
    int n = Math.min(size, want == 0 ? size : want);
    return switch (type) {
      case INT8 -> new EvtxValue.Num(n >= 1 ? b[off] : 0, false);
      case UINT8 -> new EvtxValue.Num(n >= 1 ? b[off] & 0xff : 0, false);
      case INT16 -> new EvtxValue.Num(n >= 2 ? (short) u16(b, off) : le(b, off, n), false);
      case UINT16 -> new EvtxValue.Num(le(b, off, n), false);
      case INT32 -> new EvtxValue.Num(n >= 4 ? i32(b, off) : le(b, off, n), false);
      case UINT32 -> new EvtxValue.Num(le(b, off, n), false);
      case INT64 -> new EvtxValue.Num(le(b, off, n), false);
      case UINT64 -> new EvtxValue.Num(le(b, off, n), true);
      case REAL32 ->
          new EvtxValue.Formatted(Float.toString(Float.intBitsToFloat((int) le(b, off, n))));
      case REAL64 ->
          new EvtxValue.Formatted(Double.toString(Double.longBitsToDouble(le(b, off, n))));
      case BOOL -> new EvtxValue.Bool(le(b, off, Math.min(size, 8)) != 0);
      case HEX32, HEX64 -> new EvtxValue.Formatted(hex(le(b, off, Math.min(size, 8))));
      case SIZE_T -> new EvtxValue.Formatted(hex(le(b, off, Math.min(size, 8))));
      case FILETIME -> new EvtxValue.Formatted(filetime(le(b, off, n)));
      case SYSTEMTIME -> {
        if (size < 16) {
          throw new BadEvtxException("a SYSTEMTIME needs 16 bytes, the value has " + size);
        }
        yield new EvtxValue.Formatted(systemtime(b, off));
      }
      case GUID -> {
        if (size < 16) {
          throw new BadEvtxException("a GUID needs 16 bytes, the value has " + size);
        }
        yield new EvtxValue.Formatted(guid(b, off));
      }
      case SID -> new EvtxValue.Formatted(sid(b, off, size));
      default -> new EvtxValue.Formatted(hexUpper(b, off, size));
    };
  }

  /** Decodes an array value (type with the 0x80 flag) of {@code size} bytes. */
  static EvtxValue array(int type, byte[] b, int off, int size) {
    int item = type & 0x7f;
    List<EvtxValue> items = new ArrayList<>();
    switch (item) {
      case STRING -> {
        int start = 0;
        int units = size / 2;
        for (int i = 0; i < units; i++) {
          if (b[off + 2 * i] == 0 && b[off + 2 * i + 1] == 0) {
            items.add(new EvtxValue.Formatted(utf16(b, off + 2 * start, 2 * (i - start))));
            start = i + 1;
          }
        }
        if (start < units) {
          items.add(new EvtxValue.Formatted(utf16(b, off + 2 * start, 2 * (units - start))));
        }
        return new EvtxValue.Array(items, true);
      }
      case ANSI_STRING -> {
        int start = 0;
        for (int i = 0; i < size; i++) {
          if (b[off + i] == 0) {
            items.add(new EvtxValue.Formatted(ansi(b, off + start, i - start)));
            start = i + 1;
          }
        }
        if (start < size) {
          items.add(new EvtxValue.Formatted(ansi(b, off + start, size - start)));
        }
        return new EvtxValue.Array(items, true);
      }
      case SID -> {
        int pos = 0;
        while (pos < size) {
          int n = sidSize(b, off + pos, size - pos);
          if (n < 0) {
            throw new BadEvtxException(
                "a SID array of " + size + " bytes ends inside a SID at byte " + pos);
          }
          items.add(new EvtxValue.Formatted(sid(b, off + pos, n)));
          pos += n;
        }
        return new EvtxValue.Array(items, false);
      }
      default -> {
        int width = item == SIZE_T ? (size % 8 == 0 ? 8 : 4) : fixedSize(item);
        if (width == 0) {
          // Binary, handle and XML arrays have no item boundaries; keep the bytes as hex.
          return new EvtxValue.Formatted(hexUpper(b, off, size));
        }
        for (int pos = 0; pos + width <= size; pos += width) {
          items.add(scalar(item, b, off + pos, width));
        }
        return new EvtxValue.Array(items, false);
      }
    }
  }
}
