package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class LineReaderTest {
  @Test
  void next_linesAcrossBufferBoundaries_exactLinesAndOverlongFlag() throws IOException {
    String longLine = "x".repeat(200_000);
    LineReader lines = new LineReader(new StringReader("a\r\n" + longLine + "\n\nlast"), 100_000);

    assertThat(lines.next()).isEqualTo("a");
    assertThat(lines.next()).isEmpty();
    assertThat(lines.overlong()).isTrue();
    assertThat(lines.length()).isEqualTo(200_000);
    assertThat(lines.next()).isEmpty();
    assertThat(lines.overlong()).isFalse();
    assertThat(lines.next()).isEqualTo("last");
    assertThat(lines.next()).isNull();
  }
}
