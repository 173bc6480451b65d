import type { EventStore } from '../event-store.port.js';
import { eventHash } from './event-hash.js';
import { GENESIS_SEAL, sealLink, type SealSigner, type SignedHead } from './ledger-seal.js';
import type { SealRecord, SealStore } from './seal-store.js';

export interface LedgerSealerOptions {
  /** Events read from `$all` at a time. */
  pageSize?: number;
  /** The clock a head is signed at (tests). */
  now?: () => Date;
}

/**
 * Extends the whole-ledger seal chain over every event committed since it
 * last ran, recording each event in the seal store, and signs the new head.
 *
 * It reads `$all` as stored (`RAW_EVENT_STORE`: ciphertext, stored schema)
 * through the event store port only, so it works the same on SQLite and
 * EventStoreDB. Position and `recordedAt`, which the store assigns at commit,
 * can only be sealed after commit: an event stays unsealed until the next
 * run (the API runs it on a short interval and before answering a digest or
 * a verification). Sealing extends the chain as recorded, never as
 * recomputed: whatever was altered before stays a difference for ever.
 */
export class LedgerSealer {
  private readonly pageSize: number;
  private readonly now: () => Date;
  private running: Promise<SignedHead | null> | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly seals: SealStore,
    /** Without a signer, events are sealed but no head is signed (a CLI without the key). */
    private readonly signer: SealSigner | null,
    options: LedgerSealerOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 1_000;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Seals everything committed up to now and answers the latest signed head
   * (`null`: no key, and no head signed yet). Calls made while one runs
   * share the next run.
   */
  seal(): Promise<SignedHead | null> {
    const previous = this.running ?? Promise.resolve(null);
    const next = previous.then(
      () => this.sealOnce(),
      () => this.sealOnce(),
    );
    this.running = next;
    const settled = () => {
      if (this.running === next) this.running = null;
    };
    next.then(settled, settled);
    return next;
  }

  /** The latest head signed on this data directory, without sealing. */
  latestHead(): SignedHead | null {
    return this.seals.latestHead();
  }

  private async sealOnce(): Promise<SignedHead | null> {
    restart: for (;;) {
      const last = this.seals.last();
      let seal = last?.seal ?? GENESIS_SEAL;
      let count = last?.count ?? 0;
      let expectedLast = last?.position ?? null;
      for (let pages = 0; ; pages++) {
        if (pages > 0) await new Promise((resolve) => setImmediate(resolve));
        const page = await this.store.readAll({
          fromPosition: expectedLast === null ? 'start' : expectedLast + 1n,
          maxCount: this.pageSize,
        });
        const records = page.map((event): SealRecord => {
          const hash = eventHash(event);
          seal = sealLink(seal, event, hash);
          count += 1;
          return {
            position: event.position,
            count,
            eventHash: hash,
            recordedAt: event.recordedAt.getTime(),
            seal,
          };
        });
        // Another process sealed meanwhile: start again from its records.
        if (records.length > 0 && !this.seals.append(records, expectedLast)) continue restart;
        if (page.length < this.pageSize) return this.signLatest();
        expectedLast = page[page.length - 1]!.position;
      }
    }
  }

  /** Signs the last record unless the latest head, by this key, already covers it. */
  private signLatest(): SignedHead | null {
    const latest = this.seals.latestHead();
    if (!this.signer) return latest;
    const last = this.seals.last();
    if (
      latest &&
      latest.keyId === this.signer.keyId &&
      latest.count === (last?.count ?? 0) &&
      latest.hash === (last?.seal ?? GENESIS_SEAL)
    ) {
      return latest;
    }
    const head = this.signer.sign({
      position: last?.position ?? null,
      count: last?.count ?? 0,
      hash: last?.seal ?? GENESIS_SEAL,
      recordedAt: last ? new Date(last.recordedAt) : null,
      sealedAt: this.now(),
    });
    this.seals.saveHead(head);
    return head;
  }
}
