import { facts, ledgerFixture, type LedgerFixture } from '../testing/ledger-fixture.js';

describe('partner history (projection + queries)', () => {
  let l: LedgerFixture;

  beforeEach(() => {
    l = ledgerFixture();
    l.record('GroupEstablished', facts.group('board', '2013-10-01', { name: 'Programme Board' }));
    l.record('PartnerNominated', facts.nominated('ann', '2013-11-01'));
    l.record('WorkshopAttended', { partnerId: 'ann', workshopId: 'w1', occurredAt: '2013-11-20' });
    l.record('InterestExpressed', { partnerId: 'ann', occurredAt: '2013-11-25' });
    l.record('PartnerAppointed', {
      partnerId: 'ann',
      body: 'advisory-group',
      occurredAt: '2013-12-01',
    });
    l.record('TrainingCompleted', {
      partnerId: 'ann',
      course: 'Chairing',
      occurredAt: '2014-01-05',
    });
    l.record('SeatAllocated', facts.seat('board', 'lay-1', 'ann', '2014-01-10'));
    l.record('MeetingHeld', {
      groupId: 'board',
      meetingId: 'm1',
      attendees: ['ann'],
      apologies: [],
      durationMinutes: 90,
      occurredAt: '2014-02-01',
    });
    // Withdrawal on 2014-06-30, but the office only records it on 2014-08-15.
    l.record(
      'PartnerWithdrew',
      {
        partnerId: 'ann',
        reason: 'time-commitment',
        note: 'caring duties',
        occurredAt: '2014-06-30',
      },
      '2014-08-15',
    );
    l.record(
      'SeatVacated',
      {
        groupId: 'board',
        seatId: 'lay-1',
        partnerId: 'ann',
        reason: 'withdrew',
        occurredAt: '2014-06-30',
      },
      '2014-08-15',
    );
  });

  it('gives a partner’s status as of each date', () => {
    const status = (asOf: string) => l.partners.summary('ann', l.at(asOf))?.status ?? null;
    expect(status('2013-10-15')).toBeNull();
    expect(status('2013-11-10')).toBe('nominated');
    expect(status('2014-03-01')).toBe('appointed');
    expect(status('2014-07-01')).toBe('withdrawn');
  });

  it('answers as the record stood: a late withdrawal is unknown before it was recorded', () => {
    const before = l.partners.summary('ann', l.at('2014-07-01', '2014-08-01'))!;
    expect(before.status).toBe('appointed');
    expect(before.seats.map((s) => s.groupId)).toEqual(['board']);
    const after = l.partners.summary('ann', l.at('2014-07-01', '2014-08-16'))!;
    expect(after.status).toBe('withdrawn');
    expect(after.seats).toEqual([]);
  });

  it('summarises who they are and what they did', () => {
    expect(l.partners.summary('ann', l.at('2014-12-31'))).toEqual({
      partnerId: 'ann',
      name: 'Name of ann',
      kind: 'lay',
      status: 'withdrawn',
      joinedAt: '2013-11-01T23:59:59.999Z',
      nominatedBy: { organisation: 'Healthwatch Ealing', organisationKind: 'healthwatch' },
      campaign: 'design-2013',
      organisation: null,
      constituency: null,
      workshops: [{ workshopId: 'w1', at: '2013-11-20T23:59:59.999Z' }],
      interestExpressedAt: '2013-11-25T23:59:59.999Z',
      appointments: [{ body: 'advisory-group', at: '2013-12-01T23:59:59.999Z' }],
      trainings: [{ course: 'Chairing', at: '2014-01-05T23:59:59.999Z' }],
      withdrawal: {
        reason: 'time-commitment',
        note: 'caring duties',
        at: '2014-06-30T23:59:59.999Z',
      },
      erasedAt: null,
      seats: [],
      coChairs: [],
    });
  });

  it('lists everything that happened to them, in order, with a plain line each', () => {
    const history = l.partners.history('ann', l.at('2014-12-31'));
    expect(history.map((h) => [h.type, h.role])).toEqual([
      ['PartnerNominated', null],
      ['WorkshopAttended', null],
      ['InterestExpressed', null],
      ['PartnerAppointed', null],
      ['TrainingCompleted', null],
      ['SeatAllocated', null],
      ['MeetingHeld', 'attended'],
      ['PartnerWithdrew', null],
      ['SeatVacated', null],
    ]);
    expect(history[0]).toMatchObject({
      position: 2,
      occurredAt: '2013-11-01T23:59:59.999Z',
      recordedAt: '2013-11-01T23:59:59.999Z',
      line: 'Name of ann nominated by Healthwatch Ealing',
    });
    expect(history[5]!.line).toBe('Lay partner Name of ann took a lay seat on Programme Board');
    expect(history[6]!.line).toBe('Name of ann attended a meeting of Programme Board (1.5 h)');
    // Never names or contact details in the stored detail.
    expect(JSON.stringify(history)).not.toContain('example.org');
    expect(JSON.stringify(history)).not.toContain('caring duties');
  });

  it('renders people through the reader’s names (e.g. pseudonyms)', () => {
    const history = l.partners.history('ann', l.at('2014-12-31'), {
      displayName: (id) => `P-${id.length}`,
    });
    expect(history[0]!.line).toBe('P-3 nominated by Healthwatch Ealing');
    expect(history.map((h) => h.line).join('\n')).not.toContain('Name of ann');
  });

  it('forgets the name and the withdrawal note on erasure, keeping the facts', () => {
    l.record('PersonalDataErased', { partnerId: 'ann', occurredAt: '2014-09-01' });
    const erased = l.partners.summary('ann', l.at('2014-12-31'))!;
    expect(erased).toMatchObject({
      status: 'erased',
      name: '[erased]',
      erasedAt: expect.any(String),
    });
    expect(erased.withdrawal).toEqual({
      reason: 'time-commitment',
      note: null,
      at: '2014-06-30T23:59:59.999Z',
    });
    expect(l.db.prepare('SELECT count(*) AS n FROM pf_notes').get()).toEqual({ n: 0 });
  });

  it('keeps no name, contact detail or note in a fact, and leaves the event as it was', () => {
    const nominated = l.record(
      'PartnerNominated',
      facts.nominated('bea', '2013-11-02', { phone: '020 7946 0000' }),
    );
    const details = l.db
      .prepare<[], { type: string; detail: string }>(
        `SELECT type, detail FROM pf_facts WHERE partner_id IN ('ann', 'bea') ORDER BY position`,
      )
      .all()
      .map((row) => ({ type: row.type, detail: JSON.parse(row.detail) as object }));
    expect(details.map((d) => d.type)).toEqual([
      'PartnerNominated',
      'WorkshopAttended',
      'InterestExpressed',
      'PartnerAppointed',
      'TrainingCompleted',
      'SeatAllocated',
      'PartnerWithdrew',
      'SeatVacated',
      'PartnerNominated',
    ]);
    for (const { detail } of details) {
      for (const field of ['name', 'email', 'phone', 'note'])
        expect(detail).not.toHaveProperty(field);
    }
    expect(details.find((d) => d.type === 'PartnerWithdrew')!.detail).toEqual({
      partnerId: 'ann',
      reason: 'time-commitment',
      occurredAt: '2014-06-30T23:59:59.999Z',
    });
    expect(nominated.data).toMatchObject({ name: 'Name of bea', phone: '020 7946 0000' });
  });

  it('is idempotent: applying every event again changes nothing', () => {
    const before = JSON.stringify(l.partners.list(l.at('2014-12-31')));
    l.replayAll();
    expect(JSON.stringify(l.partners.list(l.at('2014-12-31')))).toBe(before);
    expect(l.partners.history('ann', l.at('2014-12-31'))).toHaveLength(9);
  });

  it('gives each partner the kind and withdrawal list() gives, at every time point', () => {
    l.record('PartnerRegistered', {
      partnerId: 'dr-b',
      name: 'Dr B',
      organisation: 'Ealing CCG',
      constituency: 'ccg',
      occurredAt: '2013-10-05',
    });
    l.record('PartnerNominated', facts.nominated('cal', '2014-02-01'));
    // A second withdrawal, later in business time but recorded first: the first one counts.
    l.record('PartnerWithdrew', { partnerId: 'cal', reason: 'moved', occurredAt: '2014-09-01' });
    l.record('PartnerWithdrew', { partnerId: 'cal', reason: 'health', occurredAt: '2014-05-01' });
    const points = [
      l.at('2013-10-15'),
      l.at('2014-03-01'),
      l.at('2014-07-01'),
      l.at('2014-12-31'),
      { asOf: '2014-12-31T23:59:59.999Z', knownAt: Date.parse('2014-08-01') },
    ];
    for (const at of points) {
      const listed = l.partners.list(at).map((p) => ({
        partnerId: p.partnerId,
        kind: p.kind,
        withdrawal: p.withdrawal ? { reason: p.withdrawal.reason, at: p.withdrawal.at } : null,
      }));
      expect([...l.partners.standings(at).values()]).toEqual(listed);
    }
    expect(l.partners.standings(l.at('2014-12-31')).get('cal')!.withdrawal).toEqual({
      reason: 'health',
      at: expect.stringMatching(/^2014-05-01/),
    });
  });

  it('registers professionals with their organisation and constituency', () => {
    l.record('PartnerRegistered', {
      partnerId: 'dr-b',
      name: 'Dr B',
      organisation: 'Ealing CCG',
      constituency: 'ccg',
      occurredAt: '2013-10-05',
    });
    expect(l.partners.summary('dr-b', l.at('2014-01-01'))).toMatchObject({
      kind: 'professional',
      status: 'registered',
      organisation: 'Ealing CCG',
      constituency: 'ccg',
      nominatedBy: null,
    });
  });
});
