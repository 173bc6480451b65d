import type { Decider } from '@app/domain';

/** The revision, position and recording time of a command's last event. */
export interface AppliedCommand {
  revision: bigint;
  position: bigint;
  recordedAt: Date;
}

/** What a command needs of its stream: the folded state, its revision, the commands already applied. */
export interface StreamView<S> {
  /** The decider that folded `state`: a view is only reused by the same one. */
  decider: object;
  state: S;
  revision: bigint | null;
  position: bigint;
  /** When the stream's last event was recorded (`null` for a stream no one has written to). */
  recordedAt: Date | null;
  /** Command id → its last event (a retried command is not decided again). */
  applied: Map<string, AppliedCommand>;
}

type Folding<S> = Pick<Decider<never, never, S, never>, 'initialState'>;

/** The view of a stream no one has written to. */
export function newStreamView<S>(decider: Folding<S>): StreamView<S> {
  return {
    decider,
    state: decider.initialState(),
    revision: null,
    position: -1n,
    recordedAt: null,
    applied: new Map(),
  };
}

/**
 * Stream views kept between commands, least recently used first out: at most
 * `maxStreams` streams, and at most `maxCommandIds` applied command ids in all
 * (a group with years of history holds thousands; about 200 bytes each).
 */
export class StreamViewCache {
  private readonly views = new Map<string, StreamView<unknown>>();
  /** Applied command ids held by `views`, as counted when each was kept. */
  private readonly counted = new Map<string, number>();
  private countedIds = 0;

  constructor(
    private readonly maxStreams = 5_000,
    private readonly maxCommandIds = 100_000,
  ) {}

  /** The view kept for the stream by the same decider, else the guess that the stream is new. */
  guess<S>(streamId: string, decider: Folding<S>): StreamView<S> {
    const view = this.views.get(streamId);
    if (!view || view.decider !== decider) return newStreamView(decider);
    this.views.delete(streamId); // most recently used goes last
    this.views.set(streamId, view);
    return view as StreamView<S>;
  }

  /** The view kept for the stream by the same decider, if any (counts as a use). */
  peek<S>(streamId: string, decider: Folding<S>): StreamView<S> | undefined {
    const view = this.views.get(streamId);
    if (!view || view.decider !== decider) return undefined;
    return this.guess(streamId, decider);
  }

  has(streamId: string): boolean {
    return this.views.has(streamId);
  }

  keep<S>(streamId: string, view: StreamView<S>): void {
    this.forget(streamId);
    this.views.set(streamId, view);
    this.counted.set(streamId, view.applied.size);
    this.countedIds += view.applied.size;
    while (this.views.size > this.maxStreams || this.countedIds > this.maxCommandIds) {
      this.forget(this.views.keys().next().value!);
    }
  }

  forget(streamId: string): void {
    this.views.delete(streamId);
    this.countedIds -= this.counted.get(streamId) ?? 0;
    this.counted.delete(streamId);
  }

  /** Streams held now. */
  get size(): number {
    return this.views.size;
  }
}
