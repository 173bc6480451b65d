import { assertNotBefore, assertNotInFuture } from '../core/business-time.js';
import type { DecisionContext, Decider, Message } from '../core/decider.js';
import { conflict, notFound, rule } from '../core/domain-error.js';
import type { LayBody, OrganisationKind } from '../shared/vocabulary.js';
import {
  evolvePartner,
  initialPartnerState,
  type PartnerEvent,
  type PartnerState,
} from './partner.events.js';

export type NominatePartner = Message<
  'NominatePartner',
  {
    partnerId: string;
    name: string;
    email?: string;
    phone?: string;
    nominatedBy: { organisation: string; organisationKind: OrganisationKind };
    campaign?: string;
    occurredAt: string;
  }
>;

export type AppointPartner = Message<
  'AppointPartner',
  { partnerId: string; body: LayBody; occurredAt: string }
>;

export type PartnerCommand = NominatePartner | AppointPartner;

export function decidePartner(
  command: PartnerCommand,
  state: PartnerState,
  { now }: DecisionContext,
): PartnerEvent[] {
  assertNotInFuture(command.data.occurredAt, now);
  switch (command.type) {
    case 'NominatePartner': {
      if (state.status !== 'unknown') {
        throw conflict('partner_exists', `Partner ${command.data.partnerId} already exists`, {
          partnerId: command.data.partnerId,
        });
      }
      return [{ type: 'PartnerNominated', data: { ...command.data } }];
    }
    case 'AppointPartner': {
      const { partnerId, body, occurredAt } = command.data;
      if (state.status === 'unknown' || state.nominatedAt === null) {
        throw notFound('partner_not_found', `Partner ${partnerId} does not exist`, { partnerId });
      }
      if (state.status === 'withdrawn') {
        throw rule('partner_withdrawn', `Partner ${partnerId} has withdrawn`, { partnerId });
      }
      if (state.appointments.some((a) => a.body === body)) {
        throw rule('already_appointed', `Partner ${partnerId} is already appointed to the ${body}`, {
          partnerId,
          body,
        });
      }
      assertNotBefore(occurredAt, state.nominatedAt, 'appointed_before_nominated', 'the nomination');
      return [{ type: 'PartnerAppointed', data: { partnerId, body, occurredAt } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

export const partnerDecider: Decider<PartnerCommand, PartnerEvent, PartnerState> = {
  decide: decidePartner,
  evolve: evolvePartner,
  initialState: initialPartnerState,
};
