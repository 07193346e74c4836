package io.vigil.scan.osv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads raw OSV record files ({@code *.json}) from a directory tree or a {@code .zip}, within
 * {@link OsvImport.Limits}; files over a limit become problems, the rest are handed on.
 */
final class OsvSource {
  private OsvSource() {}

  interface Sink {
    void record(String file, byte[] content);
  }

  static void read(
      Path source, OsvImport.Limits limits, Sink sink, List<OsvImport.Problem> problems)
      throws IOException {
    if (Files.isDirectory(source)) {
      readDirectory(source, limits, sink, problems);
    } else if (Files.isRegularFile(source)
        && source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
      readZip(source, limits, sink, problems);
    } else if (Files.isRegularFile(source)
        && source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
      long size = Files.size(source);
      if (size > limits.maxRecordBytes()) {
        problems.add(new OsvImport.Problem(source.toString(), tooBig(size, limits)));
      } else {
        sink.record(source.toString(), Files.readAllBytes(source));
      }
    } else if (!Files.exists(source)) {
      throw new IOException(source + " does not exist; give a directory of OSV records or a .zip");
    } else {
      throw new IOException(
          source + " is neither a directory, a .zip nor a .json file of OSV records");
    }
  }

  private static String tooBig(long size, OsvImport.Limits limits) {
    return "the file has "
        + size
        + " bytes, more than maxRecordBytes ("
        + limits.maxRecordBytes()
        + "); an OSV record is a few KiB, so this is probably not one";
  }

  private static void readDirectory(
      Path root, OsvImport.Limits limits, Sink sink, List<OsvImport.Problem> problems)
      throws IOException {
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()
                && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
              files.add(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) {
            problems.add(new OsvImport.Problem(file.toString(), "could not read: " + exc));
            return FileVisitResult.CONTINUE;
          }
        });
    files.sort(null);
    long total = 0;
    int count = 0;
    for (Path f : files) {
      if (++count > limits.maxRecords()) {
        problems.add(
            new OsvImport.Problem(
                f.toString(),
                "stopped after maxRecords ("
                    + limits.maxRecords()
                    + ") files; raise the limit to import more"));
        return;
      }
      long size = attrsSize(f);
      if (size > limits.maxRecordBytes()) {
        problems.add(new OsvImport.Problem(f.toString(), tooBig(size, limits)));
        continue;
      }
      total += size;
      if (total > limits.maxTotalBytes()) {
        problems.add(
            new OsvImport.Problem(
                f.toString(),
                "stopped: the records add up to more than maxTotalBytes ("
                    + limits.maxTotalBytes()
                    + ")"));
        return;
      }
      try {
        sink.record(f.toString(), Files.readAllBytes(f));
      } catch (IOException e) {
        problems.add(new OsvImport.Problem(f.toString(), "could not read: " + e));
      }
    }
  }

  private static long attrsSize(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void readZip(
      Path zip, OsvImport.Limits limits, Sink sink, List<OsvImport.Problem> problems)
      throws IOException {
    try (ZipFile z = new ZipFile(zip.toFile())) {
      long total = 0;
      int count = 0;
      Enumeration<? extends ZipEntry> entries = z.entries();
      while (entries.hasMoreElements()) {
        ZipEntry e = entries.nextElement();
        String where = zip + "!/" + e.getName();
        if (e.isDirectory() || !e.getName().toLowerCase(Locale.ROOT).endsWith(".json")) {
          continue;
        }
        if (++count > limits.maxRecords()) {
          problems.add(
              new OsvImport.Problem(
                  where,
                  "stopped after maxRecords ("
                      + limits.maxRecords()
                      + ") entries; raise the limit to import more"));
          return;
        }
        byte[] data;
        try (InputStream in = z.getInputStream(e)) {
          data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxRecordBytes() + 1));
        } catch (IOException ex) {
          problems.add(new OsvImport.Problem(where, "could not read the zip entry: " + ex));
          continue;
        }
        if (data.length > limits.maxRecordBytes()) {
          problems.add(new OsvImport.Problem(where, tooBig(data.length, limits)));
          continue;
        }
        total += data.length;
        if (total > limits.maxTotalBytes()) {
          problems.add(
              new OsvImport.Problem(
                  where,
                  "stopped: the records expand to more than maxTotalBytes ("
                      + limits.maxTotalBytes()
                      + ")"));
          return;
        }
        sink.record(where, data);
      }
    }
  }
}
