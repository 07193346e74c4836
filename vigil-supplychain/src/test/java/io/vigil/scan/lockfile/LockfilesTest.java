package io.vigil.scan.lockfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.scan.Ecosystem;
import io.vigil.scan.PackageRef;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every format from a small realistic fixture under src/test/resources/lockfiles, copied to a temp
 * dir.
 */
class LockfilesTest {
  @TempDir Path tmp;

  /** Copies one fixture folder into the temp dir and returns the named file there. */
  private Path fixture(String folder, String file) throws IOException {
    Path src;
    try {
      src = Path.of(getClass().getResource("/lockfiles/" + folder).toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    Path dst = tmp.resolve(folder);
    Files.createDirectories(dst);
    try (Stream<Path> files = Files.list(src)) {
      for (Path f : files.toList()) {
        Files.copy(f, dst.resolve(f.getFileName().toString()));
      }
    }
    return dst.resolve(file);
  }

  private static List<String> refs(LockfileResult r) {
    return r.packages().stream().map(PackageRef::toString).toList();
  }

  private static List<String> problems(LockfileResult r) {
    return r.problems().stream().map(LockfileProblem::toString).toList();
  }

  @Test
  void read_packageLockV1_readsNestedDependenciesAndAliases() throws IOException {
    Path f = fixture("npm-v1", "package-lock.json");
    LockfileResult r = Lockfiles.read(f);
    assertThat(r.format()).isEqualTo("package-lock.json v1");
    assertThat(refs(r))
        .containsExactly("npm:debug@2.6.9", "npm:ms@2.0.0", "npm:ms@2.1.3", "npm:lodash@4.17.21");
    PackageRef nestedMs = r.packages().get(1);
    assertThat(nestedMs.source()).isEqualTo(f + ":15");
    assertThat(r.integrityOf(nestedMs)).contains("sha1-VgiurfwAvmwpAd9fmGF4jeDVl8g=");
    assertThat(problems(r))
        .containsExactly(
            f
                + ":32: warning: local-utils comes from file:../local-utils, not the npm registry;"
                + " Vigil cannot fetch or look it up, scan its source instead");
  }

  @Test
  void read_packageLockV2_prefersPackagesOverDependencies() throws IOException {
    Path f = fixture("npm-v2", "package-lock.json");
    LockfileResult r = Lockfiles.read(f);
    assertThat(r.format()).isEqualTo("package-lock.json v2");
    assertThat(refs(r)).containsExactly("npm:chalk@5.6.2", "npm:express@4.21.2", "npm:debug@2.6.9");
    assertThat(r.packages().get(2).source()).isEqualTo(f + ":28");
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void read_packageLockV3_handlesAliasLinkWorkspaceBundleAndGit() throws IOException {
    Path f = fixture("npm-v3", "package-lock.json");
    LockfileResult r = Lockfiles.read(f);
    assertThat(refs(r))
        .containsExactly(
            "npm:@babel/code-frame@7.26.2",
            "npm:react@19.1.0",
            "npm:npm-bundled-thing@1.0.1",
            "npm:inner@0.2.0");
    assertThat(problems(r))
        .singleElement()
        .asString()
        .startsWith(f + ":40: warning: from-git comes from git+ssh://");
  }

  @Test
  void read_yarnClassic_readsHeadersAliasesAndLines() throws IOException {
    Path f = fixture("yarn-v1", "yarn.lock");
    LockfileResult r = Lockfiles.read(f);
    assertThat(r.format()).isEqualTo("yarn.lock v1");
    assertThat(refs(r))
        .containsExactly(
            "npm:@babel/code-frame@7.26.2",
            "npm:js-tokens@4.0.0",
            "npm:lodash@4.17.21",
            "npm:string-width@4.2.3");
    assertThat(r.packages())
        .extracting(PackageRef::source)
        .containsExactly(f + ":5", f + ":13", f + ":18", f + ":23");
    assertThat(r.integrityOf(r.packages().get(2))).get().asString().startsWith("sha512-v2kDEe57");
    assertThat(problems(r))
        .containsExactly(
            f
                + ":28: warning: my-fork comes from"
                + " https://codeload.github.com/example/my-fork/tar.gz/0123456789abcdef, not the npm"
                + " registry; Vigil cannot fetch or look it up, scan its source instead");
  }

  @Test
  void read_yarnBerry_usesResolutionAndSkipsWorkspacesAndPatches() throws IOException {
    Path f = fixture("yarn-berry", "yarn.lock");
    LockfileResult r = Lockfiles.read(f);
    assertThat(r.format()).isEqualTo("yarn.lock (berry)");
    assertThat(refs(r))
        .containsExactly(
            "npm:@types/node@22.10.2", "npm:left-pad@1.3.0", "npm:undici-types@6.20.0");
    assertThat(r.packages().get(0).source()).isEqualTo(f + ":8");
    assertThat(problems(r))
        .singleElement()
        .asString()
        .contains("tool comes from https://example.com/tool-1.0.0.tgz, not the npm registry");
  }

  @Test
  void read_pnpmV5_parsesSlashKeysAndPeerSuffixes() throws IOException {
    Path f = fixture("pnpm-v5", "pnpm-lock.yaml");
    LockfileResult r = Lockfiles.read(f);
    assertThat(r.format()).isEqualTo("pnpm-lock.yaml v5.4");
    assertThat(refs(r))
        .containsExactly("npm:@types/react@18.3.12", "npm:react-dom@18.3.1", "npm:react@18.3.1");
    assertThat(r.integrityOf(r.packages().get(2))).get().asString().startsWith("sha512-wS+hAgJ");
    assertThat(r.packages().get(0).source()).isEqualTo(f + ":15");
  }

  @Test
  void read_pnpmV6_parsesAtKeysAndReportsTarballs() throws IOException {
    Path f = fixture("pnpm-v6", "pnpm-lock.yaml");
    LockfileResult r = Lockfiles.read(f);
    assertThat(refs(r))
        .containsExactly("npm:@babel/runtime@7.26.0", "npm:react-dom@18.3.1", "npm:react@18.3.1");
    assertThat(problems(r))
        .singleElement()
        .asString()
        .contains("forked comes from https://codeload.github.com/example/forked/tar.gz/abcdef0");
  }

  @Test
  void read_pnpmV9_parsesBareKeysAndReportsDirectories() throws IOException {
    Path f = fixture("pnpm-v9", "pnpm-lock.yaml");
    LockfileResult r = Lockfiles.read(f);
    assertThat(r.format()).isEqualTo("pnpm-lock.yaml v9.0");
    assertThat(refs(r))
        .containsExactly("npm:@babel/runtime@7.26.0", "npm:react-dom@18.3.1", "npm:react@18.3.1");
    assertThat(problems(r)).singleElement().asString().contains("local-lib comes from directory");
  }

  @Test
  void read_requirements_followsIncludesAndReportsUncheckableLines() throws IOException {
    Path f = fixture("requirements", "requirements.txt");
    Path base = f.resolveSibling("base.txt");
    LockfileResult r = Lockfiles.read(f);
    assertThat(refs(r))
        .containsExactly(
            "pypi:certifi@2024.12.14",
            "pypi:six@1.17.0",
            "pypi:requests@2.32.3",
            "pypi:Django@5.1.4",
            "pypi:urllib3",
            "pypi:numpy",
            "pypi:internal-tools",
            "pypi:typing_extensions@4.12.2");
    assertThat(r.packages().get(0).source()).isEqualTo(base + ":2");
    PackageRef requests = r.packages().get(2);
    assertThat(requests.source()).isEqualTo(f + ":6");
    assertThat(r.integrityOf(requests))
        .contains(
            "sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6"
                + " sha256:55365417734eb18255590a9ff9eb97e9e1da868d4ccd6402399eaacc4e2c4d2d");
    assertThat(problems(r))
        .containsExactly(
            base
                + ":3: warning: -r requirements.txt includes a file already being read (a cycle); skipped",
            f
                + ":4: warning: --extra-index-url https://pypi.internal.example.com/simple: pip takes"
                + " the highest version found on any index, which is how dependency-confusion"
                + " attacks win; prefer one index (--index-url) that proxies PyPI",
            f
                + ":10: warning: urllib3 is not pinned ('>=2.0,<3'): Vigil checks exact versions"
                + " only, so it is not checked; pin it with '==' (pip freeze, pip-compile) or scan a"
                + " lockfile",
            f
                + ":11: warning: numpy has no version: Vigil checks exact versions only, so it is"
                + " not checked; pin it with '==' (pip freeze, pip-compile) or scan a lockfile",
            f
                + ":12: warning: editable install"
                + " 'git+https://github.com/example/editable.git#egg=editable' is local or VCS code,"
                + " not a PyPI release; not checked — scan its folder",
            f
                + ":13: warning: 'internal-tools @"
                + " https://files.internal.example.com/internal_tools-1.0-py3-no...' installs from a"
                + " URL or path, not a PyPI release; not checked",
            f
                + ":15: error: expected a requirement like 'name==1.0' or an option like '-r"
                + " other.txt', found '!!not a requirement'");
  }

  @Test
  void read_requirementsMissingInclude_reportsPathAndReadsTheRest() throws IOException {
    Path f = tmp.resolve("requirements.txt");
    Files.writeString(f, "-r missing.txt\nflask==3.1.0\n", StandardCharsets.UTF_8);
    LockfileResult r = Lockfiles.read(f);
    assertThat(refs(r)).containsExactly("pypi:flask@3.1.0");
    assertThat(problems(r))
        .singleElement()
        .asString()
        .startsWith(f + ":1: error: -r missing.txt: ")
        .contains("does not exist (paths are relative to " + tmp);
  }

  @Test
  void read_poetryLock_readsPackagesHashesAndSkipsLocalSources() throws IOException {
    Path f = fixture("poetry", "poetry.lock");
    LockfileResult r = Lockfiles.read(f);
    assertThat(refs(r))
        .containsExactly("pypi:certifi@2024.12.14", "pypi:colorama@0.4.6", "pypi:Pygments@2.18.0");
    assertThat(r.packages().get(0).source()).isEqualTo(f + ":3");
    assertThat(r.integrityOf(r.packages().get(0)))
        .get()
        .asString()
        .isEqualTo(
            "sha256:1275f7a45be9464efc1173084eaa30f866fe2e47d389406136d332ed4967ec56"
                + " sha256:b650d30f370c2b724812bee08008be0c4163b163ddaec3f2546c1caf65f191db");
    assertThat(r.integrityOf(r.packages().get(2))).get().asString().startsWith("sha256:786ff802");
    assertThat(problems(r))
        .singleElement()
        .asString()
        .contains("my-lib 0.1.0 comes from a directory source, not a PyPI release; not checked");
  }

  @Test
  void read_pipfileLock_readsDefaultAndDevelop() throws IOException {
    Path f = fixture("pipfile", "Pipfile.lock");
    LockfileResult r = Lockfiles.read(f);
    assertThat(refs(r)).containsExactly("pypi:flask@3.1.0", "pypi:anyversion", "pypi:pytest@8.3.4");
    assertThat(r.packages().get(0).source()).isEqualTo(f + ":19");
    assertThat(problems(r)).hasSize(2);
    assertThat(problems(r).get(1)).contains("anyversion is not pinned ('*'); not checked");
  }

  @Test
  void read_pom_resolvesPropertiesAndManagedVersions() throws IOException {
    Path f = fixture("maven", "pom.xml");
    LockfileResult r = Lockfiles.read(f);
    assertThat(refs(r))
        .containsExactly(
            "maven:com.fasterxml.jackson.core:jackson-databind@2.18.2",
            "maven:org.apache.commons:commons-text@1.9.0",
            "maven:org.slf4j:slf4j-api@2.0.16",
            "maven:com.example:demo-common@3.2.1",
            "maven:org.junit.jupiter:junit-jupiter",
            "maven:io.netty:netty-all",
            "maven:com.google.guava:guava");
    assertThat(r.packages().get(0).source()).isEqualTo(f + ":30");
    assertThat(problems(r))
        .containsExactly(
            f
                + ":49: warning: org.junit.jupiter:junit-jupiter has no version here (managed by a"
                + " parent pom or an imported BOM); not checked — scan the output of 'mvn"
                + " help:effective-pom' or a gradle.lockfile instead",
            f
                + ":54: warning: io.netty:netty-all has version '${netty.version}', which this pom"
                + " does not define (a parent or a -D property?); not checked",
            f
                + ":59: warning: com.google.guava:guava has the version range '[33.0,34.0)'; Vigil"
                + " checks exact versions only, not checked");
  }

  @Test
  void read_pomWithParentOnDisk_inheritsPropertiesAndManagedVersions() throws IOException {
    Path root = tmp.resolve("multi");
    Files.createDirectories(root.resolve("app"));
    Files.writeString(
        root.resolve("pom.xml"),
        """
        <project>
          <groupId>com.example</groupId>
          <artifactId>parent</artifactId>
          <version>2.0.0</version>
          <packaging>pom</packaging>
          <properties><guava.version>33.4.0-jre</guava.version></properties>
          <dependencyManagement><dependencies>
            <dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId>
              <version>${guava.version}</version></dependency>
            <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId>
              <version>2.0.16</version></dependency>
          </dependencies></dependencyManagement>
        </project>
        """,
        StandardCharsets.UTF_8);
    Path app = root.resolve("app/pom.xml");
    Files.writeString(
        app,
        """
        <project>
          <parent><groupId>com.example</groupId><artifactId>parent</artifactId><version>2.0.0</version></parent>
          <artifactId>app</artifactId>
          <properties><slf4j.override>2.0.17</slf4j.override></properties>
          <dependencies>
            <dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId></dependency>
            <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId></dependency>
            <dependency><groupId>${project.groupId}</groupId><artifactId>lib</artifactId><version>${project.version}</version></dependency>
            <dependency><groupId>io.netty</groupId><artifactId>netty-all</artifactId></dependency>
          </dependencies>
        </project>
        """,
        StandardCharsets.UTF_8);
    LockfileResult r = Lockfiles.read(app);
    assertThat(refs(r))
        .containsExactly(
            "maven:com.google.guava:guava@33.4.0-jre",
            "maven:org.slf4j:slf4j-api@2.0.16",
            "maven:com.example:lib@2.0.0",
            "maven:io.netty:netty-all");
    assertThat(problems(r))
        .singleElement()
        .asString()
        .contains("io.netty:netty-all has no version here");
  }

  @Test
  void read_gradleLockfile_readsCoordinates() throws IOException {
    Path f = fixture("gradle", "gradle.lockfile");
    LockfileResult r = Lockfiles.read(f);
    assertThat(refs(r))
        .containsExactly(
            "maven:com.fasterxml.jackson.core:jackson-annotations@2.18.2",
            "maven:com.fasterxml.jackson.core:jackson-core@2.18.2",
            "maven:org.apache.logging.log4j:log4j-core@2.14.1",
            "maven:org.junit:junit-bom@5.11.4");
    assertThat(r.packages().get(2).source()).isEqualTo(f + ":6");
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void read_cycloneDx_readsPurlsNestedComponentsAndHashes() throws IOException {
    Path f = fixture("cyclonedx", "bom.json");
    LockfileResult r = Lockfiles.read(f);
    assertThat(r.format()).isEqualTo("CycloneDX 1.5");
    assertThat(refs(r))
        .containsExactly(
            "npm:@angular/core@19.0.5",
            "pypi:requests@2.32.3",
            "maven:org.apache.logging.log4j:log4j-core@2.14.1",
            "maven:org.apache.logging.log4j:log4j-api@2.14.1");
    assertThat(r.integrityOf(r.packages().get(0))).contains("sha512:00aa");
    assertThat(r.packages().get(3).source()).isEqualTo(f + ":32");
    assertThat(problems(r))
        .containsExactly(
            f + ":44: warning: at /components/4: component 'mystery' has no purl; not checked",
            f
                + ":48: error: at /components/5: 'npm/broken@1.0.0' is not a package URL; expected"
                + " pkg:TYPE/NAMESPACE/NAME@VERSION",
            f + ": warning: components of ecosystems Vigil does not scan were skipped: {golang=1}");
  }

  // ---- malformed input ---------------------------------------------------------------------

  @Test
  void read_malformedPackageLock_reportsLineAndKeepsEntriesBeforeIt() throws IOException {
    Path f = fixture("malformed", "package-lock.json");
    LockfileResult r = Lockfiles.read(f);
    assertThat(refs(r)).containsExactly("npm:a@1.0.0");
    assertThat(r.hasErrors()).isTrue();
    assertThat(problems(r))
        .singleElement()
        .asString()
        .startsWith(f + ":6: error: not valid JSON: Unexpected character ('\"'")
        .endsWith(
            "; expected a package-lock.json written by npm (entries before this point were read)");
  }

  @Test
  void read_malformedYarnLock_reportsEachBadLineAndKeepsGoodEntries() throws IOException {
    Path f = fixture("malformed", "yarn.lock");
    LockfileResult r = Lockfiles.read(f);
    assertThat(refs(r)).containsExactly("npm:lodash@4.17.21", "npm:ms@2.1.3");
    assertThat(problems(r))
        .containsExactly(
            f
                + ":7: error: expected an entry header ending in ':' like '\"lodash@^4.17.0\":',"
                + " found 'this line is not a header'",
            f + ":8: error: an indented line outside any entry: 'version \"1.0.0\"'",
            f + ":10: error: the entry for left-pad has no 'version' line; not checked");
  }

  @Test
  void read_malformedPom_reportsLineAndKeepsDependenciesBeforeIt() throws IOException {
    Path f = fixture("malformed", "pom.xml");
    LockfileResult r = Lockfiles.read(f);
    assertThat(refs(r)).containsExactly("maven:junit:junit@4.13.2");
    assertThat(problems(r))
        .singleElement()
        .asString()
        .startsWith(f + ":13: error: not well-formed XML: ")
        .endsWith("; expected a Maven pom.xml");
  }

  @Test
  void read_pomWithExternalEntity_refusesIt() throws IOException {
    Path f = fixture("malformed", "pom-xxe.xml");
    LockfileResult r = Lockfiles.read(f);
    assertThat(r.format()).isEqualTo("pom.xml");
    assertThat(r.packages()).noneMatch(p -> p.name().contains("root"));
    assertThat(r.hasErrors()).isTrue();
  }

  @Test
  void read_malformedPoetryLock_reportsTablesWithoutNameOrVersion() throws IOException {
    Path f = fixture("malformed", "poetry.lock");
    LockfileResult r = Lockfiles.read(f);
    assertThat(refs(r)).containsExactly("pypi:requests@2.32.3");
    assertThat(problems(r))
        .containsExactly(
            f
                + ":5: error: this [[package]] table has no version; expected name = \"...\" and"
                + " version = \"...\"",
            f
                + ":9: error: this [[package]] table has no name; expected name = \"...\" and"
                + " version = \"...\"");
  }

  @Test
  void read_malformedPnpmLock_reportsYamlErrorWithLine() throws IOException {
    Path f = fixture("malformed", "pnpm-lock.yaml");
    LockfileResult r = Lockfiles.read(f);
    assertThat(r.packages()).isEmpty();
    assertThat(problems(r))
        .singleElement()
        .asString()
        .startsWith(f + ":")
        .contains(": error: not valid YAML: ")
        .endsWith("; expected a pnpm-lock.yaml written by pnpm");
  }

  @Test
  void read_malformedGradleLockfile_reportsLineAndKeepsTheRest() throws IOException {
    Path f = fixture("malformed", "gradle.lockfile");
    LockfileResult r = Lockfiles.read(f);
    assertThat(refs(r))
        .containsExactly("maven:com.example:good@1.0", "maven:com.example:also-good@2.0");
    assertThat(problems(r))
        .containsExactly(
            f
                + ":3: error: expected 'group:artifact:version=configurations', found"
                + " 'not-coordinates=runtimeClasspath'");
  }

  // ---- detection and limits ----------------------------------------------------------------

  @Test
  void read_unknownFile_saysWhatIsSupported() throws IOException {
    Path f = tmp.resolve("notes.md");
    Files.writeString(f, "hello\n", StandardCharsets.UTF_8);
    LockfileResult r = Lockfiles.read(f);
    assertThat(r.format()).isEqualTo("unknown");
    assertThat(problems(r))
        .singleElement()
        .asString()
        .startsWith(
            f
                + ": error: not a lockfile or manifest Vigil reads; expected one of package-lock.json,");
  }

  @Test
  void read_renamedLockfiles_detectedByContent() throws IOException {
    Path npm = tmp.resolve("lock-copy.json");
    Files.copy(fixture("npm-v2", "package-lock.json"), npm);
    assertThat(Lockfiles.read(npm).format()).isEqualTo("package-lock.json v2");
    Path bom = tmp.resolve("sbom-export.json");
    Files.copy(fixture("cyclonedx", "bom.json"), bom);
    assertThat(Lockfiles.read(bom).format()).startsWith("CycloneDX");
    Path yarn = tmp.resolve("old.lock");
    Files.copy(fixture("yarn-v1", "yarn.lock"), yarn);
    assertThat(Lockfiles.read(yarn).format()).isEqualTo("yarn.lock v1");
    Path pipfile = tmp.resolve("pipfile-copy");
    Files.copy(fixture("pipfile", "Pipfile.lock"), pipfile);
    assertThat(Lockfiles.read(pipfile).format()).isEqualTo("Pipfile.lock");
  }

  @Test
  void read_missingFile_isAnErrorNotAnException() {
    LockfileResult r = Lockfiles.read(tmp.resolve("package-lock.json"));
    assertThat(problems(r)).singleElement().asString().contains("no such file");
  }

  @Test
  void read_overMaxFileBytes_namesTheSetting() throws IOException {
    Path f = fixture("npm-v2", "package-lock.json");
    LockfileResult r = Lockfiles.read(f, new LockfileLimits(100, 10, 8, 200));
    assertThat(r.packages()).isEmpty();
    assertThat(problems(r))
        .singleElement()
        .asString()
        .contains("more than maxFileBytes (100); raise maxFileBytes if it is a genuine lockfile");
  }

  @Test
  void read_overMaxEntries_stopsOnceAndNamesTheSetting() throws IOException {
    Path f = fixture("gradle", "gradle.lockfile");
    LockfileResult r = Lockfiles.read(f, new LockfileLimits(1 << 20, 2, 8, 200));
    assertThat(r.packages()).hasSize(2);
    assertThat(problems(r))
        .singleElement()
        .asString()
        .contains("stopped after maxEntries (2) packages");
  }

  @Test
  void read_deepJson_stopsAtMaxNestingDepth() throws IOException {
    Path f = tmp.resolve("package-lock.json");
    Files.writeString(f, "{\"a\":".repeat(50) + "1" + "}".repeat(50), StandardCharsets.UTF_8);
    LockfileResult r = Lockfiles.read(f, new LockfileLimits(1 << 20, 10, 8, 20));
    assertThat(problems(r)).singleElement().asString().contains("(setting maxNestingDepth)");
  }

  @Test
  void read_yamlAliasBomb_refusedWithoutExpanding() throws IOException {
    StringBuilder y =
        new StringBuilder("lockfileVersion: '9.0'\na0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 60; i++) {
      y.append("a").append(i).append(": &a").append(i).append(" [");
      y.append(("*a" + (i - 1) + ", ").repeat(8)).append("*a").append(i - 1).append("]\n");
    }
    Path f = tmp.resolve("pnpm-lock.yaml");
    Files.writeString(f, y, StandardCharsets.UTF_8);
    LockfileResult r = Lockfiles.read(f);
    assertThat(r.packages()).isEmpty();
    assertThat(problems(r))
        .singleElement()
        .asString()
        .contains("not valid YAML")
        .contains("aliases");
  }

  @Test
  void read_includeDeeperThanLimit_namesTheSetting() throws IOException {
    Path f = tmp.resolve("requirements.txt");
    Files.writeString(f, "-r more.txt\n", StandardCharsets.UTF_8);
    Files.writeString(tmp.resolve("more.txt"), "six==1.17.0\n", StandardCharsets.UTF_8);
    LockfileResult r = Lockfiles.read(f, new LockfileLimits(1 << 20, 10, 0, 20));
    assertThat(r.packages()).isEmpty();
    assertThat(problems(r))
        .singleElement()
        .asString()
        .contains("-r more.txt goes deeper than maxIncludeDepth (0); not read");
  }

  @Test
  void isLockfileName_knownNames_recognized() {
    assertThat(Lockfiles.isLockfileName(Path.of("a/package-lock.json"))).isTrue();
    assertThat(Lockfiles.isLockfileName(Path.of("requirements-dev.txt"))).isTrue();
    assertThat(Lockfiles.isLockfileName(Path.of("README.md"))).isFalse();
    assertThat(Ecosystem.NPM).isNotNull();
  }
}
