import type { EventStore, RecordedEvent } from '../event-store.port.js';
import { eventHash, ledgerDigest, PREV_HASH, type StreamHead } from './event-hash.js';
import { GENESIS_SEAL, sealLink, signatureValid, type SignedHead } from './ledger-seal.js';
import type { KeyObject } from 'node:crypto';
import type { SealRecord, SealRecords } from './seal-store.js';

/**
 * Why verification failed, said of the event it names:
 *   - `hash_mismatch`: the event's content (data, type, metadata, id) no
 *     longer hashes to the `prevHash` its successor in the stream recorded;
 *   - `prev_hash_mismatch`: the event's own `prevHash` is not the hash of its
 *     predecessor (its `prevHash` was altered);
 *   - `missing_chain`: the event has no `prevHash` at all;
 *   - `revision_gap`: revisions before this event are missing from its stream
 *     (deleted);
 *   - `revision_out_of_order`: the event's revision does not follow its
 *     stream's previous one in `$all` order (events were moved);
 *   - `position_out_of_order`: `$all` positions do not strictly increase;
 *   - `unreadable`: the stored event cannot be read at all (not JSON);
 *   - `digest_mismatch`: the ledger as of an exported digest's position no
 *     longer gives that digest (an event was altered or removed, or the
 *     digest is not genuine); located to the digest's position only;
 *   - `truncated`: the ledger ends before an exported digest's position;
 *
 * and, from the whole-ledger seal (`ledger-seal-v1`, see ledger-seal.ts):
 *   - `seal_mismatch`: the event at this position is not the one sealed here
 *     (its content, stream, revision or id changed, or events were moved);
 *   - `recorded_at_changed`: the event is the one sealed here, but its
 *     `recordedAt` is not the one sealed;
 *   - `sealed_event_missing`: an event was sealed at this position and the
 *     log no longer has one there (deleted, moved away, truncated);
 *   - `unsealed_event`: an event inside the sealed range at a position the
 *     sealer never saw (inserted);
 *   - `signature_invalid`: the signed digest checked against is not signed
 *     by the key given (forged, altered, or another ledger's);
 *   - `backdated`: an event after a signed digest's position was recorded
 *     before the digest's last event: appended later, made to look older.
 */
export type ChainBreakReason =
  | 'hash_mismatch'
  | 'prev_hash_mismatch'
  | 'missing_chain'
  | 'revision_gap'
  | 'revision_out_of_order'
  | 'position_out_of_order'
  | 'unreadable'
  | 'digest_mismatch'
  | 'truncated'
  | 'seal_mismatch'
  | 'recorded_at_changed'
  | 'sealed_event_missing'
  | 'unsealed_event'
  | 'signature_invalid'
  | 'backdated';

/** Reasons found by comparing with the seal records: a chain reason at the same position says more. */
const SEAL_RECORD_REASONS: ReadonlySet<ChainBreakReason> = new Set([
  'seal_mismatch',
  'recorded_at_changed',
  'sealed_event_missing',
  'unsealed_event',
]);

export interface ChainBreak {
  /** The stream of the event named; `null` where no single stream can be named. */
  stream: string | null;
  revision: bigint | null;
  position: bigint;
  reason: ChainBreakReason;
  /** What was found, for a human. */
  detail: string;
}

/** A digest exported earlier: the ledger digest at `position`. */
export interface LedgerDigest {
  position: bigint;
  digest: string;
}

/** The whole-ledger seal chain as recomputed from the log, beside what the sealer recorded. */
export interface SealVerification {
  /** The seal chain recomputed over every event checked (`ledger-seal-v1`). */
  hash: string;
  /** Events the seal chain was recomputed over. */
  count: number;
  /** Last position the sealer recorded and the log matched, or `null`. */
  sealedThrough: bigint | null;
  /** Events after the last sealed one: not yet sealed (or no seal records were given). */
  unsealedEvents: number;
}

export interface LedgerVerification {
  ok: boolean;
  checkedEvents: number;
  /** The last position checked: `digest` is the ledger digest at this position (`null`: empty ledger). */
  position: bigint | null;
  digest: string;
  /** The earliest break by position; `null` when `ok`. */
  firstBroken: ChainBreak | null;
  seal: SealVerification;
}

export interface VerifyOptions {
  /** Also check the ledger still gives this earlier digest at its position. */
  expectedDigest?: LedgerDigest;
  /**
   * Also check the log against this signed head of the seal chain: its
   * signature under `publicKey`, the log up to its position recomputing to
   * its hash and count, and nothing after it recorded before it.
   */
  signedHead?: SignedHead;
  /** The key `signedHead` must be signed with. */
  publicKey?: KeyObject;
}

export interface LedgerVerifierOptions {
  /** Events read from `$all` at a time. */
  pageSize?: number;
  /** What the sealer recorded, to locate any difference from the seal. */
  sealRecords?: SealRecords;
}

interface Head {
  revision: bigint;
  position: bigint;
  hash: string;
  /**
   * This event's `prevHash` did not match its predecessor's hash. Which of the
   * two was altered is decided by its successor: if the successor's link
   * breaks too, this event itself changed (its `prevHash`); if not, the
   * predecessor's content changed.
   */
  brokenLink: { predecessor: { revision: bigint; position: bigint } | null } | null;
}

interface PendingGap {
  streamId: string;
  from: bigint;
  to: bigint;
  afterPosition: bigint | null;
  beforePosition: bigint;
  break: ChainBreak;
}

/**
 * Recomputes the hash chain of every stream and the ledger digest from `$all`.
 * Give it the store as stored (the adapter, or the hash-chaining wrapper
 * around it): never a store that rewrites events on the way out (upcasting,
 * decryption), or the hashes cannot match.
 *
 * Locations are exact for one altered or removed event with a successor in
 * its stream. A stream's last event has no successor: changes to it, or its
 * removal, show only against an exported digest, located to the digest's
 * position. Several alterations are located under the fewest-edits
 * explanation, which may name a neighbour of the first altered event.
 */
export class LedgerVerifier {
  private readonly pageSize: number;
  private readonly sealRecords: SealRecords | undefined;
  /** The state of the last verification that found nothing wrong: the next one can resume it. */
  private resumable: Verification | null = null;

  constructor(
    private readonly store: EventStore,
    options: LedgerVerifierOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 1_000;
    this.sealRecords = options.sealRecords;
  }

  /** One verification at a time: an incremental one resumes shared state. */
  private queue: Promise<unknown> = Promise.resolve();

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Reads the whole log from its start. */
  verify(options: VerifyOptions = {}): Promise<LedgerVerification> {
    return this.serially(() => this.verifyAll(options));
  }

  private async verifyAll(options: VerifyOptions): Promise<LedgerVerification> {
    const signed = options.signedHead;
    let signatureBroken: ChainBreak | null = null;
    if (signed && !(options.publicKey && signatureValid(signed, options.publicKey))) {
      signatureBroken = {
        stream: null,
        revision: null,
        position: signed.position ?? 0n,
        reason: 'signature_invalid',
        detail: options.publicKey
          ? `the digest is not signed by the key given (key id ${signed.keyId.slice(0, 16)}…): forged, altered, or signed by another key`
          : 'no public key to check the signature with',
      };
    }
    const verification = new Verification({
      expected: options.expectedDigest,
      signed: signatureBroken ? undefined : signed,
      records: this.sealRecords,
    });
    if (signatureBroken) verification.broken(signatureBroken);
    await this.read(verification, 'start');
    const result = verification.finish(await this.store.headPosition());
    // A verification against a digest leaves the resumable state of plain ones alone.
    if (!options.expectedDigest && !signed) this.resumable = result.ok ? verification : null;
    return result;
  }

  /**
   * Reads only what was appended since the last verification of this
   * verifier that found the log intact (the whole log the first time, or
   * after a break): O(new events). Events checked before are not read
   * again, so a change made to them since is found by `verify()` (and by
   * any signed digest), not here.
   */
  verifyIncrementally(): Promise<LedgerVerification & { readEvents: number }> {
    return this.serially(() => this.resume());
  }

  private async resume(): Promise<LedgerVerification & { readEvents: number }> {
    const previous = this.resumable;
    if (!previous) {
      const result = await this.verifyAll({});
      return { ...result, readEvents: result.checkedEvents };
    }
    const before = previous.checked;
    const from = previous.lastPosition === null ? 'start' : previous.lastPosition + 1n;
    await this.read(previous, from);
    const result = previous.finish(await this.store.headPosition());
    if (!result.ok) this.resumable = null;
    return { ...result, readEvents: result.checkedEvents - before };
  }

  private async read(verification: Verification, from: bigint | 'start'): Promise<void> {
    for await (const item of readEverything(this.store, this.pageSize, from)) {
      if ('event' in item) verification.event(item.event);
      else verification.unreadableAt(item.position, item.message);
    }
  }
}

/** Seal records read ahead in position order. */
class RecordCursor {
  private buffer: SealRecord[] = [];
  private index = 0;
  private lastFetched: bigint | null = null;

  constructor(
    private readonly source: SealRecords,
    private readonly pageSize: number,
  ) {}

  /** The next record not yet taken, fetching more if needed. */
  peek(): SealRecord | undefined {
    if (this.index >= this.buffer.length) {
      this.buffer = this.source.recordsAfter(this.lastFetched, this.pageSize);
      this.index = 0;
      if (this.buffer.length > 0) this.lastFetched = this.buffer[this.buffer.length - 1]!.position;
    }
    return this.buffer[this.index];
  }

  take(): void {
    this.index += 1;
  }
}

/**
 * One pass over `$all`: the state a verification builds as it reads (each
 * stream's head, gaps and unreadable events still to be placed, the earliest
 * break) and the named checks that read and update it.
 */
class Verification {
  private readonly heads = new Map<string, Head>();
  /** Revisions reported missing: one that turns up later was moved, not deleted. */
  private readonly gaps: PendingGap[] = [];
  /** Unreadable events, placed in a stream if a gap turns up where they lie. */
  private readonly unreadable: ChainBreak[] = [];
  private firstBroken: ChainBreak | null = null;
  private expectedChecked = false;
  private signedChecked = false;
  private checkedEvents = 0;
  lastPosition: bigint | null = null;
  private readonly expected: LedgerDigest | undefined;
  private readonly signed: SignedHead | undefined;
  private readonly records: RecordCursor | null;
  /** The seal chain recomputed so far, and over how many events. */
  private sealHash = GENESIS_SEAL;
  private sealCount = 0;
  private sealedThrough: bigint | null = null;
  private unsealedEvents = 0;

  constructor(options: {
    expected?: LedgerDigest | undefined;
    signed?: SignedHead | undefined;
    records?: SealRecords | undefined;
  }) {
    this.expected = options.expected;
    this.signed = options.signed;
    this.records = options.records ? new RecordCursor(options.records, 1_000) : null;
  }

  get checked(): number {
    return this.checkedEvents;
  }

  /** The next readable event of `$all`. */
  event(event: RecordedEvent): void {
    this.checkedEvents += 1;
    const { streamId, revision, position } = event;
    this.checkPositionOrder(event);
    this.passPosition(position);
    const hash = eventHash(event);
    this.checkBackdated(event);
    this.sealHash = sealLink(this.sealHash, event, hash);
    this.sealCount += 1;
    this.checkSealRecord(event, hash);
    const head = this.heads.get(streamId);
    const next = head ? head.revision + 1n : 0n;
    this.checkMovedIntoGap(event);
    if (revision < next) this.revisionOutOfOrder(event, head!);
    else if (revision > next) this.revisionGap(event, head, next, hash);
    else this.checkLink(event, head, hash);
  }

  /** The next position of `$all` holds an event that cannot be read. */
  unreadableAt(position: bigint, message: string): void {
    this.checkedEvents += 1;
    const found: ChainBreak = {
      stream: null,
      revision: null,
      position,
      reason: 'unreadable',
      detail: `the stored event cannot be read: ${message}`,
    };
    this.unreadable.push(found);
    this.broken(found);
    this.passPosition(position);
    // The seal chain cannot be recomputed over it; its record is passed over.
    this.recordsBefore(position);
    if (this.records?.peek()?.position === position) {
      this.records.take();
      this.sealedThrough = position;
    }
  }

  /**
   * Settles what only the end of the ledger decides, and answers. `head`:
   * the store's head position after reading, so that records of events
   * appended meanwhile are not taken for missing ones.
   */
  finish(head: bigint | null): LedgerVerification {
    for (const [streamId, streamHead] of this.heads) this.settle(streamId, streamHead, null);
    this.checkExpectedAtEnd();
    this.checkSignedAtEnd();
    this.checkTrailingRecords(head);
    return {
      ok: this.firstBroken === null,
      checkedEvents: this.checkedEvents,
      position: this.lastPosition,
      digest: ledgerDigest(this.lastPosition, this.headList()),
      firstBroken: this.firstBroken,
      seal: {
        hash: this.sealHash,
        count: this.sealCount,
        sealedThrough: this.sealedThrough,
        unsealedEvents: this.unsealedEvents,
      },
    };
  }

  /** Keeps the earliest break; at one position, a chain reason says more than a seal record's. */
  broken(found: ChainBreak): void {
    const current = this.firstBroken;
    if (
      !current ||
      found.position < current.position ||
      (found.position === current.position &&
        SEAL_RECORD_REASONS.has(current.reason) &&
        !SEAL_RECORD_REASONS.has(found.reason))
    ) {
      this.firstBroken = found;
    }
  }

  /** Records of positions before `position` with no event there: sealed events now missing. */
  private recordsBefore(position: bigint): void {
    if (!this.records) return;
    for (let record = this.records.peek(); record && record.position < position;) {
      this.broken({
        stream: null,
        revision: null,
        position: record.position,
        reason: 'sealed_event_missing',
        detail: `an event was sealed at position ${record.position} (the ${ordinal(record.count)} of the log); there is none there now`,
      });
      this.records.take();
      record = this.records.peek();
    }
  }

  /** Is this the event sealed at its position, with the `recordedAt` sealed? */
  private checkSealRecord(event: RecordedEvent, hash: string): void {
    if (!this.records) {
      this.unsealedEvents += 1;
      return;
    }
    const { streamId, revision, position } = event;
    this.recordsBefore(position);
    const record = this.records.peek();
    if (!record) {
      this.unsealedEvents += 1;
      return;
    }
    const at = { stream: streamId, revision, position };
    if (record.position > position) {
      this.broken({
        ...at,
        reason: 'unsealed_event',
        detail: `position ${position} lies inside the sealed log (sealed up to ${record.position} at least) but no event was sealed there`,
      });
      return;
    }
    this.records.take();
    this.sealedThrough = position;
    if (record.eventHash !== hash) {
      this.broken({
        ...at,
        reason: 'seal_mismatch',
        detail: `the event at position ${position} is not the one sealed there (its stream, revision, id, type, data or metadata differ)`,
      });
    } else if (record.recordedAt !== event.recordedAt.getTime()) {
      this.broken({
        ...at,
        reason: 'recorded_at_changed',
        detail: `recordedAt is ${event.recordedAt.toISOString()}; it was sealed as ${new Date(record.recordedAt).toISOString()}`,
      });
    }
  }

  /** Records after the last event, beyond the store's head: sealed events the log lost at its end. */
  private checkTrailingRecords(head: bigint | null): void {
    const record = this.records?.peek();
    if (!record || (head !== null && record.position <= head)) return;
    this.broken({
      stream: null,
      revision: null,
      position: record.position,
      reason: 'sealed_event_missing',
      detail: `the log ends at position ${head ?? 'none'}, but events were sealed up to position ${record.position} or beyond (truncated)`,
    });
  }

  /** An event after the signed head recorded before the head's last event. */
  private checkBackdated(event: RecordedEvent): void {
    const signed = this.signed;
    if (!signed?.recordedAt || signed.position === null || event.position <= signed.position)
      return;
    if (event.recordedAt.getTime() < signed.recordedAt.getTime()) {
      this.broken({
        stream: event.streamId,
        revision: event.revision,
        position: event.position,
        reason: 'backdated',
        detail: `recorded at ${event.recordedAt.toISOString()}, before the signed digest's last event (${signed.recordedAt.toISOString()}), yet after it in the log`,
      });
    }
  }

  /** The log up to the signed head's position must recompute to its hash and count. */
  private checkSigned(): void {
    const signed = this.signed;
    if (!signed || this.signedChecked) return;
    this.signedChecked = true;
    if (this.sealHash !== signed.hash || this.sealCount !== signed.count) {
      this.broken({
        stream: null,
        revision: null,
        position: signed.position ?? 0n,
        reason: 'digest_mismatch',
        detail: `the log up to position ${signed.position ?? 'none'} seals to ${this.sealHash} over ${this.sealCount} events; the signed digest says ${signed.hash} over ${signed.count}`,
      });
    }
  }

  private checkSignedAtEnd(): void {
    const signed = this.signed;
    if (!signed || this.signedChecked) return;
    if (
      signed.position !== null &&
      (this.lastPosition === null || this.lastPosition < signed.position)
    ) {
      this.signedChecked = true;
      this.broken({
        stream: null,
        revision: null,
        position: signed.position,
        reason: 'truncated',
        detail: `the ledger ends at position ${this.lastPosition ?? 'none'}, before the signed digest's position ${signed.position}`,
      });
    } else {
      this.checkSigned();
    }
  }

  private headList(): StreamHead[] {
    return [...this.heads].map(([streamId, head]) => ({
      streamId,
      revision: head.revision,
      hash: head.hash,
    }));
  }

  private checkPositionOrder({ streamId, revision, position }: RecordedEvent): void {
    if (this.lastPosition !== null && position <= this.lastPosition) {
      this.broken({
        stream: streamId,
        revision,
        position,
        reason: 'position_out_of_order',
        detail: `position ${position} follows position ${this.lastPosition}`,
      });
    }
  }

  /** Reading past the exported digest's position: the heads now are the ledger as of it. */
  private passPosition(position: bigint): void {
    if (this.expected && position > this.expected.position) this.checkExpected();
    if (this.signed && (this.signed.position === null || position > this.signed.position))
      this.checkSigned();
    if (this.lastPosition === null || position > this.lastPosition) this.lastPosition = position;
  }

  private checkExpected(): void {
    const expected = this.expected;
    if (!expected || this.expectedChecked) return;
    this.expectedChecked = true;
    const digest = ledgerDigest(expected.position, this.headList());
    if (digest !== expected.digest.toLowerCase()) {
      this.broken({
        stream: null,
        revision: null,
        position: expected.position,
        reason: 'digest_mismatch',
        detail: `the ledger as of position ${expected.position} gives digest ${digest}, not ${expected.digest}`,
      });
    }
  }

  /** The ledger ended before the exported digest's position was passed. */
  private checkExpectedAtEnd(): void {
    const expected = this.expected;
    if (!expected || this.expectedChecked) return;
    if (this.lastPosition === null || this.lastPosition < expected.position) {
      this.broken({
        stream: null,
        revision: null,
        position: expected.position,
        reason: 'truncated',
        detail: `the ledger ends at position ${this.lastPosition ?? 'none'}, before the digest's position ${expected.position}`,
      });
    } else {
      this.checkExpected();
    }
  }

  /** Did this event's revision turn up after being reported missing? */
  private checkMovedIntoGap({ streamId, revision, position }: RecordedEvent): void {
    for (const gap of this.gaps) {
      if (gap.streamId === streamId && revision >= gap.from && revision <= gap.to) {
        gap.break.reason = 'revision_out_of_order';
        gap.break.detail = `revision ${revision} comes after this event in $all (position ${position})`;
      }
    }
  }

  /** A revision its stream has passed already: the stream's head stays where it was. */
  private revisionOutOfOrder({ streamId, revision, position }: RecordedEvent, head: Head): void {
    this.broken({
      stream: streamId,
      revision,
      position,
      reason: 'revision_out_of_order',
      detail: `revision ${revision} comes after revision ${head.revision} (position ${head.position})`,
    });
  }

  private revisionGap(
    { streamId, revision, position }: RecordedEvent,
    head: Head | undefined,
    next: bigint,
    hash: string,
  ): void {
    const gapBreak: ChainBreak = {
      stream: streamId,
      revision,
      position,
      reason: 'revision_gap',
      detail: `revision ${next === revision - 1n ? next : `${next} to ${revision - 1n}`} missing before this event`,
    };
    this.broken(gapBreak);
    this.gaps.push({
      streamId,
      from: next,
      to: revision - 1n,
      afterPosition: head?.position ?? null,
      beforePosition: position,
      break: gapBreak,
    });
    this.attributeUnreadable(streamId, next, head?.position ?? null, position);
    if (head) this.settle(streamId, head, null);
    this.heads.set(streamId, { revision, position, hash, brokenLink: null });
  }

  /** The next revision of its stream: its `prevHash` must be its predecessor's hash. */
  private checkLink(event: RecordedEvent, head: Head | undefined, hash: string): void {
    const { streamId, revision, position } = event;
    const metadata = event.metadata as Record<string, unknown>;
    if (!Object.hasOwn(metadata, PREV_HASH)) {
      this.broken({
        stream: streamId,
        revision,
        position,
        reason: 'missing_chain',
        detail: 'the event carries no prevHash',
      });
      if (head) this.settle(streamId, head, null);
      this.heads.set(streamId, { revision, position, hash, brokenLink: null });
      return;
    }
    const linkBroken = metadata[PREV_HASH] !== (head ? head.hash : null);
    if (head) this.settle(streamId, head, linkBroken);
    this.heads.set(streamId, {
      revision,
      position,
      hash,
      brokenLink: linkBroken
        ? { predecessor: head ? { revision: head.revision, position: head.position } : null }
        : null,
    });
  }

  /** Settles a pending broken link now that `successorBroken` is known (`null`: no successor). */
  private settle(streamId: string, head: Head, successorBroken: boolean | null): void {
    if (!head.brokenLink) return;
    const { predecessor } = head.brokenLink;
    if (successorBroken === true || !predecessor) {
      this.broken({
        stream: streamId,
        revision: head.revision,
        position: head.position,
        reason: 'prev_hash_mismatch',
        detail: predecessor
          ? `prevHash is not the hash of revision ${predecessor.revision}, and this event's own hash no longer matches its successor's prevHash`
          : 'prevHash of a first event must be null',
      });
    } else {
      this.broken({
        stream: streamId,
        revision: predecessor.revision,
        position: predecessor.position,
        reason: 'hash_mismatch',
        detail: `the event no longer hashes to the prevHash recorded by revision ${head.revision} (position ${head.position})${
          successorBroken === null
            ? `; or revision ${head.revision}, the stream's last event, had its prevHash altered`
            : ''
        }`,
      });
    }
    head.brokenLink = null;
  }

  /** An unreadable event lying where a stream misses revisions is taken to be the first of them. */
  private attributeUnreadable(
    streamId: string,
    from: bigint,
    after: bigint | null,
    before: bigint,
  ): void {
    let revision = from;
    for (const found of this.unreadable) {
      if (
        found.stream === null &&
        (after === null || found.position > after) &&
        found.position < before
      ) {
        found.stream = streamId;
        found.revision = revision;
        found.detail += `; it lies where ${streamId} misses revision ${revision}`;
        revision += 1n;
      }
    }
  }
}

type ReadItem = { event: RecordedEvent } | { position: bigint; message: string };

/** Most positions examined one by one after a page failed to read, before giving up. */
const MAX_PROBE = 100_000;

/**
 * Every event of `$all` in order. When a page fails to read (an event that is
 * no longer JSON), the positions from there on are examined one at a time,
 * reading backwards one event: an event at exactly that position reads, an
 * empty position reads an earlier event (or none), and an unreadable event
 * fails, which places it exactly. Paging resumes after it.
 */
async function* readEverything(
  store: EventStore,
  pageSize: number,
  start: bigint | 'start' = 'start',
): AsyncGenerator<ReadItem> {
  let from: bigint | 'start' = start;
  for (let pages = 0; ; pages++) {
    // Other work (requests) runs between pages: a long verification never holds the event loop.
    if (pages > 0) await new Promise((resolve) => setImmediate(resolve));
    let page: RecordedEvent[];
    try {
      page = await store.readAll({ fromPosition: from, maxCount: pageSize });
    } catch (pageError) {
      const head = await store.headPosition();
      let position: bigint = from === 'start' ? 0n : from;
      for (let probes = 0; ; probes++, position++) {
        if (head === null || position > head || probes > MAX_PROBE) throw pageError;
        let at: RecordedEvent | undefined;
        try {
          const read = await store.readAll({
            direction: 'backwards',
            fromPosition: position,
            maxCount: 1,
          });
          at = read[0];
        } catch (error) {
          yield { position, message: error instanceof Error ? error.message : String(error) };
          break;
        }
        if (at?.position === position) yield { event: at };
      }
      from = position + 1n;
      continue;
    }
    if (page.length === 0) return;
    for (const event of page) yield { event };
    if (page.length < pageSize) return;
    from = page[page.length - 1]!.position + 1n;
  }
}

/** Verifies the ledger in `store` (as stored: see `LedgerVerifier`). For the CLI and the API. */
export function verifyLedger(
  store: EventStore,
  options: VerifyOptions & LedgerVerifierOptions = {},
): Promise<LedgerVerification> {
  const { pageSize, sealRecords, ...verify } = options;
  return new LedgerVerifier(store, {
    ...(pageSize === undefined ? {} : { pageSize }),
    ...(sealRecords ? { sealRecords } : {}),
  }).verify(verify);
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** JSON-safe shape of a verification: positions and revisions as numbers. */
export interface LedgerVerificationJson {
  ok: boolean;
  checkedEvents: number;
  position: number | null;
  digest: string;
  firstBroken: {
    stream: string | null;
    revision: number | null;
    position: number;
    reason: ChainBreakReason;
    detail: string;
  } | null;
  seal: {
    hash: string;
    count: number;
    sealedThrough: number | null;
    unsealedEvents: number;
  };
}

export function verificationToJson(result: LedgerVerification): LedgerVerificationJson {
  const broken = result.firstBroken;
  return {
    ok: result.ok,
    checkedEvents: result.checkedEvents,
    position: result.position === null ? null : Number(result.position),
    digest: result.digest,
    firstBroken: broken && {
      stream: broken.stream,
      revision: broken.revision === null ? null : Number(broken.revision),
      position: Number(broken.position),
      reason: broken.reason,
      detail: broken.detail,
    },
    seal: {
      hash: result.seal.hash,
      count: result.seal.count,
      sealedThrough: result.seal.sealedThrough === null ? null : Number(result.seal.sealedThrough),
      unsealedEvents: result.seal.unsealedEvents,
    },
  };
}
