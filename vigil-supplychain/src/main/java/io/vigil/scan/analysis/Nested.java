package io.vigil.scan.analysis;

import io.vigil.scan.Severity;
import io.vigil.scan.archive.ArchiveLimits;
import io.vigil.scan.archive.ArchiveReader;
import io.vigil.scan.archive.PackageContents;
import io.vigil.scan.archive.PackageFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Archives hidden inside a package under a name that does not say so (a zip called {@code .pyc} or
 * {@code .png}): reported, then opened in memory one level deep and scanned, with the inner signals
 * attributed to the outer file so that threat rules see them together.
 */
final class Nested {
  private Nested() {}

  private static final Set<String> ARCHIVE_EXTENSIONS =
      Set.of(
          "zip", "jar", "war", "ear", "aar", "whl", "egg", "gz", "tgz", "xpi", "apk", "nupkg",
          "docx", "xlsx", "pptx", "odt", "ods", "epub", "vsix", "crx", "kmz", "ipa", "npz", "pkl",
          "pt", "pth", "keras", "bin", "mar");

  /** Small limits for archives inside archives. */
  private static final ArchiveLimits NESTED = new ArchiveLimits(2_000, 32L << 20, 8L << 20, 512);

  static boolean isDisguisedArchive(PackageFile f) {
    byte[] b = f.bytes();
    boolean zip = b.length > 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
    boolean gzip = b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    if (!zip && !gzip) {
      return false;
    }
    String name = f.name().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1);
    return !ARCHIVE_EXTENSIONS.contains(ext) && !ext.isEmpty();
  }

  static List<Signal> scan(PackageFile f) {
    List<Signal> out = new ArrayList<>();
    out.add(
        new Signal(
            TextScanner.finding(
                "disguised-archive",
                Severity.HIGH,
                f.path(),
                0,
                "an archive (" + f.bytes().length + " bytes) named " + f.name(),
                "An archive disguised as another file type hides code from reviewers and scanners."),
            Capability.STRONG_OBFUSCATION));
    try {
      PackageContents inner = new ArchiveReader(NESTED).read(f.path() + ".zip", f.bytes());
      for (PackageFile g : inner.files()) {
        Lang lang = Lang.of(g.path());
        if (lang == Lang.NONE) {
          continue;
        }
        String where = f.path() + "!/" + g.path();
        for (Signal s : TextScanner.scan(where, g.text(), lang)) {
          out.add(s);
        }
      }
    } catch (IOException | RuntimeException e) {
      // unreadable inner archive: the disguise alone is reported
    }
    return out;
  }
}
