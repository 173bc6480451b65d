/**
 * Where per-person keys live (the port). The cipher needs a key synchronously,
 * for every event it encrypts or decrypts; a store that answers over the
 * network (PostgreSQL, shared by a cluster of replicas) loads the keys an
 * operation needs first, in `prefetch`, and answers `keyFor` / `existingKey`
 * from what it loaded. The embedded store answers straight from its file and
 * has nothing to prefetch.
 */
export abstract class PersonKeys {
  /**
   * Makes `keyFor` (with `create`) or `existingKey` answer for these people
   * without I/O. Returns undefined when there is nothing to wait for.
   */
  abstract prefetch(personIds: readonly string[], create: boolean): Promise<void> | undefined;

  /** The person's key, created on first use; null once destroyed (never recreated). */
  abstract keyFor(personId: string): Buffer | null;

  /** The key if it exists; never creates one (for reading). */
  abstract existingKey(personId: string): Buffer | null;

  /** Crypto-shredding: the key is destroyed wherever it is kept; idempotent. */
  abstract destroy(personId: string): Promise<void> | void;

  abstract close(): Promise<void> | void;
}
