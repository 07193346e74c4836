package io.vigil.scan.osv;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.scan.Ecosystem;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MatchingTest {

  private static Advisory.Range range(String type, String... kv) {
    List<Advisory.Event> events = new java.util.ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      events.add(new Advisory.Event(kv[i], kv[i + 1]));
    }
    return new Advisory.Range(type, events);
  }

  private static boolean affects(Ecosystem e, Advisory.Range r, String v) {
    return Matching.affects(e, new Advisory.Affected("x", Set.of(), List.of(r)), v);
  }

  @Test
  void inRange_introducedFixed_coversHalfOpenInterval() {
    Advisory.Range r = range("SEMVER", "introduced", "1.2.0", "fixed", "1.4.0");
    assertThat(affects(Ecosystem.NPM, r, "1.1.9")).isFalse();
    assertThat(affects(Ecosystem.NPM, r, "1.2.0")).isTrue();
    assertThat(affects(Ecosystem.NPM, r, "1.3.99")).isTrue();
    assertThat(affects(Ecosystem.NPM, r, "1.4.0-rc.1")).isTrue();
    assertThat(affects(Ecosystem.NPM, r, "1.4.0")).isFalse();
  }

  @Test
  void inRange_lastAffected_includesThatVersion() {
    Advisory.Range r = range("ECOSYSTEM", "introduced", "0", "last_affected", "2.0.1");
    assertThat(affects(Ecosystem.PYPI, r, "2.0.1")).isTrue();
    assertThat(affects(Ecosystem.PYPI, r, "2.0.1.post1")).isFalse();
    assertThat(affects(Ecosystem.PYPI, r, "0.1")).isTrue();
  }

  @Test
  void inRange_severalIntervals_eachOpensAndCloses() {
    Advisory.Range r =
        range(
            "ECOSYSTEM", "introduced", "1.0", "fixed", "1.5", "introduced", "2.0", "fixed", "2.2");
    assertThat(affects(Ecosystem.PYPI, r, "1.4")).isTrue();
    assertThat(affects(Ecosystem.PYPI, r, "1.7")).isFalse();
    assertThat(affects(Ecosystem.PYPI, r, "2.1rc1")).isTrue();
    assertThat(affects(Ecosystem.PYPI, r, "2.2")).isFalse();
  }

  @Test
  void inRange_pep440Prerelease_ordersBeforeFix() {
    Advisory.Range r = range("ECOSYSTEM", "introduced", "0", "fixed", "1.0");
    assertThat(affects(Ecosystem.PYPI, r, "1.0rc1")).isTrue();
    assertThat(affects(Ecosystem.PYPI, r, "1.0.post1")).isFalse();
    assertThat(affects(Ecosystem.PYPI, r, "1!0.1")).isFalse();
  }

  @Test
  void inRange_limit_capsTheRange() {
    Advisory.Range r = range("ECOSYSTEM", "introduced", "0", "limit", "3.0");
    assertThat(affects(Ecosystem.MAVEN, r, "2.9")).isTrue();
    assertThat(affects(Ecosystem.MAVEN, r, "3.0")).isFalse();
  }

  @Test
  void inRange_mavenQualifiers_useMavenOrder() {
    Advisory.Range r = range("ECOSYSTEM", "introduced", "2.0.0", "fixed", "2.3.1");
    assertThat(affects(Ecosystem.MAVEN, r, "2.0.0-SNAPSHOT")).isFalse();
    assertThat(affects(Ecosystem.MAVEN, r, "2.3.1-RC1")).isTrue();
    assertThat(affects(Ecosystem.MAVEN, r, "2.3.1.RELEASE")).isFalse();
    assertThat(affects(Ecosystem.MAVEN, r, "2.3.0.Final")).isTrue();
  }

  @Test
  void affects_introducedZeroOnly_coversEveryVersionEvenUnparsable() {
    Advisory.Range r = range("SEMVER", "introduced", "0");
    assertThat(affects(Ecosystem.NPM, r, "0.0.1-security")).isTrue();
    assertThat(affects(Ecosystem.NPM, r, "not-a-version")).isTrue();
    assertThat(affects(Ecosystem.NPM, r, "")).isTrue();
  }

  @Test
  void affects_versionsList_matchesEquivalentSpelling() {
    Advisory.Affected a = new Advisory.Affected("x", Set.of("1.0"), List.of());
    assertThat(Matching.affects(Ecosystem.PYPI, a, "1.0.0")).isTrue();
    assertThat(Matching.affects(Ecosystem.PYPI, a, "1.0.1")).isFalse();
    assertThat(Matching.affects(Ecosystem.PYPI, a, "")).isFalse();
  }

  @Test
  void inRange_unparsableVersion_doesNotMatchBoundedRange() {
    Advisory.Range r = range("SEMVER", "introduced", "1.0.0", "fixed", "2.0.0");
    assertThat(affects(Ecosystem.NPM, r, "latest")).isFalse();
  }

  @Test
  void inRange_noIntroduced_startsAtTheFirstVersion() {
    Advisory.Range r = range("ECOSYSTEM", "fixed", "2.0");
    assertThat(affects(Ecosystem.PYPI, r, "1.0")).isTrue();
    assertThat(affects(Ecosystem.PYPI, r, "2.0")).isFalse();
  }

  @Test
  void upperBound_githubLastKnownAffectedRange_becomesEvent() {
    assertThat(OsvRecords.upperBound("<= 29.0"))
        .isEqualTo(new Advisory.Event("last_affected", "29.0"));
    assertThat(OsvRecords.upperBound("< 2.0.1")).isEqualTo(new Advisory.Event("fixed", "2.0.1"));
    assertThat(OsvRecords.upperBound(">= 1.0, < 2.0")).isNull();
  }
}
