package io.vigil.ingest.evtx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ValuesTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void guid_mixedEndianBytes_printUpperCaseWithoutBraces() {
    byte[] b = hex("5F3870574AC2E043BF4C06F5698FFBD9");
    assertThat(Values.guid(b, 0)).isEqualTo("5770385F-C24A-43E0-BF4C-06F5698FFBD9");
  }

  @Test
  void sid_localSystem_printsSddlForm() {
    byte[] b = hex("010100000000000512000000");
    assertThat(Values.sid(b, 0, b.length)).isEqualTo("S-1-5-18");
  }

  @Test
  void sid_fewerBytesThanSubAuthorities_isBadData() {
    byte[] b = hex("0105000000000005150000");
    assertThatThrownBy(() -> Values.sid(b, 0, b.length))
        .isInstanceOf(BadEvtxException.class)
        .hasMessageContaining("SID needs at least 8 bytes plus 4 per sub-authority");
  }

  @Test
  void filetime_ticks_printMicrosecondsTruncated() {
    assertThat(Values.filetime(131124751716816408L)).isEqualTo("2016-07-08T18:12:51.681640Z");
    assertThat(Values.filetime(0)).isEqualTo("1601-01-01T00:00:00.000000Z");
    assertThat(Values.filetime(-1L)).startsWith("60056-05-28T05:36:10.955161Z");
  }

  @Test
  void systemtime_fields_printAsStored() {
    byte[] b = hex("E1070700030012001100120013002C01");
    assertThat(Values.systemtime(b, 0)).isEqualTo("2017-07-18T17:18:19.300000Z");
  }

  @Test
  void scalar_hexAndSizeT_printLowerCaseWithoutPadding() {
    assertThat(Values.scalar(Values.HEX64, hex("0400000000000000"), 0, 8).text()).isEqualTo("0x4");
    assertThat(Values.scalar(Values.HEX32, hex("FFFFFFFF"), 0, 4).text()).isEqualTo("0xffffffff");
    assertThat(Values.scalar(Values.SIZE_T, hex("10000000"), 0, 4).text()).isEqualTo("0x10");
  }

  @Test
  void scalar_integers_keepSignAndWidth() {
    assertThat(Values.scalar(Values.INT8, hex("FF"), 0, 1)).isEqualTo(new EvtxValue.Num(-1, false));
    assertThat(Values.scalar(Values.UINT16, hex("FFFF"), 0, 2))
        .isEqualTo(new EvtxValue.Num(65535, false));
    assertThat(Values.scalar(Values.UINT64, hex("FFFFFFFFFFFFFFFF"), 0, 8).text())
        .isEqualTo("18446744073709551615");
  }

  @Test
  void scalar_boolOtherThanOne_isTrue() {
    assertThat(Values.scalar(Values.BOOL, hex("02000000"), 0, 4))
        .isEqualTo(new EvtxValue.Bool(true));
    assertThat(Values.scalar(Values.BOOL, hex("00000000"), 0, 4))
        .isEqualTo(new EvtxValue.Bool(false));
    assertThat(Values.scalar(Values.BOOL, hex("01"), 0, 1)).isEqualTo(new EvtxValue.Bool(true));
  }

  @Test
  void scalar_shortGuid_isBadData() {
    assertThatThrownBy(() -> Values.scalar(Values.GUID, new byte[8], 0, 8))
        .isInstanceOf(BadEvtxException.class)
        .hasMessage("a GUID needs 16 bytes, the value has 8");
  }

  @Test
  void array_strings_splitOnNulKeepingEmptyItems() {
    byte[] b = "a\0\0bc\0".getBytes(StandardCharsets.UTF_16LE);
    EvtxValue.Array a = (EvtxValue.Array) Values.array(0x81, b, 0, b.length);
    assertThat(a.items()).extracting(EvtxValue::text).containsExactly("a", "", "bc");
    assertThat(a.strings()).isTrue();
    assertThat(a.text()).isEqualTo("a,,bc");
  }

  @Test
  void array_uint32_readsEveryItem() {
    byte[] b = hex("0100000002000000");
    assertThat(Values.array(0x88, b, 0, b.length).text()).isEqualTo("1,2");
  }

  @Test
  void utf16_stopsAtFirstNul() {
    byte[] b = "ab\0cd".getBytes(StandardCharsets.UTF_16LE);
    assertThat(Values.utf16(b, 0, b.length)).isEqualTo("ab");
  }

  @Test
  void ansi_decodesWindows1252() {
    byte[] b = hex("4180");
    assertThat(Values.ansi(b, 0, 2)).isEqualTo("A\u20ac");
  }
}
