package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InputFormatTest {
  @Test
  void detect_oneObjectPerLine_jsonLines() {
    assertThat(detect("{\"a\":1}\n{\"a\":2}\n")).isEqualTo(InputFormat.JSON_LINES);
  }

  @Test
  void detect_malformedFirstLineThenGoodLines_jsonLines() {
    assertThat(detect("{\"a\":oops}\n{\"a\":2}\n")).isEqualTo(InputFormat.JSON_LINES);
  }

  @Test
  void detect_prettyPrintedObject_stream() {
    assertThat(detect("{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}\n")).isEqualTo(InputFormat.JSON_STREAM);
  }

  @Test
  void detect_cloudTrailEnvelopeOnOneLine_stream() {
    assertThat(detect("{\"Records\": [{\"a\":1},{\"a\":2}]}\n")).isEqualTo(InputFormat.JSON_STREAM);
  }

  @Test
  void detect_array_stream() {
    assertThat(detect("  \n[ {\"a\":1} ]")).isEqualTo(InputFormat.JSON_STREAM);
  }

  @Test
  void detect_syslogText_unknownWithTheFirstWordsInTheNote() {
    byte[] head = bytes("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster\n");
    assertThat(InputFormat.detect(head)).isEqualTo(InputFormat.UNKNOWN);
    assertThat(InputFormat.describeUnknown(head)).contains("\"Dec 10 06:55:46 LabSZ");
  }

  @Test
  void detect_gzipAndZipMagic_archives() {
    assertThat(InputFormat.detect(new byte[] {0x1f, (byte) 0x8b, 8, 0}))
        .isEqualTo(InputFormat.GZIP);
    assertThat(detect("PK\3\4rest")).isEqualTo(InputFormat.ZIP);
  }

  @Test
  void detect_blank_empty() {
    assertThat(detect(" \r\n")).isEqualTo(InputFormat.EMPTY);
  }

  private static InputFormat detect(String s) {
    return InputFormat.detect(bytes(s));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
