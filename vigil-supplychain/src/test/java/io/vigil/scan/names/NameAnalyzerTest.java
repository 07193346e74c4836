package io.vigil.scan.names;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.scan.Ecosystem;
import io.vigil.scan.Finding;
import io.vigil.scan.PackageRef;
import io.vigil.scan.ScoreCategory;
import io.vigil.scan.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NameAnalyzerTest {
  private static final NameAnalyzer NAMES = NameAnalyzer.defaults();

  private static Finding only(Ecosystem e, String name) {
    List<Finding> f = NAMES.analyze(e, name);
    assertThat(f).as(name).hasSize(1);
    return f.get(0);
  }

  @Test
  void analyze_electorn_imitatesElectronBySwappedLetters() {
    Finding f = only(Ecosystem.NPM, "electorn");
    assertThat(f.type()).isEqualTo("typosquat");
    assertThat(f.category()).isEqualTo(ScoreCategory.SUPPLY_CHAIN);
    assertThat(f.severity()).isEqualTo(Severity.HIGH);
    assertThat(f.evidence())
        .startsWith("'electorn' imitates the popular npm package 'electron' (rank ")
        .endsWith("two letters swapped ('or' for 'ro')");
  }

  @Test
  void analyze_reqeusts_imitatesRequests() {
    Finding f = only(Ecosystem.PYPI, "reqeusts");
    assertThat(f.evidence()).contains("'requests'");
    assertThat(f.severity()).isEqualTo(Severity.HIGH);
  }

  @ParameterizedTest
  @CsvSource({
    "npm, lodash",
    "npm, react-dom",
    "npm, @types/node",
    "npm, discord.js",
    "npm, JSONStream",
    "pypi, requests",
    "pypi, Requests",
    "pypi, python-dateutil",
    "pypi, typing_extensions",
    "pypi, beautifulsoup4",
  })
  void analyze_popularPackageItself_notFlagged(String eco, String name) {
    assertThat(NAMES.analyze(Ecosystem.fromOsv(eco).orElseThrow(), name)).isEmpty();
  }

  @Test
  void analyze_twoPopularNamesCloseToEachOther_neverFlagEachOther() {
    // pairs within edit distance 1-2 that are both on the popular lists
    for (String[] pair :
        new String[][] {
          {"npm", "chalk"}, {"npm", "chai"}, {"npm", "debug"}, {"npm", "depd"},
          {"npm", "ws"}, {"npm", "yargs"}, {"npm", "yarn"}, {"pypi", "urllib3"},
          {"pypi", "boto3"}, {"pypi", "botocore"}, {"pypi", "six"}, {"pypi", "attrs"}
        }) {
      Ecosystem e = Ecosystem.fromOsv(pair[0]).orElseThrow();
      assertThat(NAMES.isPopular(e, pair[1])).as(pair[1]).isTrue();
      assertThat(NAMES.analyze(e, pair[1])).as(pair[1]).isEmpty();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "npm, l0dash, lodash, look-alike characters",
    "npm, 1odash, lodash, look-alike characters",
    "npm, lo-dash, lodash, separator characters",
    "npm, reactdom, react-dom, separator characters",
    "npm, react_dom, react-dom, separator characters",
    "npm, types-node, @types/node, scope or separator characters",
    "pypi, python_dateutil2, python-dateutil, one character added",
    "pypi, python-requests, requests, the prefix 'python-'",
    "npm, jquery.js, jquery, the suffix '.js'",
    "npm, expresss, express, one character added",
    "npm, expres, express, one character left out",
    "npm, @typs/node, @types/node, one character left out",
    "pypi, colourama, colorama, one character added",
    "pypi, djanga, django, one character changed",
  })
  void analyze_typosquatShapes_nameThePopularPackage(
      String eco, String name, String target, String how) {
    Finding f = only(Ecosystem.fromOsv(eco).orElseThrow(), name);
    assertThat(f.evidence()).contains("package '" + target + "'").contains(how);
  }

  @Test
  void analyze_rnForM_isLookAlike() {
    NameAnalyzer a = NameAnalyzer.of(Map.of(Ecosystem.NPM, List.of("moment", "commander")));
    assertThat(a.analyze(Ecosystem.NPM, "rnoment"))
        .singleElement()
        .satisfies(f -> assertThat(f.evidence()).contains("'moment'").contains("look-alike"));
    assertThat(a.analyze(Ecosystem.NPM, "cornrnander"))
        .singleElement()
        .satisfies(f -> assertThat(f.evidence()).contains("'commander'"));
  }

  @Test
  void analyze_scopedCopyOfPopularName_isLowScopeConfusion() {
    Finding f = only(Ecosystem.NPM, "@evil-co/lodash");
    assertThat(f.severity()).isEqualTo(Severity.LOW);
    assertThat(f.evidence()).contains("a scope added to the popular name 'lodash'");
    // DefinitelyTyped packages are not scope confusion
    assertThat(NAMES.analyze(Ecosystem.NPM, "@types/left-pad")).isEmpty();
  }

  @Test
  void analyze_shortOrUnrelatedNames_notFlagged() {
    assertThat(NAMES.analyze(Ecosystem.NPM, "my-cool-app-backend")).isEmpty();
    assertThat(NAMES.analyze(Ecosystem.NPM, "zq")).isEmpty();
    assertThat(NAMES.analyze(Ecosystem.PYPI, "acme-billing-service")).isEmpty();
  }

  @Test
  void analyze_numberedSibling_notFlaggedAsTypo() {
    NameAnalyzer a = NameAnalyzer.of(Map.of(Ecosystem.NPM, List.of("webpack4-plugin")));
    assertThat(a.analyze(Ecosystem.NPM, "webpack5-plugin")).isEmpty();
  }

  @Test
  void analyze_mavenWithoutPopularList_onlyDependencyConfusion() {
    assertThat(NAMES.analyze(Ecosystem.MAVEN, "org.apache.commons:commons-txt")).isEmpty();
    assertThat(
            NAMES.analyze(
                new PackageRef(
                    Ecosystem.MAVEN, "com.acme.internal:billing", "99.0.0", "pom.xml:12")))
        .singleElement()
        .extracting(Finding::type)
        .isEqualTo("dependency-confusion");
  }

  @Test
  void analyze_internalNameAtHighVersion_isDependencyConfusionAtTheLockfileLine() {
    List<Finding> f =
        NAMES.analyze(
            new PackageRef(
                Ecosystem.NPM, "acme-internal-auth", "99.10.1", "/app/package-lock.json:42"));
    assertThat(f)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.type()).isEqualTo("dependency-confusion");
              assertThat(d.severity()).isEqualTo(Severity.HIGH);
              assertThat(d.file()).isEqualTo("/app/package-lock.json");
              assertThat(d.line()).isEqualTo(42);
              assertThat(d.evidence())
                  .isEqualTo(
                      "'acme-internal-auth' 99.10.1: internal-looking (the name contains 'internal') at"
                          + " major version 99");
            });
  }

  @Test
  void analyze_unknownScopeAtHighVersion_isDependencyConfusion() {
    assertThat(NAMES.analyze(new PackageRef(Ecosystem.NPM, "@acme/ui-kit", "98.0.0", "x:1")))
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.evidence()).contains("its scope @acme has no popular public package"));
  }

  @Test
  void analyze_normalVersionsAndCalVer_noDependencyConfusion() {
    assertThat(NAMES.analyze(new PackageRef(Ecosystem.NPM, "acme-internal-auth", "1.4.0", "x:1")))
        .isEmpty();
    assertThat(
            NAMES.analyze(new PackageRef(Ecosystem.PYPI, "corp-private-tools", "2024.1.3", "x:1")))
        .isEmpty();
    assertThat(NAMES.analyze(new PackageRef(Ecosystem.PYPI, "certifi", "2024.12.14", "x:1")))
        .isEmpty();
  }

  @Test
  void analyze_thousandUnknownNames_flagsNoneAsHigh() {
    // Speed is measured in docs/SUPPLYCHAIN-DATA.md, not asserted here.
    for (int i = 0; i < 1000; i++) {
      assertThat(NAMES.analyze(Ecosystem.NPM, "some-package-" + i))
          .noneMatch(f -> f.severity() == Severity.HIGH || f.severity() == Severity.CRITICAL);
    }
  }

  @Test
  void popularLists_shippedAsResources_inRankOrder() {
    PopularNames npm = PopularNames.load(Ecosystem.NPM, "npm-popular.txt");
    PopularNames pypi = PopularNames.load(Ecosystem.PYPI, "pypi-popular.txt");
    assertThat(npm.names).hasSize(10_000);
    assertThat(npm.names.get(0)).isEqualTo("semver");
    assertThat(pypi.names.size()).isGreaterThan(14_900);
    assertThat(pypi.names.get(0)).isEqualTo("boto3");
  }

  /**
   * A false-alarm guard: treat the top 80% of each popular list as "popular" and analyze the rest
   * (real, legitimate, less popular packages); few may reach MEDIUM.
   */
  @Test
  void analyze_lessPopularRealPackages_rarelyMediumOrAbove() {
    for (Ecosystem e : List.of(Ecosystem.NPM, Ecosystem.PYPI)) {
      List<String> all =
          PopularNames.load(e, e == Ecosystem.NPM ? "npm-popular.txt" : "pypi-popular.txt").names;
      int cut = all.size() * 4 / 5;
      NameAnalyzer a = NameAnalyzer.of(Map.of(e, all.subList(0, cut)));
      long alarms =
          all.subList(cut, all.size()).stream()
              .filter(
                  n ->
                      a.analyze(e, n).stream()
                          .anyMatch(f -> f.severity().compareTo(Severity.MEDIUM) >= 0))
              .count();
      assertThat(alarms * 100.0 / (all.size() - cut)).as(e.toString()).isLessThan(3.0);
    }
  }
}
