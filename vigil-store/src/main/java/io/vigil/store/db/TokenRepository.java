package io.vigil.store.db;

import java.util.Optional;

/** API tokens, stored as SHA-256 hashes only. */
public interface TokenRepository {
  /**
   * Creates a random token (32 bytes of SecureRandom, base64url, prefix "vgl_"), stores only its
   * SHA-256, returns the plaintext once.
   */
  String create(String role, String name);

  /** Stores a given plaintext token (VIGIL_ADMIN_TOKEN) hashed, if not already present. */
  void storeIfAbsent(String plaintext, String role, String name);

  /** The principal of a plaintext token, or empty when unknown. */
  Optional<Principal> verify(String plaintext);

  /** True when no token exists. */
  boolean isEmpty();
}
