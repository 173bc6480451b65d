import type { EventStore, NewEvent, RecordedEvent } from '../event-store.port.js';
import { readAllEvents } from '../read-all.js';
import { contentHash } from './content-hash.js';

export interface MigrationProgress {
  copied: number;
  skipped: number;
  total: number | null;
}

export interface MigrationResult {
  copied: number;
  skipped: number;
  source: { events: number; hash: string };
  target: { events: number; hash: string };
  ok: boolean;
}

export interface MigrateOptions {
  /** Events per append at most (consecutive events of one stream go together). */
  batch?: number;
  onProgress?: (progress: MigrationProgress) => void;
  /** Stop after this many copied events (to test resumption). */
  limit?: number;
  signal?: AbortSignal;
}

/**
 * Copies every event from one store to another with its id, stream,
 * revision, type, data and metadata, in `$all` order. Resumable: events the
 * target already holds at their revision are skipped, and each append is
 * made at the exact revision the stream has in the source, so a rerun after
 * an interruption neither duplicates nor reorders anything. Ends by
 * comparing the content hashes of both sides.
 *
 * Events are copied as stored — ciphertext and hash chains included — so
 * both stores must be the plain adapters (no encrypting or chaining layer),
 * and the person key store travels with the data directory.
 */
export async function migrate(
  source: EventStore,
  target: EventStore,
  options: MigrateOptions = {},
): Promise<MigrationResult> {
  const batchSize = options.batch ?? 500;
  const heads = new Map<string, bigint | null>();
  const targetHead = async (streamId: string): Promise<bigint | null> => {
    if (!heads.has(streamId)) {
      const [last] = await target.readStream(streamId, { direction: 'backwards', maxCount: 1 });
      heads.set(streamId, last?.revision ?? null);
    }
    return heads.get(streamId)!;
  };
  const total = await source.headPosition();
  let copied = 0;
  let skipped = 0;
  let pending: RecordedEvent[] = [];

  const flush = async () => {
    if (pending.length === 0) return;
    const streamId = pending[0]!.streamId;
    const first = pending[0]!.revision;
    await target.appendToStream(
      streamId,
      pending.map((event): NewEvent => ({
        id: event.id,
        type: event.type,
        data: event.data,
        metadata: event.metadata,
      })),
      { expectedRevision: first === 0n ? 'no_stream' : first - 1n },
    );
    heads.set(streamId, pending[pending.length - 1]!.revision);
    copied += pending.length;
    pending = [];
    options.onProgress?.({ copied, skipped, total: total === null ? null : Number(total) });
  };

  for await (const event of readAllEvents(source)) {
    if (
      options.signal?.aborted ||
      (options.limit !== undefined && copied + pending.length >= options.limit)
    )
      break;
    const head = await targetHead(event.streamId);
    if (head !== null && head >= event.revision) {
      skipped += 1;
      continue;
    }
    if (
      pending.length > 0 &&
      (pending[0]!.streamId !== event.streamId || pending.length >= batchSize)
    )
      await flush();
    pending.push(event);
  }
  await flush();

  const [sourceHash, targetHash] = [await contentHash(source), await contentHash(target)];
  return {
    copied,
    skipped,
    source: sourceHash,
    target: targetHash,
    ok: sourceHash.events === targetHash.events && sourceHash.hash === targetHash.hash,
  };
}
