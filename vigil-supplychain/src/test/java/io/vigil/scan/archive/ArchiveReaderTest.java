package io.vigil.scan.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveReaderTest {
  @TempDir Path tmp;

  private final ArchiveReader reader = new ArchiveReader(ArchiveLimits.DEFAULTS);

  static byte[] tgz(Map<String, String> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (var e : files.entrySet()) {
        byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
        entry.setSize(b.length);
        tar.putArchiveEntry(entry);
        tar.write(b);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void read_npmTarball_stripsTopFolderAndKeepsFiles() throws IOException {
    Path p = tmp.resolve("pkg-1.0.0.tgz");
    Files.write(p, tgz(Map.of("package/package.json", "{}", "package/lib/index.js", "x")));

    PackageContents c = reader.read(p);

    assertThat(c.files())
        .extracting(PackageFile::path)
        .containsExactlyInAnyOrder("package.json", "lib/index.js");
    assertThat(c.refused()).isEmpty();
  }

  @Test
  void read_traversalAndAbsoluteEntries_refusedAndReported() throws IOException {
    byte[] t =
        tgz(Map.of("package/../../evil.sh", "x", "/etc/cron.d/evil", "y", "package/ok.js", "z"));

    PackageContents c = reader.read("evil.tgz", t);

    assertThat(c.files()).extracting(PackageFile::path).containsExactly("ok.js");
    assertThat(c.refused())
        .extracting(RefusedEntry::reason)
        .containsExactlyInAnyOrder("path-traversal", "absolute-path");
  }

  @Test
  void read_symlinkEntry_refusedNotFollowed() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      TarArchiveEntry link = new TarArchiveEntry("package/key", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("/home/user/.ssh/id_rsa");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }

    PackageContents c = reader.read("link.tgz", bytes.toByteArray());

    assertThat(c.files()).isEmpty();
    assertThat(c.refused())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.reason()).isEqualTo("link");
              assertThat(r.detail()).contains("/home/user/.ssh/id_rsa");
            });
  }

  @Test
  void read_zipWithTraversal_refused() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
      for (String name : new String[] {"pkg/__init__.py", "../../.bashrc"}) {
        zip.putArchiveEntry(new ZipArchiveEntry(name));
        zip.write("x".getBytes(StandardCharsets.UTF_8));
        zip.closeArchiveEntry();
      }
    }

    PackageContents c = reader.read("evil-1.0-py3-none-any.whl", bytes.toByteArray());

    assertThat(c.files()).extracting(PackageFile::path).containsExactly("pkg/__init__.py");
    assertThat(c.refused()).extracting(RefusedEntry::name).containsExactly("../../.bashrc");
  }

  @Test
  void read_tooManyEntries_errorNamesTheSetting() throws IOException {
    ArchiveReader small = new ArchiveReader(ArchiveLimits.DEFAULTS.with("maxEntries", 2));
    byte[] t = tgz(Map.of("p/a", "1", "p/b", "2", "p/c", "3"));

    assertThatThrownBy(() -> small.read("many.tgz", t))
        .isInstanceOf(ArchiveLimitException.class)
        .hasMessageContaining("maxEntries=2")
        .hasMessageContaining("--archive-limit maxEntries=N");
  }

  @Test
  void read_entryLargerThanLimit_errorNamesTheSetting() throws IOException {
    ArchiveReader small = new ArchiveReader(ArchiveLimits.DEFAULTS.with("maxEntryBytes", 10));
    byte[] t = tgz(Map.of("p/big.js", "x".repeat(100)));

    assertThatThrownBy(() -> small.read("big.tgz", t))
        .isInstanceOf(ArchiveLimitException.class)
        .hasMessageContaining("maxEntryBytes=10")
        .hasMessageContaining("p/big.js");
  }

  @Test
  void read_expandedSizeOverLimit_errorNamesTheSetting() throws IOException {
    ArchiveReader small = new ArchiveReader(ArchiveLimits.DEFAULTS.with("maxExpandedBytes", 150));
    byte[] t = tgz(Map.of("p/a.js", "x".repeat(100), "p/b.js", "y".repeat(100)));

    assertThatThrownBy(() -> small.read("bomb.tgz", t))
        .isInstanceOf(ArchiveLimitException.class)
        .hasMessageContaining("maxExpandedBytes=150");
  }

  @Test
  void read_longEntryName_errorNamesTheSetting() throws IOException {
    ArchiveReader small = new ArchiveReader(ArchiveLimits.DEFAULTS.with("maxPathLength", 20));
    byte[] t = tgz(Map.of("p/" + "a".repeat(40) + ".js", "x"));

    assertThatThrownBy(() -> small.read("long.tgz", t))
        .isInstanceOf(ArchiveLimitException.class)
        .hasMessageContaining("maxPathLength=20");
  }

  @Test
  void read_notAnArchive_saysWhatWasExpected() {
    assertThatThrownBy(() -> reader.read("notes.txt", "hello".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not a package archive");
  }

  @Test
  void read_directoryWithSymlink_linkRefused() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("pkg"));
    Files.writeString(dir.resolve("package.json"), "{}");
    Files.createSymbolicLink(dir.resolve("secret"), Path.of("/etc/passwd"));

    PackageContents c = reader.read(dir);

    assertThat(c.files()).extracting(PackageFile::path).containsExactly("package.json");
    assertThat(c.refused()).extracting(RefusedEntry::reason).containsExactly("link");
  }

  @Test
  void with_unknownSetting_listsTheKnownOnes() {
    assertThatThrownBy(() -> ArchiveLimits.DEFAULTS.with("maxFiles", 1))
        .hasMessageContaining("maxEntries, maxExpandedBytes, maxEntryBytes, maxPathLength");
  }
}
