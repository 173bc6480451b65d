import { facts, ledgerFixture, type LedgerFixture } from '../testing/ledger-fixture.js';

describe('influence ledger (projection + queries)', () => {
  let l: LedgerFixture;

  beforeEach(() => {
    l = ledgerFixture();
    l.record(
      'GroupEstablished',
      facts.group('forum', '2013-10-01', { name: 'Lay Forum', kind: 'forum' }),
    );
    l.record('GroupEstablished', facts.group('board', '2013-10-01', { name: 'Programme Board' }));
    for (const id of ['ann', 'bob'])
      l.record('PartnerNominated', facts.nominated(id, '2013-11-01'));
    l.record('FeedbackHeard', {
      feedbackId: 'fb-1',
      channel: 'forum',
      kind: 'concern',
      summary: 'Care plans are unreadable',
      groupId: 'forum',
      raisedBy: 'ann',
      occurredAt: '2014-01-01',
    });
    l.record('FeedbackHeard', {
      feedbackId: 'fb-2',
      channel: 'survey',
      kind: 'idea',
      summary: 'Evening meetings',
      groupId: null,
      raisedBy: null,
      occurredAt: '2014-01-10',
    });
    l.record('DecisionRecorded', {
      groupId: 'board',
      decisionId: 'd-1',
      summary: 'Plain-English care plans',
      influencedBy: ['fb-1'],
      layMembersPresent: ['ann', 'bob'],
      touchstoneVersion: 1,
      meetingId: null,
      occurredAt: '2014-01-20',
    });
    l.record('FeedbackResponded', {
      feedbackId: 'fb-1',
      responseId: 'r-1',
      outcome: 'adopted',
      rationale: null,
      decisionId: 'd-1',
      respondedBy: 'board',
      occurredAt: '2014-01-21',
    });
    // Reported back on 1 March, recorded only on 1 May.
    l.record(
      'FeedbackReportedBack',
      { feedbackId: 'fb-1', how: 'forum meeting', occurredAt: '2014-03-01' },
      '2014-05-01',
    );
  });

  it('tells each item’s story: heard → responses → decisions (with lay members present) → reported back', () => {
    const item = l.influence.get('fb-1', l.at('2014-12-31'))!;
    expect(item).toMatchObject({
      status: 'closed',
      channel: 'forum',
      kind: 'concern',
      groupName: 'Lay Forum',
      raisedByPerson: { partnerId: 'ann', name: 'Name of ann' },
      responses: [{ outcome: 'adopted', decisionId: 'd-1', respondedBy: 'board' }],
      decisions: [
        {
          groupId: 'board',
          groupName: 'Programme Board',
          decisionId: 'd-1',
          layMembersPresent: ['ann', 'bob'],
          layMembers: [
            { partnerId: 'ann', name: 'Name of ann' },
            { partnerId: 'bob', name: 'Name of bob' },
          ],
        },
      ],
      reportedBackHow: 'forum meeting',
      daysToFirstResponse: 20,
      daysToReportBack: 59,
    });
  });

  it('answers as of a date and as the record stood', () => {
    expect(l.influence.get('fb-1', l.at('2014-01-15'))).toMatchObject({
      status: 'open',
      responses: [],
      decisions: [],
      daysToFirstResponse: null,
    });
    expect(l.influence.get('fb-1', l.at('2014-03-15', '2014-04-01'))!.status).toBe('responded');
    expect(l.influence.get('fb-1', l.at('2014-03-15', '2014-05-02'))!.status).toBe('closed');
    expect(l.influence.get('fb-1', l.at('2013-12-31'))).toBeNull();
  });

  it('counts by status and outcome, filters, and summarises per group and per partner', () => {
    const all = l.influence.list(l.at('2014-12-31'));
    expect(all.counts).toEqual({
      byStatus: { open: 1, responded: 0, closed: 1 },
      byOutcome: { adopted: 1 },
    });
    expect(all.byGroup).toEqual([
      expect.objectContaining({ groupId: 'board', heard: 0, decisionsCiting: 1 }),
      expect.objectContaining({
        groupId: 'forum',
        heard: 1,
        closed: 1,
        averageDaysToFirstResponse: 20,
      }),
    ]);
    expect(all.byPartner).toEqual([
      {
        partnerId: 'ann',
        name: 'Name of ann',
        raised: 1,
        open: 0,
        responded: 0,
        closed: 1,
        adoptedOrAdapted: 1,
        citedInDecisions: 1,
      },
    ]);
    const ids = (filter: Parameters<typeof l.influence.list>[1]) =>
      l.influence.list(l.at('2014-12-31'), filter).items.map((i) => i.feedbackId);
    expect(ids({ status: 'open' })).toEqual(['fb-2']);
    expect(ids({ channel: 'forum' })).toEqual(['fb-1']);
    expect(ids({ partnerId: 'ann' })).toEqual(['fb-1']);
    expect(ids({ groupId: 'board' })).toEqual(['fb-1']);
  });

  it('gives the list a page at a time, counts and summaries over every item', () => {
    const at = l.at('2014-12-31');
    const whole = l.influence.list(at);
    expect(whole.next).toBeNull();
    const first = l.influence.list(at, {}, undefined, { limit: 1 });
    expect(first.items.map((i) => i.feedbackId)).toEqual(['fb-1']);
    expect(first.counts).toEqual(whole.counts);
    expect(first.byPartner).toEqual(whole.byPartner);
    expect(first.next).not.toBeNull();
    const second = l.influence.list(at, {}, undefined, { limit: 1, cursor: first.next });
    expect(second.items).toEqual([whole.items[1]]);
    expect(second.next).toBeNull();
    expect(() => l.influence.list(at, {}, undefined, { limit: 1, cursor: 'nonsense' })).toThrow(
      expect.objectContaining({ code: 'invalid_cursor' }),
    );
  });

  it('lists each item as reading it alone does', () => {
    for (const asOf of ['2014-01-15', '2014-03-15', '2014-12-31'])
      for (const item of l.influence.list(l.at(asOf, '2014-04-01')).items)
        expect(l.influence.get(item.feedbackId, l.at(asOf, '2014-04-01'))).toEqual(item);
  });

  it('is idempotent under replay', () => {
    const before = JSON.stringify(l.influence.list(l.at('2014-12-31')));
    l.replayAll();
    expect(JSON.stringify(l.influence.list(l.at('2014-12-31')))).toBe(before);
  });
});
