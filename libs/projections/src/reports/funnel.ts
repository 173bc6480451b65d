/**
 * A partner's standing in the recruitment funnel, folded from their facts:
 * the same fold runs per event in the partner-facts projection (the funnel
 * now, kept as it changes) and per row over facts filtered to a time point
 * (the funnel as of a date, as known at a time).
 */
export interface FunnelPartner {
  partnerId: string;
  /** When the partner was nominated or registered (the first, in business time); null: neither yet. */
  originAt: string | null;
  kind: 'lay' | 'professional' | null;
  campaign: string | null;
  organisationKind: string | null;
  workshops: boolean;
  interest: boolean;
  /** Distinct bodies appointed to; non-empty once appointed. */
  bodies: string[];
  withdrawalAt: string | null;
  withdrawalReason: string | null;
}

/** The event types the funnel folds. */
export const FUNNEL_FACTS = [
  'PartnerNominated',
  'PartnerRegistered',
  'WorkshopAttended',
  'InterestExpressed',
  'PartnerAppointed',
  'PartnerWithdrew',
] as const;
const FUNNEL_FACT_TYPES: ReadonlySet<string> = new Set(FUNNEL_FACTS);

export const isFunnelFact = (type: string): boolean => FUNNEL_FACT_TYPES.has(type);

export const emptyFunnelPartner = (partnerId: string): FunnelPartner => ({
  partnerId,
  originAt: null,
  kind: null,
  campaign: null,
  organisationKind: null,
  workshops: false,
  interest: false,
  bodies: [],
  withdrawalAt: null,
  withdrawalReason: null,
});

type Data = Record<string, unknown>;
const str = (d: Data, key: string): string => (typeof d[key] === 'string' ? d[key] : '');
const optional = (d: Data, key: string): string | null =>
  typeof d[key] === 'string' ? d[key] : null;

/**
 * Folds one fact into `p` (mutated). The first nomination or registration
 * and the first withdrawal in business time count, as in the partner's
 * summary; facts folded in (occurredAt, position) order, or in the log's
 * order, give the same result, and folding a fact twice changes nothing.
 */
export function foldFunnelFact(
  p: FunnelPartner,
  type: string,
  occurredAt: string,
  data: Data,
): void {
  switch (type) {
    case 'PartnerNominated':
    case 'PartnerRegistered': {
      if (p.originAt !== null && p.originAt <= occurredAt) return;
      const nominatedBy = data.nominatedBy;
      const kind =
        nominatedBy && typeof nominatedBy === 'object'
          ? (nominatedBy as Data).organisationKind
          : undefined;
      p.originAt = occurredAt;
      p.kind = type === 'PartnerRegistered' ? 'professional' : 'lay';
      p.campaign = optional(data, 'campaign');
      p.organisationKind = typeof kind === 'string' ? kind : null;
      return;
    }
    case 'WorkshopAttended':
      p.workshops = true;
      return;
    case 'InterestExpressed':
      p.interest = true;
      return;
    case 'PartnerAppointed': {
      const body = str(data, 'body');
      if (!p.bodies.includes(body)) p.bodies.push(body);
      return;
    }
    case 'PartnerWithdrew':
      if (p.withdrawalAt !== null && p.withdrawalAt <= occurredAt) return;
      p.withdrawalAt = occurredAt;
      p.withdrawalReason = str(data, 'reason');
      return;
    default:
      return;
  }
}
