import { facts, ledgerFixture } from '../testing/ledger-fixture.js';
import { toCsv } from './csv.js';
import { EXPORT_COLUMNS, exportRows, popoloMemberships } from './exports.js';

describe('exports', () => {
  const ledger = () => {
    const l = ledgerFixture();
    l.record('GroupEstablished', facts.group('board', '2013-10-01', { name: 'Board, "main"' }));
    l.record('GroupEstablished', facts.group('ws', '2013-10-02', { parentGroupId: 'board' }));
    l.record(
      'PartnerNominated',
      facts.nominated('ann', '2013-11-01', { name: 'Ann, "the chair"\nEvans' }),
    );
    l.record('PartnerAppointed', {
      partnerId: 'ann',
      body: 'advisory-group',
      occurredAt: '2013-12-01',
    });
    l.record('SeatAllocated', facts.seat('ws', 's1', 'ann', '2014-01-10'));
    l.record('CoChairAppointed', {
      groupId: 'ws',
      partnerId: 'ann',
      constituency: 'lay',
      seatId: 's1',
      occurredAt: '2014-02-01',
    });
    l.record('SeatVacated', {
      groupId: 'ws',
      seatId: 's1',
      partnerId: 'ann',
      reason: 'left',
      occurredAt: '2014-06-01',
    });
    l.record('CoChairStoodDown', {
      groupId: 'ws',
      partnerId: 'ann',
      constituency: 'lay',
      reason: 'seat-vacated',
      occurredAt: '2014-06-01',
    });
    return l;
  };

  it('writes Popolo persons, organizations with parent_id, and member / co-chair memberships', () => {
    const l = ledger();
    const popolo = popoloMemberships(l.governance, Date.parse('2100-01-01'));
    expect(popolo.persons).toEqual([
      { id: 'ann', name: 'Ann, "the chair"\nEvans', partnerId: 'ann' },
    ]);
    expect(popolo.organizations).toEqual([
      { id: 'board', name: 'Board, "main"', classification: 'workstream', parent_id: null },
      { id: 'ws', name: 'ws', classification: 'workstream', parent_id: 'board' },
    ]);
    expect(popolo.memberships).toEqual([
      {
        person_id: 'ann',
        organization_id: 'ws',
        role: 'member',
        label: 'lay',
        start_date: '2014-01-10',
        end_date: '2014-06-01',
      },
      {
        person_id: 'ann',
        organization_id: 'ws',
        role: 'co-chair',
        label: 'lay',
        start_date: '2014-02-01',
        end_date: '2014-06-01',
      },
    ]);
    // As of March 2014 both terms were running.
    const march = popoloMemberships(l.governance, l.at('2014-03-01'));
    expect(march.memberships.map((m) => 'end_date' in m)).toEqual([false, false]);
  });

  it('quotes names with commas, quotes and newlines in the tenures CSV', () => {
    const l = ledger();
    const rows = exportRows('tenures', l, l.at('2014-03-01'));
    const csv = toCsv(EXPORT_COLUMNS.tenures, rows);
    expect(csv.split('\r\n')[0]).toBe(
      'groupId,seatId,role,partnerId,partnerName,constituency,from,to,endReason,electionId',
    );
    expect(csv).toContain(
      'ws,s1,seat,ann,"Ann, ""the chair""\nEvans",lay,2014-01-10T23:59:59.999Z,,,\r\n',
    );
  });

  it('renders person names through the given names', () => {
    const l = ledger();
    const rows = exportRows('tenures', l, l.at('2014-12-31'), { displayName: () => 'P-x' });
    expect(rows.map((r) => r.partnerName)).toEqual(['P-x', 'P-x']);
  });

  it('writes the representation periods, one row per period, empty until while still so', () => {
    const l = ledger();
    const csv = toCsv(
      EXPORT_COLUMNS.representation,
      exportRows('representation', l, l.at('2014-12-31')),
    );
    expect(csv.split('\r\n')).toEqual([
      'groupId,name,min,max,condition,from,until,dissolvedAt',
      'board,"Board, ""main""",2,4,below-minimum,2013-10-01T23:59:59.999Z,,',
      'ws,ws,2,4,below-minimum,2013-10-02T23:59:59.999Z,,',
      '',
    ]);
    l.record('SeatAllocated', facts.seat('ws', 's2', 'ann', '2014-02-01'));
    expect(
      exportRows('representation', l, l.at('2014-12-31')).filter((r) => r.groupId === 'ws'),
    ).toEqual([
      {
        groupId: 'ws',
        name: 'ws',
        min: 2,
        max: 4,
        condition: 'below-minimum',
        from: '2013-10-02T23:59:59.999Z',
        until: '2014-02-01T23:59:59.999Z',
        dissolvedAt: null,
      },
      {
        groupId: 'ws',
        name: 'ws',
        min: 2,
        max: 4,
        condition: 'below-minimum',
        from: '2014-06-01T23:59:59.999Z',
        until: null,
        dissolvedAt: null,
      },
    ]);
  });
});
