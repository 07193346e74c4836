/**
 * Lockfile and manifest readers: {@link io.vigil.scan.lockfile.Lockfiles#read(java.nio.file.Path)}
 * turns any supported file into {@link io.vigil.scan.PackageRef}s with their source (file:line, or
 * file#/json/pointer), the integrity each was locked with, and every problem seen — the rest of the
 * file is still read. Limits on hostile input are {@link io.vigil.scan.lockfile.LockfileLimits}.
 */
package io.vigil.scan.lockfile;
