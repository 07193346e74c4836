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
  void detect_plainText_unknownWithTheFirstWordsInTheNote() {
    byte[] head = bytes("Meeting notes\nbring the slides\n");
    assertThat(InputFormat.detect(head)).isEqualTo(InputFormat.UNKNOWN);
    assertThat(InputFormat.describeUnknown(head)).contains("\"Meeting notes");
  }

  @Test
  void detect_textLogs_byContent() {
    assertThat(detect("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster\n"))
        .isEqualTo(InputFormat.SYSLOG);
    assertThat(detect("<14>1 2024-01-01T00:00:00Z h app - - - hello\n"))
        .isEqualTo(InputFormat.SYSLOG);
    assertThat(detect("type=EOE msg=audit(1604994496.155:92733): \n"))
        .isEqualTo(InputFormat.AUDITD);
    assertThat(detect("CEF:0|V|P|1|2|n|3|src=1.1.1.1\n")).isEqualTo(InputFormat.CEF);
    assertThat(detect("1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326\n"))
        .isEqualTo(InputFormat.ACCESS_LOG);
    assertThat(detect("#Software: IIS\n#Fields: date time c-ip\n2024-01-01 00:00:00 1.1.1.1\n"))
        .isEqualTo(InputFormat.W3C);
    assertThat(detect("#separator \\x09\n#fields\tts\n1.0\n")).isEqualTo(InputFormat.ZEEK_TSV);
  }

  @Test
  void detect_syslogAfterAGarbageFirstLine_stillSyslog() {
    assertThat(
            detect(
                "@@ truncated junk @@\n"
                    + "Dec 10 06:55:46 h sshd[1]: a\n"
                    + "Dec 10 06:55:47 h sshd[1]: b\n"))
        .isEqualTo(InputFormat.SYSLOG);
  }

  @Test
  void detect_mostlyGarbageWithOneSyslogLine_unknown() {
    assertThat(detect("junk one\njunk two\njunk three\nDec 10 06:55:46 h sshd[1]: a\n"))
        .isEqualTo(InputFormat.UNKNOWN);
  }

  @Test
  void detect_binaryWithControlBytes_unknown() {
    byte[] head = new byte[200];
    for (int i = 0; i < head.length; i++) {
      head[i] = (byte) (i % 7);
    }
    head[0] = 'D';
    assertThat(InputFormat.detect(head)).isEqualTo(InputFormat.UNKNOWN);
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
