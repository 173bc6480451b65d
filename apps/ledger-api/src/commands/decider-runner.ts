import {
  fold,
  type Decider,
  type DecisionContext,
  type Message,
  type UpcasterRegistry,
} from '@app/domain';
import {
  EVENT_STORE,
  EventIdConflictError,
  KeyedMutex,
  WrongExpectedRevisionError,
  type EventStore,
  type RecordedEvent,
} from '@app/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { UPCASTERS } from '../infrastructure/tokens.js';
import type { CommandMetadata } from './command-metadata.js';
import { deterministicUuid } from './deterministic-id.js';
import { StreamViewCache, type AppliedCommand, type StreamView } from './stream-view-cache.js';

/** Decisions taken on the stream as read, before a revision conflict is the caller's. */
const MAX_ATTEMPTS = 8;
/**
 * Before deciding again after a conflict on the stream as read (another
 * process, e.g. a second replica, appended in between), wait a random
 * moment up to this many ms × 2^(attempt − 3), capped at 100 ms: writers
 * racing on one hot stream spread out instead of colliding again.
 */
const CONFLICT_BACKOFF_MS = 5;

export interface RunDecision<C, E, S, Ctx extends DecisionContext> {
  streamId: string;
  decider: Decider<C, E, S, Ctx>;
  command: C;
  metadata: CommandMetadata;
  /** Loads facts from other streams that the decision needs. */
  context?: (state: S, now: string) => Promise<Ctx> | Ctx;
}

export interface Decided {
  revision: bigint;
  position: bigint;
  /** When the command's last event was recorded (a command that changed nothing: its stream's last, or now). */
  recordedAt: Date;
  events: number;
}

/**
 * An attempt's answer when the decision must be taken again: on the view
 * given (memory brought up to the stream as read), or, `null`, on the stream
 * read whole.
 */
interface DecideAgain<S> {
  again: StreamView<S> | null;
}

/**
 * The whole of a command handler: read the stream, fold it, decide, append
 * with the revision that was read. A concurrent writer makes the append fail
 * with a revision conflict; the decision is then taken again on fresh state
 * (unless the client pinned a revision with If-Match, which is its to retry).
 *
 * The view of a stream this process appended to or read is kept, and a
 * stream it has never seen is first taken to be new: both are guesses that
 * only an append can confirm, because the append expects the guessed
 * revision. A stale guess (another process wrote) fails that append; the
 * view is then brought up to date by reading only the events after its
 * revision, and the decision is taken again. Any other outcome decided on a
 * guess (a refusal, nothing to do) stands only once the store has shown
 * that nothing was appended after the guessed revision, so no answer but a
 * successful append ever rests on memory. Deciding is therefore O(1) in the
 * stream's length (a 5,000-event group: one indexed read of no rows at
 * most), where folding the whole stream per command took 4.7 ms.
 *
 * Views hold no personal data (the deciders' states keep ids, dates and
 * statuses; names and contact details live only in the events, encrypted),
 * so erasing a person has nothing to undo here.
 */
@Injectable()
export class DeciderRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(UPCASTERS) private readonly upcasters: UpcasterRegistry,
  ) {}

  private readonly streams = new KeyedMutex();
  private readonly views = new StreamViewCache();

  run<C extends Message, E extends Message, S, Ctx extends DecisionContext>(
    request: RunDecision<C, E, S, Ctx>,
  ): Promise<Decided> {
    return this.streams.run(request.streamId, () => this.decideAndAppend(request));
  }

  /** Attempts on a guessed view, then on the stream as read, until one answers. */
  private async decideAndAppend<
    C extends Message,
    E extends Message,
    S,
    Ctx extends DecisionContext,
  >(request: RunDecision<C, E, S, Ctx>): Promise<Decided> {
    const { streamId, decider, metadata } = request;
    // A client that pins a revision is answered from the stream as read.
    let view: StreamView<S> | null =
      metadata.expectedRevision === undefined ? this.views.guess(streamId, decider) : null;
    let fromGuess = view !== null;
    for (let attempt = 1; ; attempt++) {
      if (attempt >= 3) await conflictBackoff(attempt);
      view ??= await this.read(streamId, decider);
      const answer = await this.attempt(request, view, fromGuess, attempt);
      if (!('again' in answer)) return answer;
      view = answer.again;
      fromGuess = false;
    }
  }

  /** One decision on one view: already applied?, If-Match, decide, append, keep the view. */
  private async attempt<C extends Message, E extends Message, S, Ctx extends DecisionContext>(
    request: RunDecision<C, E, S, Ctx>,
    view: StreamView<S>,
    fromGuess: boolean,
    attempt: number,
  ): Promise<Decided | DecideAgain<S>> {
    const { streamId, metadata, decider } = request;
    const applied = view.applied.get(metadata.commandId);
    if (applied) return { ...applied, events: 0 };
    assertIfMatch(streamId, metadata, view);
    let events: E[];
    try {
      events = await this.decide(request, view);
    } catch (error) {
      if (!fromGuess) throw error;
      // A refusal on memory stands once the stream shows nothing after it.
      const current = await this.catchUp(streamId, decider, view);
      if (current === view) throw error;
      return { again: current };
    }
    if (events.length === 0) {
      if (fromGuess) {
        const current = await this.catchUp(streamId, decider, view);
        if (current !== view) return { again: current };
      }
      return {
        revision: view.revision ?? -1n,
        position: view.position,
        recordedAt: view.recordedAt ?? new Date(),
        events: 0,
      };
    }
    try {
      const appended = await this.append(streamId, metadata, view, events);
      this.keepView(request, view, events, appended);
      return { ...appended, events: events.length };
    } catch (error) {
      if (!decideAgainAfter(error, metadata, fromGuess, attempt)) {
        this.views.forget(streamId);
        throw error;
      }
      // Another writer appended: read what it appended. An id conflict: read the stream whole.
      if (error instanceof WrongExpectedRevisionError) {
        return { again: await this.catchUp(streamId, decider, view) };
      }
      this.views.forget(streamId);
      return { again: null };
    }
  }

  /**
   * The view brought up to the stream as read, reading only the events after
   * its revision (the same view when there are none). Runs under the stream's
   * lock: the view's state may be evolved in place, and the result is kept.
   */
  private async catchUp<S, E extends Message>(
    streamId: string,
    decider: Pick<Decider<never, E, S, never>, 'evolve' | 'initialState'>,
    view: StreamView<S>,
  ): Promise<StreamView<S>> {
    if (view.revision === null) {
      const read = await this.read(streamId, decider);
      return read.revision === null ? view : read;
    }
    const [known, ...after] = await this.store.readStream(streamId, {
      fromRevision: view.revision,
    });
    if (known?.revision !== view.revision || known.position !== view.position) {
      // Not the history this view was folded from: read it whole.
      this.views.forget(streamId);
      return this.read(streamId, decider);
    }
    if (after.length === 0) return view;
    let state = view.state;
    try {
      for (const event of after) state = decider.evolve(state, toDomainEvent<E>(event));
    } catch (error) {
      this.views.forget(streamId);
      throw error;
    }
    const last = after[after.length - 1]!;
    const applied = recordApplied(view.applied, after);
    const current: StreamView<S> = {
      ...view,
      state,
      revision: last.revision,
      position: last.position,
      recordedAt: last.recordedAt,
      applied,
    };
    this.views.keep(streamId, current);
    return current;
  }

  private async decide<C extends Message, E extends Message, S, Ctx extends DecisionContext>(
    { decider, command, context }: RunDecision<C, E, S, Ctx>,
    view: StreamView<S>,
  ): Promise<E[]> {
    const now = new Date().toISOString();
    const facts = context ? await context(view.state, now) : ({ now } as Ctx);
    return decider.decide(command, view.state, { ...facts, now });
  }

  /** Appends the events, expecting the view's revision; ids derive from the command id. */
  private async append<E extends Message>(
    streamId: string,
    metadata: CommandMetadata,
    view: StreamView<unknown>,
    events: E[],
  ): Promise<AppliedCommand> {
    const result = await this.store.appendToStream(
      streamId,
      events.map((event, index) => ({
        id: deterministicUuid(`${metadata.commandId}/${index}`),
        type: event.type,
        data: event.data,
        metadata: {
          commandId: metadata.commandId,
          correlationId: metadata.correlationId,
          causationId: metadata.causationId,
          actor: metadata.actor,
          schemaVersion: this.upcasters.currentVersion(event.type),
        },
      })),
      { expectedRevision: view.revision ?? 'no_stream' },
    );
    return {
      revision: result.nextExpectedRevision,
      position: result.position,
      recordedAt: result.recordedAt,
    };
  }

  /**
   * Kept only when the store wrote exactly these events on top of the view: an
   * append acknowledged as a replay of an earlier, identical one leaves the view unsure.
   */
  private keepView<C extends Message, E extends Message, S, Ctx extends DecisionContext>(
    { streamId, decider, metadata }: RunDecision<C, E, S, Ctx>,
    view: StreamView<S>,
    events: E[],
    appended: AppliedCommand,
  ): void {
    if (appended.revision !== (view.revision ?? -1n) + BigInt(events.length)) {
      this.views.forget(streamId);
      return;
    }
    view.applied.set(metadata.commandId, appended);
    this.views.keep(streamId, {
      ...view,
      state: events.reduce(decider.evolve, view.state),
      revision: appended.revision,
      position: appended.position,
      recordedAt: appended.recordedAt,
    });
  }

  private async read<S, E extends Message>(
    streamId: string,
    decider: Pick<Decider<never, E, S, never>, 'evolve' | 'initialState'>,
  ): Promise<StreamView<S>> {
    const recorded = await this.store.readStream(streamId);
    const last = recorded[recorded.length - 1];
    return {
      decider,
      state: fold(decider, recorded.map(toDomainEvent<E>)),
      revision: last?.revision ?? null,
      position: last?.position ?? -1n,
      recordedAt: last?.recordedAt ?? null,
      applied: recordApplied(new Map(), recorded),
    };
  }

  /**
   * Folds a stream into state, for handlers that need another stream's facts.
   * A kept view is answered once the store shows nothing after its revision
   * (one indexed read); otherwise the stream is read whole, and kept if no
   * view of it is. Never evolves a kept view: it runs outside the stream's
   * lock. The state handed out is read-only to the caller.
   */
  async load<S, E extends Message>(
    streamId: string,
    decider: Pick<Decider<never, E, S, never>, 'evolve' | 'initialState'>,
  ): Promise<S> {
    const kept = this.views.peek(streamId, decider);
    if (kept && kept.revision !== null) {
      const { revision, position, state } = kept;
      const [known, next] = await this.store.readStream(streamId, {
        fromRevision: revision,
        maxCount: 2,
      });
      if (known?.revision === revision && known.position === position && next === undefined)
        return state;
    }
    const view = await this.read(streamId, decider);
    if (view.revision !== null && !this.views.has(streamId)) this.views.keep(streamId, view);
    return view.state;
  }
}

/** Adds each event's command id (the command's last event wins) to the map, and returns it. */
function recordApplied(
  applied: Map<string, AppliedCommand>,
  recorded: readonly RecordedEvent[],
): Map<string, AppliedCommand> {
  for (const event of recorded) {
    const commandId = event.metadata.commandId;
    if (commandId) {
      const { revision, position, recordedAt } = event;
      applied.set(commandId, { revision, position, recordedAt });
    }
  }
  return applied;
}

/** If-Match: a client that pinned a revision is refused when the stream has moved on. */
function assertIfMatch(streamId: string, metadata: CommandMetadata, view: StreamView<unknown>) {
  if (metadata.expectedRevision !== undefined && metadata.expectedRevision !== view.revision) {
    throw new WrongExpectedRevisionError(
      streamId,
      metadata.expectedRevision,
      view.revision ?? 'no_stream',
    );
  }
}

/**
 * Retry policy after a failed append: a revision conflict on a guessed view is
 * always decided again on the stream as read; one on the stream as read, up to
 * MAX_ATTEMPTS, unless the client pinned the revision (then the conflict is its own).
 *
 * An event id conflict means the store already holds this command's events
 * (ids derive from the command id) but with other content: the same command
 * retried, e.g. under its Idempotency-Key after a crash lost the stored
 * response, with a new correlation id and freshly encrypted personal data.
 * Decided again on the stream as read, it is found among the applied
 * commands and answered with its first result. One the stream as read
 * cannot explain stays a conflict.
 */
function decideAgainAfter(
  error: unknown,
  metadata: CommandMetadata,
  fromGuess: boolean,
  attempt: number,
): boolean {
  if (error instanceof EventIdConflictError) return fromGuess || attempt < MAX_ATTEMPTS;
  if (!(error instanceof WrongExpectedRevisionError)) return false;
  return fromGuess || (metadata.expectedRevision === undefined && attempt < MAX_ATTEMPTS);
}

function toDomainEvent<E extends Message>(recorded: RecordedEvent): E {
  return { type: recorded.type, data: recorded.data } as E;
}

function conflictBackoff(attempt: number): Promise<void> {
  const ceiling = Math.min(100, CONFLICT_BACKOFF_MS * 2 ** (attempt - 3));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
