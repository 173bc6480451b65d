import type { Upcaster } from '../core/upcasting.js';
import type { WithdrawalReason } from '../shared/vocabulary.js';

/**
 * PartnerWithdrew v1 recorded the reason as the office typed it ("couldn't
 * give the time", "no pay for the role"). v2 has a reason code, so reports
 * can count withdrawals by cause, with the words kept as the note.
 */
export const partnerWithdrewV1ToV2: Upcaster = {
  type: 'PartnerWithdrew',
  fromVersion: 1,
  upcast(data) {
    const v1 = data as { partnerId: string; reason: string; occurredAt: string };
    return {
      partnerId: v1.partnerId,
      reason: withdrawalReasonFromText(v1.reason),
      note: v1.reason,
      occurredAt: v1.occurredAt,
    };
  },
};

export function withdrawalReasonFromText(text: string): WithdrawalReason {
  const t = text.toLowerCase();
  if (/\b(time|commitment|workload|busy|hours)\b/.test(t)) return 'time-commitment';
  if (/\b(pay|paid|remuneration|unpaid|money|payment)\b/.test(t)) return 'no-remuneration';
  if (/\b(health|ill|illness|unwell|hospital)\b/.test(t)) return 'health';
  if (/\b(moved|moving|relocat\w*)\b/.test(t)) return 'moved-away';
  return 'other';
}

/**
 * PartnerNominated and PartnerRegistered v1 could name a programme; v2 always
 * does, `null` meaning none on record (read as the ledger's first programme,
 * ADR 0003). A v1 event that named one keeps it.
 */
const programmeOnRecord = (type: string): Upcaster => ({
  type,
  fromVersion: 1,
  upcast: (data) => ({ programmeId: null, ...(data as Record<string, unknown>) }),
});
export const partnerNominatedV1ToV2 = programmeOnRecord('PartnerNominated');
export const partnerRegisteredV1ToV2 = programmeOnRecord('PartnerRegistered');

export const partnerUpcasters: readonly Upcaster[] = [
  partnerWithdrewV1ToV2,
  partnerNominatedV1ToV2,
  partnerRegisteredV1ToV2,
];
