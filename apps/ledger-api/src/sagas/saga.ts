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
  react(events: Observable<RecordedEvent>): Observable<ICommand>;
}

export const LEDGER_SAGAS = Symbol('LEDGER_SAGAS');
