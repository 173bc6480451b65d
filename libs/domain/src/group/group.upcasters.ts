import type { Upcaster } from '../core/upcasting.js';

/**
 * GroupEstablished v1 named no programme. v2 names the one the group belongs
 * to; a v1 group reads as `programmeId: null` — no programme on record — which
 * rules and read models take as the ledger's first programme (ADR 0003). One
 * event cannot know the ledger's programmes, so the upcaster does not guess.
 */
export const groupEstablishedV1ToV2: Upcaster = {
  type: 'GroupEstablished',
  fromVersion: 1,
  upcast: (data) => ({ programmeId: null, ...(data as Record<string, unknown>) }),
};

export const groupUpcasters: readonly Upcaster[] = [groupEstablishedV1ToV2];
