package io.vigil.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Finds the shared rules and datasets for benchmarks and reads the OTRF events as JSON lines. */
final class BenchData {
  private BenchData() {}

  /** The shared folder: $VIGIL_SHARED, or a folder named shared beside an ancestor directory. */
  static Path shared() {
    String env = System.getenv("VIGIL_SHARED");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("shared/sigma"))) {
        return dir.resolve("shared");
      }
    }
    throw new IllegalStateException(
        "benchmarks need the shared rules and datasets: set VIGIL_SHARED to the folder that holds"
            + " sigma/ and datasets/");
  }

  /** Every JSON line of the OTRF Windows attack zips, in file order. */
  static List<String> otrfLines() {
    Path dir = shared().resolve("datasets/windows/otrf-mordor");
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path zip : files.filter(p -> p.toString().endsWith(".zip")).sorted().toList()) {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
          for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
            BufferedReader r =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
              if (!line.isBlank()) {
                lines.add(line);
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }
}
