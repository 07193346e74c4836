package io.vigil.scan.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ClassFileScannerTest {
  /** A class whose constant pool references process spawning and networking. */
  static final class SpawnsAndConnects {
    static void run() throws IOException {
      new ProcessBuilder("id").start();
      new java.net.Socket("example.org", 80).close();
    }
  }

  private static byte[] classBytes(Class<?> c) throws IOException {
    String name = "/" + c.getName().replace('.', '/') + ".class";
    try (InputStream in = c.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void scan_classReferencingProcessBuilderAndSocket_processAndNetwork() throws IOException {
    var caps =
        ClassFileScanner.scan("a/B.class", classBytes(SpawnsAndConnects.class)).stream()
            .map(Signal::capability)
            .toList();
    assertThat(caps).contains(Capability.PROCESS, Capability.NETWORK);
  }

  @Test
  void utf8Constants_notAClass_empty() {
    assertThat(ClassFileScanner.utf8Constants(new byte[] {1, 2, 3})).isEmpty();
    assertThat(ClassFileScanner.isClassFile(new byte[] {1, 2, 3})).isFalse();
  }

  @Test
  void utf8Constants_truncatedClass_noException() throws IOException {
    byte[] b = classBytes(SpawnsAndConnects.class);
    byte[] cut = java.util.Arrays.copyOf(b, 40);
    assertThat(ClassFileScanner.utf8Constants(cut)).isNotNull();
  }
}
