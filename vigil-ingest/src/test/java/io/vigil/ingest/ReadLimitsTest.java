package io.vigil.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReadLimitsTest {
  @Test
  void with_sizeWithSuffix_setsThatLimitOnly() {
    ReadLimits limits = ReadLimits.DEFAULT.with("ingest.max-expanded-bytes", "2g");

    assertThat(limits.maxExpandedBytes()).isEqualTo(2L << 30);
    assertThat(limits.maxLineChars()).isEqualTo(ReadLimits.DEFAULT.maxLineChars());
  }

  @Test
  void with_unknownSetting_errorListsTheSettings() {
    assertThatThrownBy(() -> ReadLimits.DEFAULT.with("ingest.max-lines", "5"))
        .hasMessageContaining("unknown read limit 'ingest.max-lines'")
        .hasMessageContaining("ingest.max-line-chars");
  }

  @Test
  void with_badValue_errorNamesTheSettingAndTheForm() {
    assertThatThrownBy(() -> ReadLimits.DEFAULT.with("ingest.max-archive-entries", "lots"))
        .hasMessageContaining("ingest.max-archive-entries: 'lots' is not a positive size");
  }
}
