import { UpcasterRegistry } from '../core/upcasting.js';
import { partnerUpcasters, withdrawalReasonFromText } from './partner.upcasters.js';

describe('event schema upcasting', () => {
  const registry = new UpcasterRegistry(partnerUpcasters);

  it('reads a v1 PartnerWithdrew (free-text reason) as v2 (reason code, words kept as note)', () => {
    const v1 = {
      partnerId: 'ann',
      reason: "Couldn't give the time any more",
      occurredAt: '2014-09-30T00:00:00.000Z',
    };
    expect(registry.upcast('PartnerWithdrew', 1, v1)).toEqual({
      version: 2,
      data: {
        partnerId: 'ann',
        reason: 'time-commitment',
        note: "Couldn't give the time any more",
        occurredAt: '2014-09-30T00:00:00.000Z',
      },
    });
  });

  it('treats an event without a version as v1, and leaves current shapes alone', () => {
    expect(
      registry.upcast('PartnerWithdrew', undefined, {
        partnerId: 'a',
        reason: 'unpaid role',
        occurredAt: 'x',
      }).data,
    ).toMatchObject({
      reason: 'no-remuneration',
    });
    const v2 = { partnerId: 'a', reason: 'health', occurredAt: 'x' };
    expect(registry.upcast('PartnerWithdrew', 2, v2)).toEqual({ version: 2, data: v2 });
    expect(registry.upcast('SeatAllocated', 1, { seatId: 's' })).toEqual({
      version: 1,
      data: { seatId: 's' },
    });
  });

  it('knows the version writers use now', () => {
    expect(registry.currentVersion('PartnerWithdrew')).toBe(2);
    expect(registry.currentVersion('SeatAllocated')).toBe(1);
  });

  it('refuses two upcasters for the same version', () => {
    expect(() => new UpcasterRegistry([...partnerUpcasters, ...partnerUpcasters])).toThrow(
      /Two upcasters/,
    );
  });

  it.each([
    ['No remuneration for the role', 'no-remuneration'],
    ['Moved away from the borough', 'moved-away'],
    ['Health reasons', 'health'],
    ['Personal', 'other'],
  ])('maps "%s" to %s', (text, reason) => {
    expect(withdrawalReasonFromText(text)).toBe(reason);
  });

  it('reads v1 joins without a programme as none on record, keeping one named', () => {
    const v1 = {
      partnerId: 'a',
      name: 'A',
      organisation: 'CCG',
      constituency: 'ccg',
      occurredAt: 'x',
    };
    expect(registry.upcast('PartnerRegistered', 1, v1)).toEqual({
      version: 2,
      data: { ...v1, programmeId: null },
    });
    expect(
      registry.upcast('PartnerNominated', 1, { partnerId: 'b', programmeId: 'nwl' }).data,
    ).toEqual({
      partnerId: 'b',
      programmeId: 'nwl',
    });
  });
});
