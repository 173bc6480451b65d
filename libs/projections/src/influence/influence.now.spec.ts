import type { InfluenceFilter, InfluenceStatus } from './influence.queries.js';
import { bulkRebuild, keptRows } from '../testing/bulk-rebuild.js';
import { facts, ledgerFixture, type LedgerFixture } from '../testing/ledger-fixture.js';
import { InfluenceQueries } from './influence.queries.js';

/**
 * The list "now" comes from rows kept per event; any other time point folds
 * every item known then. Both must give the same answer, whatever the
 * filter, on a ledger with backdated responses, late-recorded report-backs,
 * decisions citing feedback heard in other groups (and other programmes),
 * anonymous items held only by the decisions citing them, and two programmes.
 */
describe('influence list kept per event', () => {
  let l: LedgerFixture;

  const heard = (
    feedbackId: string,
    occurredAt: string,
    groupId: string | null,
    raisedBy: string | null,
    channel = 'forum',
    recordedAt?: string,
  ) =>
    l.record(
      'FeedbackHeard',
      { feedbackId, channel, kind: 'idea', summary: feedbackId, groupId, raisedBy, occurredAt },
      recordedAt,
    );
  const responded = (
    feedbackId: string,
    responseId: string,
    outcome: string,
    occurredAt: string,
    recordedAt?: string,
  ) =>
    l.record(
      'FeedbackResponded',
      {
        feedbackId,
        responseId,
        outcome,
        rationale: outcome === 'not-adopted' ? 'cost' : null,
        decisionId: null,
        respondedBy: 'board',
        occurredAt,
      },
      recordedAt,
    );
  const decided = (
    groupId: string,
    decisionId: string,
    influencedBy: string[],
    occurredAt: string,
    recordedAt?: string,
  ) =>
    l.record(
      'DecisionRecorded',
      {
        groupId,
        decisionId,
        summary: decisionId,
        influencedBy,
        layMembersPresent: ['ann'],
        touchstoneVersion: null,
        meetingId: null,
        occurredAt,
      },
      recordedAt,
    );
  const reported = (feedbackId: string, occurredAt: string, recordedAt?: string) =>
    l.record('FeedbackReportedBack', { feedbackId, how: 'newsletter', occurredAt }, recordedAt);

  beforeEach(() => {
    l = ledgerFixture();
    l.record('ProgrammeLaunched', facts.programme('2013-10-01', ['Brent']));
    l.record('ProgrammeLaunched', {
      ...facts.programme('2013-10-02', []),
      programmeId: 'carers',
      name: 'Carers',
    });
    l.record('GroupEstablished', facts.group('forum', '2013-10-01', { kind: 'forum' }));
    l.record('GroupEstablished', facts.group('board', '2013-10-01'));
    l.record(
      'GroupEstablished',
      facts.group('carers-forum', '2013-10-03', { kind: 'forum', programmeId: 'carers' }),
    );
    for (const id of ['ann', 'bob'])
      l.record('PartnerNominated', facts.nominated(id, '2013-11-01'));
    l.record('PartnerNominated', facts.nominated('cat', '2013-11-01', { programmeId: 'carers' }));

    heard('fb-1', '2014-01-01', 'forum', 'ann');
    heard('fb-2', '2014-01-05', null, null, 'survey');
    heard('fb-3', '2014-01-07', 'carers-forum', 'cat');
    heard('fb-4', '2014-01-07', null, 'cat', 'survey');
    heard('fb-5', '2014-01-09', 'forum', 'bob');
    heard('fb-6', '2014-01-10', null, null, 'survey');
    // A decision recorded before the item it cites is heard (the item is recorded late).
    decided('carers-forum', 'd-0', ['fb-9'], '2014-01-11');
    heard('fb-9', '2014-01-08', 'forum', 'bob', 'forum', '2014-02-01');
    responded('fb-1', 'r-1', 'adopted', '2014-01-21');
    responded('fb-1', 'r-2', 'noted', '2014-02-01');
    // Backdated: responded on 10 January, recorded on 1 March, so the first response moves.
    responded('fb-1', 'r-0', 'adapted', '2014-01-10', '2014-03-01');
    responded('fb-3', 'r-3', 'not-adopted', '2014-01-20');
    responded('fb-4', 'r-4', 'adapted', '2014-02-10', '2014-04-01');
    responded('fb-5', 'r-5', 'noted', '2014-02-12');
    // The board cites forum and carers' feedback; the carers' forum cites anonymous fb-6.
    decided('board', 'd-1', ['fb-1'], '2014-01-20');
    decided('board', 'd-2', ['fb-3', 'fb-5', 'fb-2'], '2014-02-15');
    decided('carers-forum', 'd-3', ['fb-6'], '2014-02-20', '2014-03-10');
    decided('forum', 'd-4', ['fb-1', 'fb-5'], '2014-03-01');
    // Reported back on 1 March, recorded only on 1 May; another reported as it happened.
    reported('fb-1', '2014-03-01', '2014-05-01');
    reported('fb-3', '2014-02-25');
    reported('fb-5', '2014-06-01', '2014-06-02');
  });

  const filters = (): InfluenceFilter[] => {
    const programmes = [undefined, ...l.scopes.scopes()];
    const out: InfluenceFilter[] = [];
    for (const programme of programmes)
      for (const status of [undefined, 'open', 'responded', 'closed'] as Array<
        InfluenceStatus | undefined
      >)
        for (const other of [
          {},
          { groupId: 'forum' },
          { groupId: 'board' },
          { groupId: 'carers-forum' },
          { partnerId: 'ann' },
          { partnerId: 'cat' },
          { channel: 'survey' },
          { channel: 'forum', groupId: 'board' },
        ])
          out.push({
            ...other,
            ...(status ? { status } : {}),
            ...(programme ? { programme } : {}),
          });
    return out;
  };

  const agreeEverywhere = () => {
    const now = l.at('2100-01-01');
    for (const filter of filters()) {
      const kept = l.influence.list(now, filter);
      expect(kept).toEqual(l.influence.list(now, filter, undefined, undefined, 'facts'));
      // Page by page too: the same items, cursors and summaries.
      let cursor: string | null = null;
      do {
        const page = { limit: 2, cursor };
        const a = l.influence.list(now, filter, undefined, page);
        expect(a).toEqual(l.influence.list(now, filter, undefined, page, 'facts'));
        cursor = a.next;
      } while (cursor !== null);
      expect(l.influence.summaries(now, filter)).toEqual({
        counts: kept.counts,
        byGroup: kept.byGroup,
        byPartner: kept.byPartner,
      });
    }
  };

  it('answers "now" from the kept rows as folding every item does, for every filter', () => {
    const sample = l.influence.list(l.at('2100-01-01'));
    // The fixture exercises what it should: closed, responded and open items, spread decisions.
    expect(sample.counts.byStatus).toEqual({ open: 3, responded: 1, closed: 3 });
    expect(sample.byGroup.find((g) => g.groupId === 'board')).toMatchObject({
      heard: 0,
      decisionsCiting: 2,
    });
    const count = (sql: string) => (l.db.prepare(sql).get() as { n: number }).n;
    expect(count('SELECT count(*) AS n FROM inf_item')).toBe(7);
    // d-2 cites items of two holders (and statuses): counted on its own.
    expect(count('SELECT count(*) AS n FROM inf_decision_keys WHERE spread = 1')).toBe(1);
    agreeEverywhere();
  });

  it('keeps agreeing as facts arrive, and after a replay', () => {
    agreeEverywhere();
    responded('fb-6', 'r-6', 'adopted', '2014-01-12', '2014-07-01');
    reported('fb-6', '2014-07-01');
    decided('board', 'd-5', ['fb-4', 'fb-6'], '2013-12-31', '2014-07-02');
    heard('fb-7', '2013-12-01', 'carers-forum', null, 'survey', '2014-07-03');
    agreeEverywhere();
    l.replayAll();
    agreeEverywhere();
  });

  it('folds for a time point before the horizon (backdated and late facts)', () => {
    // Past times are not the kept rows' answer: fb-1 is not yet closed, fb-9 not yet known.
    const then = l.at('2014-04-01', '2014-02-15');
    const past = l.influence.list(then);
    expect(past).toEqual(l.influence.list(then, {}, undefined, undefined, 'facts'));
    expect(past.items.map((i) => i.feedbackId)).toEqual([
      'fb-1',
      'fb-2',
      'fb-3',
      'fb-4',
      'fb-9',
      'fb-5',
      'fb-6',
    ]);
    expect(past.items[0]).toMatchObject({ status: 'responded', daysToFirstResponse: 20 });
    expect(l.influence.list(l.at('2100-01-01')).items[0]).toMatchObject({
      status: 'closed',
      daysToFirstResponse: 9,
    });
  });

  it('a rebuild folds every item once, after the last event, to the rows kept per event', () => {
    // Moves that empty a tally (fb-6 leaves "open", d-2 its one holder and status) come first.
    responded('fb-6', 'r-6', 'adopted', '2014-01-12', '2014-07-01');
    reported('fb-6', '2014-07-01');
    decided('board', 'd-5', ['fb-4', 'fb-6'], '2013-12-31', '2014-07-02');
    heard('fb-7', '2013-12-01', 'carers-forum', null, 'survey', '2014-07-03');
    const kept = keptRows(l.db, 'inf_');
    expect(kept.inf_item).toHaveLength(8);
    for (const db of [
      bulkRebuild(l.events),
      // A replay that fails midway keeps what it committed, folded, and goes on per event.
      bulkRebuild(l.events, { abandonAfter: 20 }),
      bulkRebuild(l.events, { abandonAfter: l.events.length - 3 }),
    ]) {
      expect(keptRows(db, 'inf_')).toEqual(kept);
      const rebuilt = new InfluenceQueries(db);
      const now = l.at('2100-01-01');
      for (const filter of filters())
        expect(rebuilt.list(now, filter)).toEqual(
          l.influence.list(now, filter, undefined, undefined, 'facts'),
        );
      db.close();
    }
  });
});
