package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testing.SharedData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code vigil hunt} over the shared text logs with SigmaHQ rules: the text readers' field names
 * (access-log {@code cs-uri-query}, auditd EXECVE records as process_creation) and the built-in
 * mappings let the rules written for those log sources fire without any option.
 */
class HuntTextLogsTest {
  @Test
  void hunt_scannerAccessLog_sigmaWebserverRulesFire() {
    Path rules = SharedData.require("sigma/rules/web/webserver_generic");
    Path log = SharedData.require("datasets/web/ocatak-scanners/netsparker.txt");

    HuntRun run =
        HuntRun.of("hunt", "--rules", rules.toString(), "--format", "csv", log.toString());

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.err()).contains("7,314 events read").contains("0 parse errors");
    assertThat(run.out())
        .contains("SQL Injection Strings In URI")
        .contains("Cross Site Scripting Strings")
        .contains("Path Traversal Exploitation Attempts");
  }

  @Test
  void hunt_auditdArpDiscovery_sigmaLinuxRuleFires() {
    Path rules = SharedData.require("sigma/rules/linux");
    Path log = SharedData.require("datasets/linux/otrf/sh_arp_cache.zip");

    HuntRun run =
        HuntRun.of("hunt", "--rules", rules.toString(), "--format", "csv", log.toString());

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.err()).contains("12 events read").contains("0 parse errors");
    assertThat(run.out()).contains("Linux Remote System Discovery");
  }
}
