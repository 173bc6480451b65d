import {
  fold,
  type Decider,
  type DecisionContext,
  type Message,
  type UpcasterRegistry,
} from '@app/domain';
import {
  EVENT_STORE,
  KeyedMutex,
  WrongExpectedRevisionError,
  type EventStore,
  type RecordedEvent,
} from '@app/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { UPCASTERS } from '../infrastructure/ledger-store.providers.js';
import type { CommandMetadata } from './command-metadata.js';
import { deterministicUuid } from './deterministic-id.js';

const MAX_ATTEMPTS = 5;

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
  events: number;
}

/**
 * The whole of a command handler: read the stream, fold it, decide, append
 * with the revision that was read. A concurrent writer makes the append fail
 * with a revision conflict; the decision is then taken again on fresh state
 * (unless the client pinned a revision with If-Match, which is its to retry).
 */
@Injectable()
export class DeciderRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(UPCASTERS) private readonly upcasters: UpcasterRegistry,
  ) {}

  private readonly streams = new KeyedMutex();

  run<C extends Message, E extends Message, S, Ctx extends DecisionContext>(
    request: RunDecision<C, E, S, Ctx>,
  ): Promise<Decided> {
    return this.streams.run(request.streamId, () => this.decideAndAppend(request));
  }

  private async decideAndAppend<
    C extends Message,
    E extends Message,
    S,
    Ctx extends DecisionContext,
  >(request: RunDecision<C, E, S, Ctx>): Promise<Decided> {
    const { streamId, decider, command, metadata } = request;
    for (let attempt = 1; ; attempt++) {
      const recorded = await this.store.readStream(streamId);
      const state = fold(decider, recorded.map(toDomainEvent<E>));
      const last = recorded[recorded.length - 1];
      const current = last?.revision ?? null;
      // A command already applied (a retry after a lost response, a redelivered saga command) is not decided again.
      const applied = recorded.findLast((event) => event.metadata.commandId === metadata.commandId);
      if (applied) return { revision: applied.revision, position: applied.position, events: 0 };
      if (metadata.expectedRevision !== undefined && metadata.expectedRevision !== current) {
        throw new WrongExpectedRevisionError(
          streamId,
          metadata.expectedRevision,
          current ?? 'no_stream',
        );
      }
      const now = new Date().toISOString();
      const context = request.context ? await request.context(state, now) : ({ now } as Ctx);
      const events = decider.decide(command, state, { ...context, now });
      if (events.length === 0) {
        return { revision: current ?? -1n, position: last?.position ?? -1n, events: 0 };
      }
      try {
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
          { expectedRevision: current ?? 'no_stream' },
        );
        return {
          revision: result.nextExpectedRevision,
          position: result.position,
          events: events.length,
        };
      } catch (error) {
        const retry =
          error instanceof WrongExpectedRevisionError &&
          metadata.expectedRevision === undefined &&
          attempt < MAX_ATTEMPTS;
        if (!retry) throw error;
      }
    }
  }

  /** Folds a stream into state, for handlers that need another stream's facts. */
  async load<S, E extends Message>(
    streamId: string,
    decider: Pick<Decider<never, E, S, never>, 'evolve' | 'initialState'>,
  ): Promise<S> {
    const recorded = await this.store.readStream(streamId);
    return fold(decider, recorded.map(toDomainEvent<E>));
  }
}

function toDomainEvent<E extends Message>(recorded: RecordedEvent): E {
  return { type: recorded.type, data: recorded.data } as E;
}
