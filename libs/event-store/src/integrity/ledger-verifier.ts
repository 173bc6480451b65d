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
    const expected = options.expectedDigest;
    const heads = new Map<string, Head>();
    const gaps: PendingGap[] = [];
    const unreadable: ChainBreak[] = [];
    let firstBroken: ChainBreak | null = null;
    const broken = (found: ChainBreak) => {
      if (!firstBroken || found.position < firstBroken.position) firstBroken = found;
    };
    const headList = () =>
      [...heads].map(([streamId, head]): StreamHead => ({
        streamId,
        revision: head.revision,
        hash: head.hash,
      }));
    let expectedChecked = false;
    const checkExpected = () => {
      if (!expected || expectedChecked) return;
      expectedChecked = true;
      const digest = ledgerDigest(expected.position, headList());
      if (digest !== expected.digest.toLowerCase()) {
        broken({
          stream: null,
          revision: null,
          position: expected.position,
          reason: 'digest_mismatch',
          detail: `the ledger as of position ${expected.position} gives digest ${digest}, not ${expected.digest}`,
        });
      }
    };

    /** Settles a pending broken link now that `successorBroken` is known (`null`: no successor). */
    const settle = (streamId: string, head: Head, successorBroken: boolean | null) => {
      if (!head.brokenLink) return;
      const { predecessor } = head.brokenLink;
      if (successorBroken === true || !predecessor) {
        broken({
          stream: streamId,
          revision: head.revision,
          position: head.position,
          reason: 'prev_hash_mismatch',
          detail: predecessor
            ? `prevHash is not the hash of revision ${predecessor.revision}, and this event's own hash no longer matches its successor's prevHash`
            : 'prevHash of a first event must be null',
        });
      } else {
        broken({
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
    };

    let checkedEvents = 0;
    let lastPosition: bigint | null = null;

    const check = (event: RecordedEvent) => {
      checkedEvents += 1;
      const { streamId, revision, position } = event;
      if (lastPosition !== null && position <= lastPosition) {
        broken({
          stream: streamId,
          revision,
          position,
          reason: 'position_out_of_order',
          detail: `position ${position} follows position ${lastPosition}`,
        });
      }
      if (expected && position > expected.position) checkExpected();
      lastPosition = lastPosition === null || position > lastPosition ? position : lastPosition;

      const hash = eventHash(event);
      const head = heads.get(streamId);
      const next = head ? head.revision + 1n : 0n;
      // Did this event's revision turn up after being reported missing?
      for (const gap of gaps) {
        if (gap.streamId === streamId && revision >= gap.from && revision <= gap.to) {
          gap.break.reason = 'revision_out_of_order';
          gap.break.detail = `revision ${revision} comes after this event in $all (position ${position})`;
        }
      }
      if (revision < next) {
        broken({
          stream: streamId,
          revision,
          position,
          reason: 'revision_out_of_order',
          detail: `revision ${revision} comes after revision ${head!.revision} (position ${head!.position})`,
        });
        return; // the stream's head stays where it was
      }
      if (revision > next) {
        const gapBreak: ChainBreak = {
          stream: streamId,
          revision,
          position,
          reason: 'revision_gap',
          detail: `revision ${next === revision - 1n ? next : `${next} to ${revision - 1n}`} missing before this event`,
        };
        broken(gapBreak);
        gaps.push({
          streamId,
          from: next,
          to: revision - 1n,
          afterPosition: head?.position ?? null,
          beforePosition: position,
          break: gapBreak,
        });
        attributeUnreadable(streamId, next, head?.position ?? null, position);
        if (head) settle(streamId, head, null);
        heads.set(streamId, { revision, position, hash, brokenLink: null });
        return;
      }

      const metadata = event.metadata as Record<string, unknown>;
      if (!Object.hasOwn(metadata, PREV_HASH)) {
        broken({
          stream: streamId,
          revision,
          position,
          reason: 'missing_chain',
          detail: 'the event carries no prevHash',
        });
        if (head) settle(streamId, head, null);
        heads.set(streamId, { revision, position, hash, brokenLink: null });
        return;
      }
      const linkBroken = metadata[PREV_HASH] !== (head ? head.hash : null);
      if (head) settle(streamId, head, linkBroken);
      heads.set(streamId, {
        revision,
        position,
        hash,
        brokenLink: linkBroken
          ? { predecessor: head ? { revision: head.revision, position: head.position } : null }
          : null,
      });
    };

    /** An unreadable event lying where a stream misses revisions is taken to be the first of them. */
    const attributeUnreadable = (
      streamId: string,
      from: bigint,
      after: bigint | null,
      before: bigint,
    ) => {
      let revision = from;
      for (const found of unreadable) {
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
    };

    for await (const item of readEverything(this.store, this.pageSize)) {
      if ('event' in item) {
        check(item.event);
        continue;
      }
      checkedEvents += 1;
      const found: ChainBreak = {
        stream: null,
        revision: null,
        position: item.position,
        reason: 'unreadable',
        detail: `the stored event cannot be read: ${item.message}`,
      };
      unreadable.push(found);
      broken(found);
      if (expected && item.position > expected.position) checkExpected();
      if (lastPosition === null || item.position > lastPosition) lastPosition = item.position;
    }
    for (const [streamId, head] of heads) settle(streamId, head, null);

    if (expected && !expectedChecked) {
      if (lastPosition === null || lastPosition < expected.position) {
        broken({
          stream: null,
          revision: null,
          position: expected.position,
          reason: 'truncated',
          detail: `the ledger ends at position ${lastPosition ?? 'none'}, before the digest's position ${expected.position}`,
        });
      } else {
        checkExpected();
      }
    }

    return {
      ok: firstBroken === null,
      checkedEvents,
      position: lastPosition,
      digest: ledgerDigest(lastPosition, headList()),
      firstBroken,
    };
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
