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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads raw OSV record files ({@code *.json}) from a directory tree or a {@code .zip}, within
 * {@link OsvImport.Limits}; files over a limit become problems, the rest are handed on.
 */
final class OsvSource {
  private OsvSource() {}

  /** Turns one record file into a result; called from several threads for directories. */
  interface Sink<T> {
    T record(String file, byte[] content);
  }

  /** Threads reading a directory of records (file reads overlap; parsing runs in parallel). */
  static final int READ_THREADS = 4;

  /** Files handed to one reading task at a time. */
  static final int BATCH = 256;

  /** Reads every record and returns the sink's results in file order. */
  static <T> List<T> read(
      Path source, OsvImport.Limits limits, Sink<T> sink, List<OsvImport.Problem> problems)
      throws IOException {
    List<T> out = new ArrayList<>();
    read(source, limits, sink, out, problems);
    return out;
  }

  private static <T> void read(
      Path source,
      OsvImport.Limits limits,
      Sink<T> sink,
      List<T> out,
      List<OsvImport.Problem> problems)
      throws IOException {
    if (Files.isDirectory(source)) {
      readDirectory(source, limits, sink, out, problems);
    } else if (Files.isRegularFile(source)
        && source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
      readZip(source, limits, sink, out, problems);
    } else if (Files.isRegularFile(source)
        && source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
      long size = Files.size(source);
      if (size > limits.maxRecordBytes()) {
        problems.add(new OsvImport.Problem(source.toString(), tooBig(size, limits)));
      } else {
        out.add(sink.record(source.toString(), Files.readAllBytes(source)));
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

  private static <T> void readDirectory(
      Path root,
      OsvImport.Limits limits,
      Sink<T> sink,
      List<T> out,
      List<OsvImport.Problem> problems)
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
    if (files.size() > limits.maxRecords()) {
      problems.add(
          new OsvImport.Problem(
              files.get(limits.maxRecords()).toString(),
              "stopped after maxRecords ("
                  + limits.maxRecords()
                  + ") files; raise the limit to import more"));
    }
    long total = 0;
    List<Path> accepted = new ArrayList<>();
    for (Path f : files.subList(0, Math.min(files.size(), limits.maxRecords()))) {
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
        break;
      }
      accepted.add(f);
    }
    ThreadFactory threads = Thread.ofPlatform().name("vigil-osv-read-", 0).daemon().factory();
    ExecutorService pool = Executors.newFixedThreadPool(READ_THREADS, threads);
    try {
      List<Future<List<Object>>> batches = new ArrayList<>();
      for (int i = 0; i < accepted.size(); i += BATCH) {
        List<Path> batch = accepted.subList(i, Math.min(accepted.size(), i + BATCH));
        batches.add(
            pool.submit(
                () -> {
                  List<Object> results = new ArrayList<>(batch.size());
                  for (Path f : batch) {
                    try {
                      results.add(sink.record(f.toString(), Files.readAllBytes(f)));
                    } catch (IOException e) {
                      results.add(new OsvImport.Problem(f.toString(), "could not read: " + e));
                    }
                  }
                  return results;
                }));
      }
      for (Future<List<Object>> fut : batches) {
        for (Object o : fut.get()) {
          if (o instanceof OsvImport.Problem p) {
            problems.add(p);
          } else {
            @SuppressWarnings("unchecked")
            T t = (T) o;
            out.add(t);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading " + root, e);
    } catch (ExecutionException e) {
      throw new IOException("could not read the records in " + root + ": " + e.getCause(), e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static long attrsSize(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      return 0;
    }
  }

  private static <T> void readZip(
      Path zip,
      OsvImport.Limits limits,
      Sink<T> sink,
      List<T> out,
      List<OsvImport.Problem> problems)
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
        out.add(sink.record(where, data));
      }
    }
  }
}
