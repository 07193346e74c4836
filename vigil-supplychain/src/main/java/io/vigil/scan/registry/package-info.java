/**
 * Fetching package archives: {@link io.vigil.scan.registry.PackageFetcher} takes a package from a
 * directory of archives, the local cache, or its registry (npm, PyPI JSON API, Maven repository;
 * mirrors by setting), verifies it against the lockfile's integrity and the registry's digest, and
 * never runs anything. Offline mode uses only the cache and reports each package missing.
 */
package io.vigil.scan.registry;
