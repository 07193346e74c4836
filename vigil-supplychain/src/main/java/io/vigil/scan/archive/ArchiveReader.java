package io.vigil.scan.archive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * Reads a package archive ({@code .tgz}, {@code .tar.gz}, {@code .tar}, {@code .zip}, {@code .whl},
 * {@code .jar}) or an unpacked package directory into memory, within {@link ArchiveLimits}. Nothing
 * is written to disk and nothing is run. Entries that could escape the package (paths with {@code
 * ..}, absolute paths, links, devices) are not read; they are listed in {@link
 * PackageContents#refused()} so the scan can report them.
 */
public final class ArchiveReader {
  private static final Set<String> SKIPPED_DIRS = Set.of(".git", "node_modules", "__pycache__");

  private final ArchiveLimits limits;

  public ArchiveReader(ArchiveLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** True when the file name looks like an archive this reader understands. */
  public static boolean isArchiveName(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    return n.endsWith(".tgz")
        || n.endsWith(".tar.gz")
        || n.endsWith(".tar")
        || n.endsWith(".zip")
        || n.endsWith(".whl")
        || n.endsWith(".jar")
        || n.endsWith(".egg");
  }

  /** Reads an archive file or a package directory. */
  public PackageContents read(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return readDirectory(path);
    }
    long size = Files.size(path);
    if (size > limits.maxExpandedBytes()) {
      throw new ArchiveLimitException(
          path.toString(), "maxExpandedBytes", limits.maxExpandedBytes(), size + " bytes on disk");
    }
    return read(path.toString(), Files.readAllBytes(path));
  }

  /**
   * Reads an archive held in memory; {@code name} gives the format by its suffix (or the content by
   * its magic bytes when the suffix says nothing) and is used in messages.
   */
  public PackageContents read(String name, byte[] archive) throws IOException {
    boolean gzip = archive.length > 2 && (archive[0] & 0xff) == 0x1f && (archive[1] & 0xff) == 0x8b;
    boolean zip = archive.length > 3 && archive[0] == 'P' && archive[1] == 'K';
    String lower = name.toLowerCase(Locale.ROOT);
    if (zip) {
      boolean strip = !(lower.endsWith(".whl") || lower.endsWith(".jar") || lower.endsWith(".egg"));
      return readZip(name, archive, strip);
    }
    if (gzip) {
      return readTar(name, new GzipCompressorInputStream(new ByteArrayInputStream(archive), true));
    }
    if (lower.endsWith(".tar")) {
      return readTar(name, new ByteArrayInputStream(archive));
    }
    throw new IOException(
        name
            + ": not a package archive (expected gzip-compressed tar as in .tgz/.tar.gz, a plain"
            + " .tar, or a zip as in .zip/.whl/.jar; the first bytes match none of these)");
  }

  private PackageContents readTar(String name, InputStream decompressed) throws IOException {
    Budget budget = new Budget(name);
    List<PackageFile> files = new ArrayList<>();
    List<RefusedEntry> refused = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new BoundedStream(decompressed, budget))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        budget.entry(e.getName());
        String path = checkedPath(e.getName(), refused);
        if (path == null) {
          continue;
        }
        if (e.isSymbolicLink() || e.isLink()) {
          refused.add(new RefusedEntry(e.getName(), "link", "points to " + e.getLinkName()));
        } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
          refused.add(new RefusedEntry(e.getName(), "device", "a device or pipe entry"));
        } else if (e.isFile()) {
          files.add(new PackageFile(path, budget.readFile(e.getName(), tar)));
        }
      }
    }
    return new PackageContents(name, "tar", stripTopFolder(files), refused);
  }

  private PackageContents readZip(String name, byte[] archive, boolean strip) throws IOException {
    Budget budget = new Budget(name);
    List<PackageFile> files = new ArrayList<>();
    List<RefusedEntry> refused = new ArrayList<>();
    try (ZipFile zip =
        ZipFile.builder()
            .setSeekableByteChannel(new SeekableInMemoryByteChannel(archive))
            .setIgnoreLocalFileHeader(false)
            .get()) {
      for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
        budget.entry(e.getName());
        String path = checkedPath(e.getName(), refused);
        if (path == null || e.isDirectory()) {
          continue;
        }
        if (e.isUnixSymlink()) {
          refused.add(new RefusedEntry(e.getName(), "link", "a symbolic link entry"));
          continue;
        }
        if (!zip.canReadEntryData(e)) {
          refused.add(
              new RefusedEntry(e.getName(), "unreadable", "encrypted or unsupported compression"));
          continue;
        }
        try (InputStream in = zip.getInputStream(e)) {
          files.add(new PackageFile(path, budget.readFile(e.getName(), in)));
        }
      }
    }
    return new PackageContents(name, "zip", strip ? stripTopFolder(files) : files, refused);
  }

  private PackageContents readDirectory(Path root) throws IOException {
    Budget budget = new Budget(root.toString());
    List<PackageFile> files = new ArrayList<>();
    List<RefusedEntry> refused = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            if (!dir.equals(root) && SKIPPED_DIRS.contains(dir.getFileName().toString())) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            String rel = root.relativize(file).toString().replace('\\', '/');
            budget.entry(rel);
            if (rel.length() > limits.maxPathLength()) {
              throw new ArchiveLimitException(
                  root.toString(),
                  "maxPathLength",
                  limits.maxPathLength(),
                  "entry name of " + rel.length() + " characters");
            }
            if (attrs.isSymbolicLink()) {
              String target = Files.readSymbolicLink(file).toString();
              refused.add(new RefusedEntry(rel, "link", "points to " + target));
            } else if (attrs.isRegularFile()) {
              try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                files.add(new PackageFile(rel, budget.readFile(rel, in)));
              }
            } else if (attrs.isOther()) {
              refused.add(new RefusedEntry(rel, "device", "not a regular file"));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    return new PackageContents(root.toString(), "directory", files, refused);
  }

  /** The normalized entry path, or null (and a refusal) when it could escape the package. */
  private String checkedPath(String raw, List<RefusedEntry> refused) throws IOException {
    if (raw.length() > limits.maxPathLength()) {
      throw new ArchiveLimitException(
          "entry", "maxPathLength", limits.maxPathLength(), "entry name of " + raw.length());
    }
    String p = raw.replace('\\', '/');
    if (p.startsWith("/") || (p.length() > 1 && p.charAt(1) == ':')) {
      refused.add(new RefusedEntry(raw, "absolute-path", "an absolute path"));
      return null;
    }
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    for (String seg : p.split("/", -1)) {
      if (seg.equals("..")) {
        refused.add(new RefusedEntry(raw, "path-traversal", "a '..' segment leaves the package"));
        return null;
      }
    }
    if (p.indexOf('\0') >= 0) {
      refused.add(new RefusedEntry(raw, "path-traversal", "a NUL character in the name"));
      return null;
    }
    return p;
  }

  private static List<PackageFile> stripTopFolder(List<PackageFile> files) {
    if (files.isEmpty()) {
      return files;
    }
    Set<String> tops = new HashSet<>();
    for (PackageFile f : files) {
      int slash = f.path().indexOf('/');
      if (slash <= 0) {
        return files;
      }
      tops.add(f.path().substring(0, slash + 1));
      if (tops.size() > 1) {
        return files;
      }
    }
    String top = tops.iterator().next();
    List<PackageFile> out = new ArrayList<>(files.size());
    for (PackageFile f : files) {
      out.add(new PackageFile(f.path().substring(top.length()), f.bytes()));
    }
    return out;
  }

  /** Counts entries and bytes of one package against the limits. */
  private final class Budget {
    private final String source;
    private int entries;
    private long bytes;

    Budget(String source) {
      this.source = source;
    }

    void entry(String name) throws ArchiveLimitException {
      if (++entries > limits.maxEntries()) {
        throw new ArchiveLimitException(
            source,
            "maxEntries",
            limits.maxEntries(),
            "more than " + limits.maxEntries() + " entries (at " + name + ")");
      }
    }

    byte[] readFile(String name, InputStream in) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[64 * 1024];
      long size = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        size += n;
        if (size > limits.maxEntryBytes()) {
          throw new ArchiveLimitException(
              source,
              "maxEntryBytes",
              limits.maxEntryBytes(),
              "entry " + name + " expands past " + limits.maxEntryBytes() + " bytes");
        }
        if (bytes + size > limits.maxExpandedBytes()) {
          throw new ArchiveLimitException(
              source,
              "maxExpandedBytes",
              limits.maxExpandedBytes(),
              "the files expand past " + limits.maxExpandedBytes() + " bytes (at " + name + ")");
        }
        out.write(buf, 0, n);
      }
      bytes += size;
      return out.toByteArray();
    }

    void raw(long total) throws ArchiveLimitException {
      // tar headers and padding add to the file bytes; allow 64 MiB of them
      long cap = limits.maxExpandedBytes() + (64L << 20);
      if (total > cap) {
        throw new ArchiveLimitException(
            source,
            "maxExpandedBytes",
            limits.maxExpandedBytes(),
            "the archive stream expands past " + cap + " bytes");
      }
    }
  }

  /** Stops a decompressing stream once it has produced more than the budget allows. */
  private static final class BoundedStream extends java.io.FilterInputStream {
    private final Budget budget;
    private long total;

    BoundedStream(InputStream in, Budget budget) {
      super(in);
      this.budget = budget;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        budget.raw(++total);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        total += n;
        budget.raw(total);
      }
      return n;
    }
  }
}
