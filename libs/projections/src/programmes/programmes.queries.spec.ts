import { facts, ledgerFixture, type LedgerFixture } from '../testing/ledger-fixture.js';

describe('programmes (projection + queries)', () => {
  let l: LedgerFixture;

  beforeEach(() => {
    l = ledgerFixture();
    l.record('ProgrammeLaunched', facts.programme('2013-09-01', ['Ealing', 'Brent']));
    const profile = {
      programmeId: 'nwl',
      paid: false,
      expensesReimbursed: true,
      summary: 'About eight hours a month',
    };
    l.record('RoleProfilePublished', {
      ...profile,
      meetingsPerMonth: 2,
      hoursPerMonth: 8,
      occurredAt: '2013-09-10',
    });
    l.record('NominationsRequested', {
      programmeId: 'nwl',
      campaign: 'design-2013',
      organisations: [{ name: 'Healthwatch Ealing', kind: 'healthwatch' }],
      occurredAt: '2013-09-15',
    });
    l.record('RecruitmentWorkshopHeld', {
      programmeId: 'nwl',
      workshopId: 'w1',
      attendees: 14,
      campaign: 'design-2013',
      occurredAt: '2013-10-01',
    });
    l.record('PrinciplesAdopted', {
      programmeId: 'nwl',
      version: 1,
      statements: ['I am heard'],
      adoptedBy: 'board',
      supersedes: null,
      occurredAt: '2013-10-10',
    });
    // Version 2 adopted in December, recorded in February.
    l.record(
      'PrinciplesAdopted',
      {
        programmeId: 'nwl',
        version: 2,
        statements: ['I am heard', 'I see what changed'],
        adoptedBy: 'board',
        supersedes: 1,
        occurredAt: '2013-12-01',
      },
      '2014-02-01',
    );
    l.record('RoleProfilePublished', {
      ...profile,
      meetingsPerMonth: 3,
      hoursPerMonth: 10,
      occurredAt: '2014-01-05',
    });
    l.record('WithdrawalReasonsDefined', {
      programmeId: 'nwl',
      reasons: [{ key: 'caring-responsibilities', label: 'Caring responsibilities' }],
      occurredAt: '2014-01-10',
    });
  });

  it('reads everything the programme declared by a date', () => {
    const nwl = l.programmes.programme('nwl', l.at('2014-06-30'));
    expect(nwl).toMatchObject({
      programmeId: 'nwl',
      name: 'NWL',
      boroughs: ['Ealing', 'Brent'],
      roleProfile: {
        meetingsPerMonth: 3,
        hoursPerMonth: 10,
        paid: false,
        expensesReimbursed: true,
      },
      nominationRequests: [
        {
          campaign: 'design-2013',
          organisations: [{ name: 'Healthwatch Ealing', kind: 'healthwatch' }],
        },
      ],
      workshops: [{ workshopId: 'w1', attendees: 14, campaign: 'design-2013' }],
      principlesInForce: 2,
      withdrawalReasons: {
        reasons: [{ key: 'caring-responsibilities', label: 'Caring responsibilities' }],
        isDefault: false,
      },
    });
    expect(nwl?.roleProfiles).toHaveLength(2);
    expect(nwl?.principles.map((p) => [p.version, p.supersedes])).toEqual([
      [1, null],
      [2, 1],
    ]);
  });

  it('as of an earlier date: the first profile, version 1, the default reasons', () => {
    const nwl = l.programmes.programme('nwl', l.at('2013-11-01'));
    expect(nwl?.roleProfile?.meetingsPerMonth).toBe(2);
    expect(nwl?.principlesInForce).toBe(1);
    expect(nwl?.withdrawalReasons.isDefault).toBe(true);
    expect(nwl?.withdrawalReasons.reasons.map((r) => r.key)).toContain('time-commitment');
  });

  it('as known before a late entry: version 2 not yet known', () => {
    expect(l.programmes.programme('nwl', l.at('2014-06-30', '2014-01-31'))?.principlesInForce).toBe(
      1,
    );
  });

  it('unknown before launch or before it was recorded', () => {
    expect(l.programmes.programme('nwl', l.at('2013-08-01'))).toBeNull();
    expect(l.programmes.programme('nwl', l.at('2014-06-30', '2013-08-01'))).toBeNull();
    expect(l.programmes.list(l.at('2014-06-30')).map((p) => p.programmeId)).toEqual(['nwl']);
  });

  it('applying every event again changes nothing', () => {
    const before = l.programmes.list(l.at('2014-06-30'));
    l.replayAll();
    expect(l.programmes.list(l.at('2014-06-30'))).toEqual(before);
  });
});
