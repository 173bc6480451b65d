import type { EventStore, RecordedEvent } from '../event-store.port.js';
import { eventHash, ledgerDigest, PREV_HASH, type StreamHead } from './event-hash.js';

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
 *   - `truncated`: the ledger ends before an exported digest's position.
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
  | 'truncated';

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

export interface LedgerVerification {
  ok: boolean;
  checkedEvents: number;
  /** The last position checked: `digest` is the ledger digest at this position (`null`: empty ledger). */
  position: bigint | null;
  digest: string;
  /** The earliest break by position; `null` when `ok`. */
  firstBroken: ChainBreak | null;
}

export interface VerifyOptions {
  /** Also check the ledger still gives this earlier digest at its position. */
  expectedDigest?: LedgerDigest;
}

export interface LedgerVerifierOptions {
  /** Events read from `$all` at a time. */
  pageSize?: number;
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

  constructor(
    private readonly store: EventStore,
    options: LedgerVerifierOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 1_000;
  }

  async verify(options: VerifyOptions = {}): Promise<LedgerVerification> {
    const verification = new Verification(options.expectedDigest);
    for await (const item of readEverything(this.store, this.pageSize)) {
      if ('event' in item) verification.event(item.event);
      else verification.unreadableAt(item.position, item.message);
    }
    return verification.finish();
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
  private checkedEvents = 0;
  private lastPosition: bigint | null = null;

  constructor(private readonly expected: LedgerDigest | undefined) {}

  /** The next readable event of `$all`. */
  event(event: RecordedEvent): void {
    this.checkedEvents += 1;
    const { streamId, revision, position } = event;
    this.checkPositionOrder(event);
    this.passPosition(position);
    const hash = eventHash(event);
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
  }

  /** Settles what only the end of the ledger decides, and answers. */
  finish(): LedgerVerification {
    for (const [streamId, head] of this.heads) this.settle(streamId, head, null);
    this.checkExpectedAtEnd();
    return {
      ok: this.firstBroken === null,
      checkedEvents: this.checkedEvents,
      position: this.lastPosition,
      digest: ledgerDigest(this.lastPosition, this.headList()),
      firstBroken: this.firstBroken,
    };
  }

  private broken(found: ChainBreak): void {
    if (!this.firstBroken || found.position < this.firstBroken.position) this.firstBroken = found;
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
async function* readEverything(store: EventStore, pageSize: number): AsyncGenerator<ReadItem> {
  let from: bigint | 'start' = 'start';
  for (;;) {
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
  const { pageSize, ...verify } = options;
  return new LedgerVerifier(store, pageSize === undefined ? {} : { pageSize }).verify(verify);
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
  };
}
