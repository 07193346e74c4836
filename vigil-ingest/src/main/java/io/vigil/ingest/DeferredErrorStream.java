package io.vigil.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Turns a read error of a decompressor (a truncated or corrupt archive) into the end of input and
 * keeps the error to be raised after the records before it were read. Without it, buffering layers
 * above (which read ahead in loops) would drop bytes they had already taken when the error comes. A
 * passed limit is not deferred.
 */
final class DeferredErrorStream extends FilterInputStream {
  private IOException error;

  DeferredErrorStream(InputStream in) {
    super(in);
  }

  /** The error that ended the input early, or null. */
  IOException error() {
    return error;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n;
    while ((n = read(one, 0, 1)) == 0) {
      // a filter may return 0; try again
    }
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (error != null) {
      return -1;
    }
    try {
      return super.read(b, off, len);
    } catch (LimitException e) {
      throw e;
    } catch (IOException e) {
      error = e;
      return -1;
    }
  }

  @Override
  public long skip(long n) throws IOException {
    return error != null ? 0 : super.skip(n);
  }

  @Override
  public int available() throws IOException {
    if (error != null) {
      return 0;
    }
    try {
      return super.available();
    } catch (IOException e) {
      return 0;
    }
  }
}
