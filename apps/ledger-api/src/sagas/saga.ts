import type { RecordedEvent } from '@app/event-store';
import type { ICommand } from '@nestjs/cqrs';
import type { Observable } from 'rxjs';

/**
 * A saga reacts to stored events by issuing commands (rxjs, as Nest's
 * @Saga). Commands carry ids derived from the event's id, so a redelivered
 * event issues the same commands and the command handler recognises them as
 * already applied: redelivery never acts twice.
 */
export interface LedgerSaga {
  readonly name: string;
  /**
   * The event types it may react to. The runner hands it no other event:
   * most events concern no saga, and an rxjs pipeline per saga per event
   * cost 3 µs (5 s of a cold start over 1M events).
   */
  readonly reactsTo: ReadonlySet<string>;
  react(events: Observable<RecordedEvent>): Observable<ICommand>;
}

export const LEDGER_SAGAS = Symbol('LEDGER_SAGAS');
