package io.vigil.scan.archive;

import java.io.IOException;

/** A package passed one of the {@link ArchiveLimits}; the message names the setting. */
public final class ArchiveLimitException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String setting;

  ArchiveLimitException(String source, String setting, long limit, String seen) {
    super(
        source
            + ": "
            + seen
            + ", over the limit "
            + setting
            + "="
            + limit
            + "; the package is refused unscanned (it may be a decompression bomb). If you trust"
            + " it, raise the limit with --archive-limit "
            + setting
            + "=N");
    this.setting = setting;
  }

  /** The name of the setting that was passed, as in {@link ArchiveLimits}. */
  public String setting() {
    return setting;
  }
}
