/**
 * Reading package archives into memory, safely. {@link io.vigil.scan.archive.ArchiveReader} turns a
 * {@code .tgz}, wheel, sdist, jar or unpacked directory into {@link
 * io.vigil.scan.archive.PackageContents}: regular files as bytes, plus the entries it refused
 * (traversal, absolute paths, links). Every size is bounded by a named setting in {@link
 * io.vigil.scan.archive.ArchiveLimits}; nothing is written to disk and nothing is executed.
 */
package io.vigil.scan.archive;
