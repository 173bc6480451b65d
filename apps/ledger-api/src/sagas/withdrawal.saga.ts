import type { PartnerWithdrew } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { GovernanceQueries } from '@app/projections';
import { Injectable } from '@nestjs/common';
import type { ICommand } from '@nestjs/cqrs';
import { filter, mergeMap, type Observable } from 'rxjs';
import { deterministicUuid } from '../commands/deterministic-id.js';
import { ExecuteGroupCommand } from '../groups/group-command.handler.js';
import type { LedgerSaga } from './saga.js';

/**
 * A partner who withdraws leaves every seat they hold; vacating a co-chair's
 * seat stands them down too (the group decider emits both), so no role is
 * left to someone who has gone. The saga runner waits until the read models
 * include the withdrawal, so the seats found are those held at that point.
 */
@Injectable()
export class WithdrawalSaga implements LedgerSaga {
  readonly name = 'withdrawal';
  readonly reactsTo = new Set(['PartnerWithdrew']);

  constructor(private readonly governance: GovernanceQueries) {}

  react(events: Observable<RecordedEvent>): Observable<ICommand> {
    return events.pipe(
      filter(
        (event): event is RecordedEvent<'PartnerWithdrew', PartnerWithdrew['data']> =>
          event.type === 'PartnerWithdrew',
      ),
      mergeMap((event) => {
        const { partnerId, reason, occurredAt } = event.data;
        const open = this.governance.openTenuresOf(partnerId);
        // Withdraw is refused when dated before the partner's seats and co-chair terms
        // (the group facts are in its decision). A seat recorded by another process in
        // the same instant could still begin later: never end one before it began.
        const latest = (...dates: string[]) =>
          dates.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
        return open
          .filter((tenure) => tenure.role === 'seat')
          .map((seat) => {
            const roles = open
              .filter((t) => t.groupId === seat.groupId && t.seatId === seat.seatId)
              .map((t) => t.from);
            return new ExecuteGroupCommand(
              {
                type: 'VacateSeat',
                data: {
                  groupId: seat.groupId,
                  seatId: seat.seatId,
                  reason: `partner-withdrew: ${reason}`,
                  occurredAt: latest(occurredAt, ...roles),
                },
              },
              sagaMetadata(event, `vacate:${seat.groupId}:${seat.seatId}`),
            );
          });
      }),
    );
  }
}

export function sagaMetadata(event: RecordedEvent, step: string) {
  const commandId = deterministicUuid(`saga:${event.id}:${step}`);
  return {
    commandId,
    correlationId:
      typeof event.metadata.correlationId === 'string' ? event.metadata.correlationId : event.id,
    causationId: event.id,
    actor: 'saga',
  };
}
