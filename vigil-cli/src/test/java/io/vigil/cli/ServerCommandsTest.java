package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.store.db.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCommandsTest {
  @TempDir Path dir;

  @Test
  void tokenCreate_printsATokenTheDatabaseVerifies() throws Exception {
    HuntRun r =
        HuntRun.of(
            "token", "create", "--role", "analyst", "--name", "ci", "--data", dir.toString());
    assertThat(r.exit()).as(r.toString()).isZero();
    String token = r.out().strip();
    assertThat(token).startsWith("vgl_").hasSizeGreaterThan(40);
    try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("vigil.db"), null, null)) {
      assertThat(db.tokens().verify(token))
          .hasValueSatisfying(p -> assertThat(p.role()).isEqualTo("analyst"));
    }
  }

  @Test
  void tokenCreate_badRole_saysWhatARoleLooksLike() {
    HuntRun r = HuntRun.of("token", "create", "--role", "Admin!", "--data", dir.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("role 'Admin!'").contains("lower-case letters");
  }

  @Test
  void serve_unknownConfigKey_exits2NamingTheKey() throws Exception {
    Path cfg = Files.writeString(dir.resolve("vigil.yml"), "htp:\n  port: 80\n");
    HuntRun r = HuntRun.of("serve", "--config", cfg.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("unknown setting 'htp'");
  }

  @Test
  void import_withoutToken_exits2SayingWhereTokensComeFrom() {
    HuntRun r = HuntRun.of("import", "--url", "http://127.0.0.1:1", dir.toString());
    // VIGIL_TOKEN is not set in the build
    if (System.getenv("VIGIL_TOKEN") == null) {
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).contains("--token").contains("vigil token create");
    }
  }
}
