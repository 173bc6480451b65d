import type { ElectionClosed } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { Injectable } from '@nestjs/common';
import type { ICommand } from '@nestjs/cqrs';
import { filter, map, type Observable } from 'rxjs';
import { ExecuteGroupCommand } from '../groups/group-command.handler.js';
import type { LedgerSaga } from './saga.js';
import { sagaMetadata } from './withdrawal.saga.js';

/** A closed election with a winner makes them co-chair of the group for that constituency. */
@Injectable()
export class ElectionResultSaga implements LedgerSaga {
  readonly name = 'election-result';
  readonly reactsTo = new Set(['ElectionClosed']);

  react(events: Observable<RecordedEvent>): Observable<ICommand> {
    return events.pipe(
      filter(
        (event): event is RecordedEvent<'ElectionClosed', ElectionClosed['data']> =>
          event.type === 'ElectionClosed' &&
          (event.data as ElectionClosed['data']).outcome === 'elected',
      ),
      map(
        (event) =>
          new ExecuteGroupCommand(
            {
              type: 'RecordCoChairElection',
              data: {
                groupId: event.data.groupId,
                electionId: event.data.electionId,
                occurredAt: event.data.occurredAt,
              },
            },
            sagaMetadata(event, 'install-co-chair'),
          ),
      ),
    );
  }
}
