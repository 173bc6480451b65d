import { createHash } from 'node:crypto';
import type { EventMetadata, NewEvent } from '../event-store.port.js';

/**
 * Tamper evidence: a hash chain per stream and a digest over every stream's
 * head (ADR 0004).
 *
 * EVENT HASH (`ledger-event-v1`). The hash of an event is the lowercase hex
 * SHA-256 of these bytes:
 *
 *     "ledger-event-v1\n"
 *     field(streamId) field(revision) field(eventId) field(type) field(data) field(metadata)
 *
 * where `field(s)` is `<byte length of s in UTF-8, decimal>:<s in UTF-8>\n`
 * (length-prefixed, so no two different events encode to the same bytes),
 * and the fields are:
 *   - streamId: the stream's name;
 *   - revision: the event's 0-based revision in its stream, in decimal;
 *   - eventId:  the event's UUID, lowercase (as the store keeps it);
 *   - type:     the event type;
 *   - data:     `JSON.stringify(data)`: exactly the text the SQLite store keeps
 *               (read back, `JSON.parse` then `JSON.stringify` gives the same
 *               text). Encrypted personal fields are hashed as stored,
 *               ciphertext and all, so destroying a person's key (erasure)
 *               leaves every hash unchanged;
 *   - metadata: `JSON.stringify(metadata)`, the stored metadata text, which
 *               holds `prevHash` and so chains the event to its predecessor.
 *
 * `metadata.prevHash` is the hash of the previous event of the same stream,
 * `null` at revision 0. The `$all` position and `recordedAt` are assigned by
 * the store at commit, after the hash has to be known, and are not hashed
 * here: the whole-ledger seal (ledger-seal.ts) covers them after commit.
 */
export const EVENT_HASH_VERSION = 'ledger-event-v1';
export const LEDGER_DIGEST_VERSION = 'ledger-digest-v1';

/** What the event hash covers: a recorded event, or one about to be appended at `revision`. */
export interface HashableEvent {
  streamId: string;
  revision: bigint;
  id: string;
  type: string;
  data: unknown;
  metadata?: EventMetadata;
}

/** The metadata key that chains an event to its predecessor in its stream. */
export const PREV_HASH = 'prevHash';

function field(value: string): string {
  return `${Buffer.byteLength(value, 'utf8')}:${value}\n`;
}

/** The canonical bytes an event's hash is taken over (see the definition above). */
export function canonicalEventBytes(event: HashableEvent): Buffer {
  const data = JSON.stringify(event.data);
  if (data === undefined) throw new TypeError(`Event ${event.id} data is not JSON`);
  return Buffer.from(
    `${EVENT_HASH_VERSION}\n` +
      field(event.streamId) +
      field(event.revision.toString(10)) +
      field(event.id.toLowerCase()) +
      field(event.type) +
      field(data) +
      field(JSON.stringify(event.metadata ?? {})),
    'utf8',
  );
}

/** SHA-256 (lowercase hex) of the event's canonical bytes. */
export function eventHash(event: HashableEvent): string {
  return createHash('sha256').update(canonicalEventBytes(event)).digest('hex');
}

/** The metadata that chains a new event to `previous`, the last event of its stream (or none). */
export function chainMetadata(previous: HashableEvent | null): { prevHash: string | null } {
  return { prevHash: previous ? eventHash(previous) : null };
}

/** A stream's event known by its hash alone: enough to chain the next one to it. */
export interface ChainHead {
  revision: bigint;
  hash: string;
}

/**
 * The events of one append, chained: the first to `previous` (the stream's
 * last stored event, or its revision and hash; `null` for a new stream),
 * each next one to the one before it (at revision `previous.revision + 1 + i`).
 * Any `prevHash` the caller set is replaced.
 */
export function chainAppend(
  streamId: string,
  previous: HashableEvent | ChainHead | null,
  events: readonly NewEvent[],
): NewEvent[] {
  let prevHash: string | null =
    previous === null ? null : 'hash' in previous ? previous.hash : eventHash(previous);
  let revision = previous ? previous.revision + 1n : 0n;
  return events.map((event, i) => {
    const chained: NewEvent = { ...event, metadata: { ...event.metadata, prevHash } };
    if (i < events.length - 1) prevHash = eventHash({ ...chained, streamId, revision });
    revision += 1n;
    return chained;
  });
}

/** One stream's last event, as the ledger digest covers it. */
export interface StreamHead {
  streamId: string;
  revision: bigint;
  hash: string;
}

/**
 * LEDGER DIGEST (`ledger-digest-v1`): lowercase hex SHA-256 of
 *
 *     "ledger-digest-v1\n" "position:" <position in decimal, or "none"> "\n"
 *     then, for every stream in ascending order of its name's UTF-8 bytes:
 *     field(streamId) field(head revision) field(head event hash)
 *
 * with `field` as for the event hash. `position` is the `$all` position the
 * digest was taken at: the heads are those of the events at or before it.
 */
export function ledgerDigest(position: bigint | null, heads: Iterable<StreamHead>): string {
  const sorted = [...heads].sort((a, b) =>
    Buffer.compare(Buffer.from(a.streamId, 'utf8'), Buffer.from(b.streamId, 'utf8')),
  );
  const hash = createHash('sha256');
  hash.update(`${LEDGER_DIGEST_VERSION}\nposition:${position === null ? 'none' : position}\n`);
  for (const head of sorted) {
    hash.update(field(head.streamId) + field(head.revision.toString(10)) + field(head.hash));
  }
  return hash.digest('hex');
}
