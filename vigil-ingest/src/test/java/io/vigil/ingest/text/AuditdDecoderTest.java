package io.vigil.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditdDecoderTest {
  private static final String GROUP =
      "type=SYSCALL msg=audit(1604994496.155:92733): arch=c000003e syscall=59 success=yes exit=0"
          + " a0=558e251634a0 ppid=29002 pid=1631 auid=1000 uid=1000 comm=\"arp\""
          + " exe=\"/usr/sbin/arp\" key=(null)\n"
          + "type=EXECVE msg=audit(1604994496.155:92733): argc=2 a0=\"arp\" a1=\"-a\"\n"
          + "type=CWD msg=audit(1604994496.155:92733): cwd=\"/home/wardog\"\n"
          + "type=PROCTITLE msg=audit(1604994496.155:92733): proctitle=617270002D61\n";

  @Test
  void group_everyRecordIsOneEvent_withTheGroupContext() {
    Decoded d = Decoded.run(new AuditdDecoder(), GROUP);

    assertThat(d.problems).isEmpty();
    assertThat(d.events).hasSize(4);
    assertThat(d.lines).containsExactly(1L, 2L, 3L, 4L);
    assertThat(d.events)
        .extracting(e -> e.get("type").asText())
        .containsExactly("SYSCALL", "EXECVE", "CWD", "PROCTITLE");
    for (JsonNode e : d.events) {
      assertThat(e.at("/auditd/serial").asLong()).isEqualTo(92733);
      assertThat(e.at("/@timestamp").asText()).isEqualTo("2020-11-10T07:48:16.155Z");
      assertThat(e.at("/process/executable").asText()).isEqualTo("/usr/sbin/arp");
      assertThat(e.at("/process/name").asText()).isEqualTo("arp");
      assertThat(e.at("/process/pid").asLong()).isEqualTo(1631);
      assertThat(e.at("/process/parent/pid").asLong()).isEqualTo(29002);
      assertThat(e.at("/process/command_line").asText()).isEqualTo("arp -a");
      assertThat(e.at("/process/args/1").asText()).isEqualTo("-a");
      assertThat(e.at("/process/working_directory").asText()).isEqualTo("/home/wardog");
      assertThat(e.at("/user/id").asText()).isEqualTo("1000");
      assertThat(e.at("/event/outcome").asText()).isEqualTo("success");
    }
    assertThat(d.events)
        .extracting(e -> e.at("/auditd/sequence").asInt())
        .containsExactly(1, 2, 3, 4);
    // the record's own fields stay at the top level, SYSCALL's a0 not decoded
    assertThat(d.events.get(0).get("a0").asText()).isEqualTo("558e251634a0");
    assertThat(d.events.get(0).get("key").asText()).isEqualTo("(null)");
    assertThat(d.events.get(1).get("a1").asText()).isEqualTo("-a");
    assertThat(d.events.get(3).get("proctitle").asText()).isEqualTo("arp -a");
  }

  @Test
  void hexEncodedValues_decoded_splitArgumentsJoined_nodeGivesHost() {
    Decoded d =
        Decoded.run(
            new AuditdDecoder(),
            "node=web1 type=SYSCALL msg=audit(1.5:7): pid=9 comm=2F62696E2F7368 exe=\"/bin/sh\"\n"
                + "node=web1 type=EXECVE msg=audit(1.5:7): argc=3 a0=\"sh\" a1=2D63"
                + " a2_len=6 a2[0]=\"ec\" a2[1]=686F2068\n"
                + "node=web1 type=PATH msg=audit(1.5:7): item=0 name=2F746D702F6120622063"
                + " nametype=CREATE\n");

    assertThat(d.problems).isEmpty();
    assertThat(d.events.get(0).get("comm").asText()).isEqualTo("/bin/sh");
    assertThat(d.events.get(1).get("a1").asText()).isEqualTo("-c");
    assertThat(d.events.get(1).get("a2").asText()).isEqualTo("echo h");
    assertThat(d.events.get(2).get("name").asText()).isEqualTo("/tmp/a b c");
    assertThat(d.events.get(2).at("/host/name").asText()).isEqualTo("web1");
    assertThat(d.events.get(2).at("/process/command_line").asText()).isEqualTo("sh -c echo h");
  }

  @Test
  void interleavedGroups_eachRecordGetsItsOwnGroupsContext() {
    Decoded d =
        Decoded.run(
            new AuditdDecoder(),
            "type=SYSCALL msg=audit(10.0:1): pid=1 exe=\"/bin/a\"\n"
                + "type=SYSCALL msg=audit(10.0:2): pid=2 exe=\"/bin/b\"\n"
                + "type=CWD msg=audit(10.0:1): cwd=\"/one\"\n"
                + "type=CWD msg=audit(10.0:2): cwd=\"/two\"\n");

    assertThat(d.events).hasSize(4);
    for (JsonNode e : d.events) {
      long serial = e.at("/auditd/serial").asLong();
      assertThat(e.at("/process/executable").asText()).isEqualTo(serial == 1 ? "/bin/a" : "/bin/b");
      assertThat(e.at("/process/working_directory").asText())
          .isEqualTo(serial == 1 ? "/one" : "/two");
    }
  }

  @Test
  void userSpaceMessage_nestedFieldsLifted_eoeClosesTheGroup() {
    Decoded d =
        Decoded.run(
            new AuditdDecoder(),
            "type=USER_LOGIN msg=audit(1700000000.000:55): pid=3 uid=0 auid=1000"
                + " msg='op=login acct=\"root\" exe=\"/usr/sbin/sshd\" addr=10.0.0.5 res=failed'\n"
                + "type=EOE msg=audit(1700000000.000:55): \n");

    assertThat(d.problems).isEmpty();
    JsonNode e = d.events.get(0);
    assertThat(e.get("acct").asText()).isEqualTo("root");
    assertThat(e.get("addr").asText()).isEqualTo("10.0.0.5");
    assertThat(e.get("op").asText()).isEqualTo("login");
    assertThat(e.at("/event/outcome").asText()).isEqualTo("failure");
  }

  @Test
  void enrichedFormat_groupSeparatorFieldsRead() {
    Decoded d =
        Decoded.run(
            new AuditdDecoder(),
            "type=SYSCALL msg=audit(1.0:3): syscall=59 uid=0 exe=\"/bin/id\"\u001dARCH=x86_64"
                + " SYSCALL=execve UID=\"root\"\n");

    assertThat(d.problems).isEmpty();
    JsonNode e = d.events.get(0);
    assertThat(e.get("exe").asText()).isEqualTo("/bin/id");
    assertThat(e.get("UID").asText()).isEqualTo("root");
    assertThat(e.get("SYSCALL").asText()).isEqualTo("execve");
  }

  @Test
  void manyOpenGroups_boundedAndAllGivenOut() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      text.append("type=SYSCALL msg=audit(1.0:").append(i).append("): pid=").append(i).append('\n');
    }
    for (int i = 0; i < 100; i++) {
      text.append("type=CWD msg=audit(1.0:").append(i).append("): cwd=\"/\"\n");
    }
    Decoded d = Decoded.run(new AuditdDecoder(), text.toString());

    assertThat(d.events).hasSize(200);
    assertThat(d.problems).isEmpty();
  }

  @Test
  void heldCharactersOverTheLimit_groupsGivenOutEarly_nothingLost() {
    List<String> order = new java.util.ArrayList<>();
    AuditdDecoder small = new AuditdDecoder(100);
    Decoded d =
        Decoded.run(
            small,
            "type=SYSCALL msg=audit(1.0:1): pid=1 exe=\"/bin/a\"\n"
                + "type=SYSCALL msg=audit(1.0:2): pid=2 exe=\"/bin/b\"\n"
                + "type=CWD msg=audit(1.0:2): cwd=\"/two\"\n"
                + "type=CWD msg=audit(1.0:1): cwd=\"/one\"\n");
    for (JsonNode e : d.events) {
      order.add(e.get("type").asText() + e.at("/auditd/serial").asLong());
    }

    assertThat(d.events).hasSize(4);
    assertThat(d.problems).isEmpty();
    // the limit (100 characters) was passed at the third line: groups 1 and 2 went out then
    assertThat(order).containsExactly("SYSCALL1", "SYSCALL2", "CWD2", "CWD1");
    assertThat(d.events.get(3).at("/process/executable").isMissingNode()).isTrue();
  }

  @Test
  void malformedRecords_areProblemsAndTheRestIsRead() {
    Decoded d =
        Decoded.run(
            new AuditdDecoder(),
            "type=SYSCALL pid=1\n"
                + "type=SYSCALL msg=audit(abc:1): pid=1\n"
                + "hello\n"
                + "type=SYSCALL msg=audit(1.0:9): pid=1\n");

    assertThat(d.events).hasSize(1);
    assertThat(d.problems).hasSize(3);
    assertThat(d.problems.get(0)).startsWith("1: not an auditd record");
    assertThat(d.problems.get(1)).contains("seconds.millis:serial");
  }
}
