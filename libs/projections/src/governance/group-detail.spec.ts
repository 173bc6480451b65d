import { facts, ledgerFixture, type LedgerFixture } from '../testing/ledger-fixture.js';

describe('a group as of a date (groupsAt, groupAt, tenuresAt)', () => {
  let l: LedgerFixture;

  beforeEach(() => {
    l = ledgerFixture();
    l.record(
      'GroupEstablished',
      facts.group('board', '2013-10-01', { laySeats: { min: 2, max: 3 } }),
    );
    l.record('GroupEstablished', facts.group('task', '2013-10-05', { parentGroupId: 'board' }));
    l.record('PartnerNominated', facts.nominated('ann', '2013-10-02'));
    l.record('PartnerNominated', facts.nominated('bob', '2013-10-02'));
    l.record('SeatAllocated', facts.seat('board', 'lay-1', 'ann', '2014-01-01'));
    l.record('SeatAllocated', facts.seat('board', 'lay-2', 'bob', '2014-01-01'));
    l.record('CoChairAppointed', {
      groupId: 'board',
      seatId: 'lay-1',
      partnerId: 'ann',
      constituency: 'lay',
      occurredAt: '2014-02-01',
    });
    // Bob left on 30 June; the office recorded it on 15 August.
    l.record(
      'SeatVacated',
      {
        groupId: 'board',
        seatId: 'lay-2',
        partnerId: 'bob',
        reason: 'resigned',
        occurredAt: '2014-06-30',
      },
      '2014-08-15',
    );
    l.record('GroupDissolved', { groupId: 'task', occurredAt: '2014-03-01' });
  });

  it('reads facts, seats, co-chairs and lay seats filled against the range', () => {
    const board = l.governance.groupAt('board', l.at('2014-03-01'));
    expect(board).toMatchObject({
      groupId: 'board',
      status: 'active',
      dissolvedAt: null,
      coChairConstituencies: ['lay', 'ccg'],
      laySeats: { min: 2, max: 3, filled: 2, belowMinimum: false },
    });
    expect(board?.seats.map((s) => [s.seatId, s.partnerId])).toEqual([
      ['lay-1', 'ann'],
      ['lay-2', 'bob'],
    ]);
    expect(board?.coChairs.map((c) => c.partnerId)).toEqual(['ann']);
  });

  it('a late vacancy: below minimum as now known, full as known in July', () => {
    expect(l.governance.groupAt('board', l.at('2014-07-01'))?.laySeats.belowMinimum).toBe(true);
    expect(l.governance.groupAt('board', l.at('2014-07-01', '2014-07-31'))?.laySeats.filled).toBe(
      2,
    );
  });

  it('keeps dissolved groups, with their dissolution, and hides groups not yet established or known', () => {
    expect(l.governance.groupAt('task', l.at('2014-06-01'))).toMatchObject({
      status: 'dissolved',
      dissolvedAt: '2014-03-01T23:59:59.999Z',
      parentGroupId: 'board',
    });
    expect(l.governance.groupAt('task', l.at('2014-02-01'))?.status).toBe('active');
    expect(l.governance.groupAt('board', l.at('2013-09-30'))).toBeNull();
    expect(l.governance.groupAt('board', l.at('2014-06-01', '2013-09-30'))).toBeNull();
    expect(l.governance.groupsAt(l.at('2014-06-01')).map((g) => g.groupId)).toEqual([
      'board',
      'task',
    ]);
  });

  it('tenures as of a date: begun by then; a later end reads as open', () => {
    const bob = (asOf: string, knownAt?: string) =>
      l.governance.tenuresAt('board', l.at(asOf, knownAt)).find((t) => t.partnerId === 'bob');
    expect(bob('2013-12-31')).toBeUndefined();
    expect(bob('2014-03-01')).toMatchObject({ to: null, endReason: null });
    expect(bob('2014-07-01')).toMatchObject({
      to: '2014-06-30T23:59:59.999Z',
      endReason: 'resigned',
    });
    expect(bob('2014-07-01', '2014-07-31')).toMatchObject({ to: null, endReason: null });
  });
});
