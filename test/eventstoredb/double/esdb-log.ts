/**
 * The in-memory transaction log behind the EventStoreDB wire double: what a
 * node (or every node of a cluster double) serves. All of EventStoreDB's write
 * and visibility rules live here, so one node and three nodes behave alike:
 *
 *  - expected revision checks and idempotence by event id *at a place in one
 *    stream* (see {@link EsdbLog.append});
 *  - soft delete (`$tb` = long.MaxValue in the stream's metadata: the stream
 *    reads as not found, an append recreates it, continuing its revisions, and
 *    sets `$tb` to the first new revision) and tombstone (a `$streamDeleted`
 *    event at revision long.MaxValue: every later read, append or delete of
 *    the stream fails with stream-deleted);
 *  - `$maxCount`, `$truncateBefore` (`$tb`) and `$maxAge` of the stream's
 *    metadata (`$$<stream>`) applied when the stream is read or subscribed to;
 *    `$all` keeps every record (EventStoreDB removes them only when scavenging,
 *    which the double never does).
 */
import { randomUUID } from 'node:crypto';

/** An event as the double stores it. */
export interface DoubleEvent {
  streamId: string;
  revision: bigint;
  /** Commit and prepare position in `$all` (equal: no explicit transactions). */
  position: bigint;
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as the server reports `created`. */
  created: bigint;
}

export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

export type WriteOutcome =
  | { kind: 'success'; revision: bigint; position: bigint }
  | { kind: 'wrong_expected_version'; current: bigint | null; expected: ExpectedRevision }
  | { kind: 'stream_deleted' };

/** The stream metadata the double applies (others are stored and returned as written). */
export interface StreamMetadata {
  maxCount?: bigint;
  /** Seconds. */
  maxAge?: bigint;
  truncateBefore?: bigint;
}

/** long.MaxValue: the revision of a tombstone, and the `$tb` of a soft-deleted stream. */
export const DELETED_STREAM_REVISION = 9223372036854775807n;
const RECORD_OVERHEAD = 97n;
const FIRST_POSITION = 256n;
const TICKS_PER_MS = 10_000n;
const TICKS_PER_SECOND = 10_000_000n;

export class EsdbLog {
  /** Every record in `$all` order, system events and tombstones included. */
  readonly events: DoubleEvent[] = [];
  private readonly streams = new Map<string, DoubleEvent[]>();
  private readonly tombstones = new Set<string>();
  private next = FIRST_POSITION;
  private readonly listeners = new Set<() => void>();
  /** The log's clock (ms since the epoch): `created` stamps and `$maxAge` use it; a test may move it. */
  now: () => number = Date.now;

  constructor() {
    // A fresh EventStoreDB writes system events before any user event.
    this.appendSystemEvent('$users', '$UserCreated', { LoginName: 'admin' });
    this.appendSystemEvent('$settings', '$settings', { $userStreamAcl: {}, $systemStreamAcl: {} });
  }

  /** Calls `listener` after every write; returns the function that stops it. */
  onWritten(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The position a record written now would get (the end of `$all`). */
  get endPosition(): bigint {
    return this.next;
  }

  lastPosition(): bigint {
    return this.events[this.events.length - 1]?.position ?? 0n;
  }

  /** Index of the record at `position`, the log's length at its end, null when no record starts there. */
  indexOfPosition(position: bigint): number | null {
    if (position === this.next) return this.events.length;
    if (position === 0n) return 0;
    let lo = 0;
    let hi = this.events.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.events[mid]!.position;
      if (at === position) return mid;
      if (at < position) lo = mid + 1;
      else hi = mid - 1;
    }
    return null;
  }

  isTombstoned(streamId: string): boolean {
    return this.tombstones.has(streamId);
  }

  isSoftDeleted(streamId: string): boolean {
    return this.metadataOf(streamId).truncateBefore === DELETED_STREAM_REVISION;
  }

  /** The stream's metadata: the last `$metadata` event of `$$<stream>`. */
  metadataOf(streamId: string): StreamMetadata {
    const raw = this.rawMetadataOf(streamId);
    const out: StreamMetadata = {};
    const number = (value: unknown): bigint | undefined => {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
      // JSON numbers past 2^53 lose precision: long.MaxValue is the only one that matters.
      return value > Number.MAX_SAFE_INTEGER ? DELETED_STREAM_REVISION : BigInt(Math.trunc(value));
    };
    out.maxCount = number(raw.$maxCount);
    out.maxAge = number(raw.$maxAge);
    out.truncateBefore = number(raw.$tb);
    return out;
  }

  /**
   * The events a read of the stream returns, in revision order: none when the
   * stream does not exist or is soft-deleted (the caller answers not found),
   * else the stream less what `$tb`, `$maxCount` and `$maxAge` hide.
   */
  readable(streamId: string, now = this.now()): DoubleEvent[] | null {
    const stream = this.streams.get(streamId);
    if (!stream || stream.length === 0 || this.isSoftDeleted(streamId)) return null;
    const from = this.firstReadable(streamId, stream);
    const metadata = this.metadataOf(streamId);
    const oldest =
      metadata.maxAge === undefined
        ? null
        : BigInt(now) * TICKS_PER_MS - metadata.maxAge * TICKS_PER_SECOND;
    return stream.filter(
      (event) => event.revision >= from && (oldest === null || event.created >= oldest),
    );
  }

  /** Whether a read of its stream would return `event` now (stream subscriptions use this). */
  isReadable(event: DoubleEvent, now = this.now()): boolean {
    const stream = this.streams.get(event.streamId);
    if (!stream || this.isSoftDeleted(event.streamId)) return false;
    if (event.revision < this.firstReadable(event.streamId, stream)) return false;
    const { maxAge } = this.metadataOf(event.streamId);
    return (
      maxAge === undefined ||
      event.created >= BigInt(now) * TICKS_PER_MS - maxAge * TICKS_PER_SECOND
    );
  }

  /** Writes a system event (as the server does with `$statsCollected`, `$metadata`...). */
  appendSystemEvent(streamId: string, type: string, data: unknown): DoubleEvent {
    const outcome = this.append(streamId, 'any', [jsonEvent(type, JSON.stringify(data))]);
    if (outcome.kind !== 'success') throw new Error('unreachable');
    return this.events[this.events.length - 1]!;
  }

  /**
   * The server's commit check and write: atomic, with EventStoreDB's
   * idempotence. Appending to a soft-deleted stream recreates it (expected
   * `any`, `no_stream` or its last revision), continuing its revisions, and
   * sets its `$tb` to the first new revision. A tombstoned stream refuses
   * every append.
   */
  append(streamId: string, expected: ExpectedRevision, proposed: ProposedEvent[]): WriteOutcome {
    if (this.tombstones.has(streamId)) return { kind: 'stream_deleted' };
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length === 0 ? null : BigInt(stream.length - 1);

    const idempotent = this.idempotentAt(stream, expected, proposed);
    if (idempotent === 'corrupted') return { kind: 'wrong_expected_version', current, expected };
    if (idempotent)
      return { kind: 'success', revision: idempotent.revision, position: idempotent.position };

    const softDeleted = current !== null && this.isSoftDeleted(streamId);
    if (!matches(expected, current, softDeleted)) {
      return { kind: 'wrong_expected_version', current, expected };
    }
    if (proposed.length === 0) {
      return { kind: 'success', revision: current ?? -1n, position: this.lastPosition() };
    }
    if (softDeleted) this.writeMetadata(streamId, { $tb: current + 1n });

    const created = BigInt(this.now()) * TICKS_PER_MS;
    let revision = current === null ? 0n : current + 1n;
    for (const event of proposed) {
      const stored = this.record({ streamId, revision, ...event, created });
      stream.push(stored);
      revision += 1n;
    }
    this.streams.set(streamId, stream);
    this.written();
    const last = stream[stream.length - 1]!;
    return { kind: 'success', revision: last.revision, position: last.position };
  }

  /** Soft delete: `$tb` = long.MaxValue in the stream's metadata; its events stay in `$all`. */
  deleteStream(streamId: string, expected: ExpectedRevision): WriteOutcome {
    if (this.tombstones.has(streamId)) return { kind: 'stream_deleted' };
    const current = this.currentRevision(streamId);
    if (!matches(expected, current, false)) {
      return { kind: 'wrong_expected_version', current, expected };
    }
    const written = this.writeMetadata(streamId, { $tb: DELETED_STREAM_REVISION });
    this.written();
    return { kind: 'success', revision: current ?? -1n, position: written.position };
  }

  /** Hard delete: a `$streamDeleted` record at revision long.MaxValue; the stream is gone for good. */
  tombstone(streamId: string, expected: ExpectedRevision): WriteOutcome {
    if (this.tombstones.has(streamId)) return { kind: 'stream_deleted' };
    const current = this.currentRevision(streamId);
    if (!matches(expected, current, false)) {
      return { kind: 'wrong_expected_version', current, expected };
    }
    const stored = this.record({
      streamId,
      revision: DELETED_STREAM_REVISION,
      id: randomUUID(),
      type: '$streamDeleted',
      contentType: 'application/octet-stream',
      data: new Uint8Array(),
      customMetadata: new Uint8Array(),
      created: BigInt(this.now()) * TICKS_PER_MS,
    });
    this.tombstones.add(streamId);
    this.written();
    return { kind: 'success', revision: current ?? -1n, position: stored.position };
  }

  /** The stream's stored events (deleted or truncated ones included), for test assertions. */
  storedEvents(streamId: string): readonly DoubleEvent[] {
    return this.streams.get(streamId) ?? [];
  }

  private currentRevision(streamId: string): bigint | null {
    const stream = this.streams.get(streamId);
    return stream && stream.length > 0 ? BigInt(stream.length - 1) : null;
  }

  private firstReadable(streamId: string, stream: DoubleEvent[]): bigint {
    const { truncateBefore, maxCount } = this.metadataOf(streamId);
    let from = truncateBefore ?? 0n;
    if (maxCount !== undefined) {
      const kept = BigInt(stream.length) - maxCount;
      if (kept > from) from = kept;
    }
    return from;
  }

  private rawMetadataOf(streamId: string): Record<string, unknown> {
    const meta = this.streams.get(`$$${streamId}`);
    const last = meta?.[meta.length - 1];
    if (!last) return {};
    try {
      const parsed: unknown = JSON.parse(Buffer.from(last.data).toString('utf8'));
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {};
    } catch {
      return {};
    }
  }

  /** Writes the stream's metadata with `changes` over what it had (bigints written exactly). */
  private writeMetadata(streamId: string, changes: Record<string, bigint>): DoubleEvent {
    const kept = Object.entries(this.rawMetadataOf(streamId))
      .filter(([key]) => !(key in changes))
      .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
    const changed = Object.entries(changes).map(
      ([key, value]) => `${JSON.stringify(key)}:${value.toString()}`,
    );
    const metaStream = `$$${streamId}`;
    const stream = this.streams.get(metaStream) ?? [];
    const stored = this.record({
      streamId: metaStream,
      revision: BigInt(stream.length),
      ...jsonEvent('$metadata', `{${[...kept, ...changed].join(',')}}`),
      created: BigInt(this.now()) * TICKS_PER_MS,
    });
    stream.push(stored);
    this.streams.set(metaStream, stream);
    return stored;
  }

  private record(event: Omit<DoubleEvent, 'position'>): DoubleEvent {
    const stored: DoubleEvent = { ...event, position: this.next };
    this.next +=
      RECORD_OVERHEAD +
      BigInt(event.data.length + event.customMetadata.length + event.streamId.length);
    this.events.push(stored);
    return stored;
  }

  private written(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /**
   * EventStoreDB's idempotence: with an exact expected revision (or no_stream,
   * i.e. -1) behind the stream's end, the proposed ids must be exactly the
   * events that follow that revision; with any/stream_exists, the first id is
   * looked up in the stream and the rest must follow it. A partial match is
   * "corrupted idempotency", reported as a wrong expected version.
   */
  private idempotentAt(
    stream: DoubleEvent[],
    expected: ExpectedRevision,
    proposed: ProposedEvent[],
  ): DoubleEvent | 'corrupted' | null {
    if (proposed.length === 0) return null;
    let start: number;
    if (expected === 'any' || expected === 'stream_exists') {
      start = stream.findIndex((e) => e.id === proposed[0]!.id);
      if (start < 0) return null;
    } else {
      start = expected === 'no_stream' ? 0 : Number(expected) + 1;
      if (start >= stream.length) return null;
      if (stream[start]!.id !== proposed[0]!.id) return null;
    }
    for (let i = 0; i < proposed.length; i++) {
      if (stream[start + i]?.id !== proposed[i]!.id) return 'corrupted';
    }
    return stream[start + proposed.length - 1]!;
  }
}

/**
 * Whether a write expecting `expected` may go ahead. A soft-deleted stream
 * takes `no_stream` (it reads as not found) as well as `any` and its last
 * revision, and refuses `stream_exists`.
 */
function matches(
  expected: ExpectedRevision,
  current: bigint | null,
  softDeleted: boolean,
): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === null || softDeleted;
  if (expected === 'stream_exists') return current !== null && !softDeleted;
  return expected === current;
}

function jsonEvent(type: string, json: string): ProposedEvent {
  return {
    id: randomUUID(),
    type,
    contentType: 'application/json',
    data: Buffer.from(json, 'utf8'),
    customMetadata: new Uint8Array(),
  };
}
