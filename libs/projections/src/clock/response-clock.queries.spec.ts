import { bulkRebuild, keptRows } from '../testing/bulk-rebuild.js';
import { facts, ledgerFixture, type LedgerFixture } from '../testing/ledger-fixture.js';
import { median, type ResponseClock } from './response-clock.queries.js';

const heard = (
  feedbackId: string,
  channel: string,
  occurredAt: string,
  groupId: string | null = 'forum',
) => ({
  feedbackId,
  channel,
  kind: 'concern',
  summary: `About ${feedbackId}`,
  groupId,
  raisedBy: null,
  occurredAt,
});
const responded = (
  feedbackId: string,
  responseId: string,
  outcome: string,
  occurredAt: string,
) => ({
  feedbackId,
  responseId,
  outcome,
  rationale: outcome === 'not-adopted' ? 'No budget' : null,
  decisionId: null,
  respondedBy: 'board',
  occurredAt,
});

describe('median', () => {
  it('is the middle value, or the mean of the middle two', () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([30, 10, 20])).toBe(20);
    expect(median([151, 59])).toBe(105);
    expect(median([1, 2, 3, 4])).toBe(2.5);
  });
});

describe('response clock (projection + queries)', () => {
  let l: LedgerFixture;
  const nwl = () => l.scopes.scopes(['nwl'])[0]!;

  beforeEach(() => {
    l = ledgerFixture();
    l.record('ProgrammeLaunched', facts.programme('2013-10-01', ['Brent', 'Ealing']));
    l.record('GroupEstablished', facts.group('forum', '2013-10-01', { kind: 'forum' }));
    l.record('GroupEstablished', facts.group('board', '2013-10-01'));
    l.record('ResponseTargetsSet', {
      programmeId: 'nwl',
      firstResponseDays: 28,
      reportBackDays: 91,
      occurredAt: '2013-12-01',
    });
    l.record('FeedbackHeard', heard('fb-1', 'forum', '2014-01-01'));
    l.record('FeedbackHeard', heard('fb-2', 'survey', '2014-01-10', null));
    l.record('DecisionRecorded', {
      groupId: 'board',
      decisionId: 'd-1',
      summary: 'Plain-English care plans',
      influencedBy: ['fb-1'],
      layMembersPresent: [],
      touchstoneVersion: null,
      meetingId: null,
      occurredAt: '2014-01-20',
    });
    l.record('FeedbackResponded', responded('fb-1', 'r-1', 'adopted', '2014-01-21'));
    l.record('FeedbackHeard', heard('fb-3', 'forum', '2014-02-01'));
    l.record('FeedbackResponded', responded('fb-2', 'r-2', 'not-adopted', '2014-02-09'));
    l.record('FeedbackResponded', responded('fb-3', 'r-3', 'noted', '2014-02-11'));
    l.record('FeedbackHeard', heard('fb-4', 'advisory-group', '2014-03-01'));
    l.record('FeedbackResponded', responded('fb-3', 'r-4', 'adapted', '2014-03-01'));
    // Reported back on 1 March, recorded only on 1 May.
    l.record(
      'FeedbackReportedBack',
      { feedbackId: 'fb-1', how: 'forum meeting', occurredAt: '2014-03-01' },
      '2014-05-01',
    );
    l.record('FeedbackReportedBack', {
      feedbackId: 'fb-2',
      how: 'newsletter',
      occurredAt: '2014-06-10',
    });
  });

  it('times each item: heard → first response → first decision citing it → reported back', () => {
    const clock = l.clock.clock(l.at('2014-12-31'), nwl());
    expect(clock.items.map((i) => i.feedbackId)).toEqual(['fb-1', 'fb-2', 'fb-3', 'fb-4']);
    const [fb1, fb2, fb3, fb4] = clock.items;
    expect(fb1).toMatchObject({
      source: 'forum',
      outcome: 'adopted',
      decisionId: 'd-1',
      decisionGroupId: 'board',
      days: { toFirstResponse: 20, toDecision: 19, toReportBack: 59, openFor: null },
      target: { firstResponseDays: 28, reportBackDays: 91 },
      withinTarget: { firstResponse: true, reportBack: true },
      openPastTarget: false,
    });
    expect(fb2).toMatchObject({
      source: 'survey',
      outcome: 'not-adopted',
      days: { toFirstResponse: 30, toDecision: null, toReportBack: 151 },
      withinTarget: { firstResponse: false, reportBack: false },
      openPastTarget: false,
    });
    // The latest response's outcome is the item's; still open, past the report-back target.
    expect(fb3).toMatchObject({
      outcome: 'adapted',
      days: { toFirstResponse: 10, toReportBack: null, openFor: 333 },
      withinTarget: { firstResponse: true, reportBack: false },
      openPastTarget: true,
    });
    expect(fb4).toMatchObject({
      outcome: null,
      withinTarget: { firstResponse: false, reportBack: false },
      openPastTarget: true,
    });
  });

  it('names the events behind every date by their $all position', () => {
    const [fb1] = l.clock.clock(l.at('2014-12-31'), nwl()).items;
    expect(fb1!.evidence).toEqual({
      target: '4',
      heard: '5',
      decision: '7',
      firstResponse: '8',
      reportedBack: '14',
    });
  });

  it('summarises per programme: medians per step and the share within target', () => {
    const { summary, targets } = l.clock.clock(l.at('2014-12-31'), nwl());
    expect(targets).toEqual({
      firstResponseDays: 28,
      reportBackDays: 91,
      setAt: '2013-12-01T23:59:59.999Z',
      position: '4',
    });
    expect(summary).toEqual({
      heard: 4,
      responded: 3,
      decided: 1,
      reportedBack: 2,
      openPastTarget: 2,
      medianDays: { firstResponse: 20, decision: 19, reportBack: 105 },
      firstResponse: { due: 4, withinTarget: 2, share: 0.5 },
      reportBack: { due: 4, withinTarget: 1, share: 0.25 },
      feedbackIds: ['fb-1', 'fb-2', 'fb-3', 'fb-4'],
      openPastTargetFeedbackIds: ['fb-3', 'fb-4'],
    });
  });

  it('breaks the figures down by source and by outcome', () => {
    const clock = l.clock.clock(l.at('2014-12-31'), nwl());
    const bySource = Object.fromEntries(clock.bySource.map((s) => [s.source, s]));
    expect(clock.bySource.map((s) => s.source)).toEqual([
      'forum',
      'advisory-group',
      'working-group',
      'survey',
      'individual',
    ]);
    expect(bySource.forum).toMatchObject({
      heard: 2,
      feedbackIds: ['fb-1', 'fb-3'],
      medianDays: { firstResponse: 15, decision: 19, reportBack: 59 },
      reportBack: { due: 2, withinTarget: 1, share: 0.5 },
    });
    expect(bySource['working-group']).toMatchObject({ heard: 0, medianDays: { reportBack: null } });
    const byOutcome = Object.fromEntries(clock.byOutcome.map((s) => [s.outcome, s.feedbackIds]));
    expect(byOutcome).toEqual({
      adopted: ['fb-1'],
      adapted: ['fb-3'],
      'not-adopted': ['fb-2'],
      noted: [],
      'no-response': ['fb-4'],
    });
  });

  it('answers as of a date, as known at a time', () => {
    // On 1 April, as then known: fb-1's report back (1 March) was recorded only on 1 May.
    const then = l.clock.clock(l.at('2014-04-01', '2014-04-01'), nwl());
    expect(then.items.map((i) => i.withinTarget)).toEqual([
      { firstResponse: true, reportBack: null },
      { firstResponse: false, reportBack: null },
      { firstResponse: true, reportBack: null },
      { firstResponse: false, reportBack: null },
    ]);
    expect(then.summary).toMatchObject({
      reportedBack: 0,
      openPastTargetFeedbackIds: ['fb-4'],
      medianDays: { firstResponse: 20, reportBack: null },
      reportBack: { due: 0, withinTarget: 0, share: null },
    });
    // The same date as known now: the report back counts.
    const now = l.clock.clock(l.at('2014-04-01'), nwl());
    expect(now.summary).toMatchObject({
      reportedBack: 1,
      medianDays: { reportBack: 59 },
      reportBack: { due: 1, withinTarget: 1, share: 1 },
    });
  });

  it('holds each item to the targets in force the day it was heard, backdated or not', () => {
    // New targets from 15 February, recorded on 1 June.
    l.record(
      'ResponseTargetsSet',
      { programmeId: 'nwl', firstResponseDays: 7, reportBackDays: 60, occurredAt: '2014-02-15' },
      '2014-06-01',
    );
    const targetsOf = (knownAt: string) =>
      l.clock
        .clock(l.at('2014-12-31', knownAt), nwl())
        .items.map((i) => [i.feedbackId, i.target?.firstResponseDays ?? null]);
    expect(targetsOf('2014-05-01')).toEqual([
      ['fb-1', 28],
      ['fb-2', 28],
      ['fb-3', 28],
      ['fb-4', 28],
    ]);
    expect(targetsOf('2100-01-01')).toEqual([
      ['fb-1', 28],
      ['fb-2', 28],
      ['fb-3', 28],
      ['fb-4', 7],
    ]);
    expect(l.clock.clock(l.at('2014-12-31'), nwl()).targets).toMatchObject({
      reportBackDays: 60,
      position: '16',
    });
  });

  it('does not judge feedback heard before any target was set', () => {
    l.record('FeedbackHeard', heard('fb-0', 'individual', '2013-11-01'));
    const [fb0] = l.clock.clock(l.at('2014-12-31'), nwl()).items;
    expect(fb0).toMatchObject({
      feedbackId: 'fb-0',
      target: null,
      withinTarget: { firstResponse: null, reportBack: null },
      openPastTarget: false,
      days: { openFor: 425 },
    });
  });

  it('counts the feedback heard in the period (from/to)', () => {
    const clock = l.clock.clock(l.at('2014-12-31'), nwl(), {
      from: '2014-01-05T00:00:00.000Z',
      to: '2014-02-28T00:00:00.000Z',
    });
    expect(clock.summary.feedbackIds).toEqual(['fb-2', 'fb-3']);
    expect(clock.summary.medianDays.firstResponse).toBe(20);
    expect(clock).toMatchObject({
      from: '2014-01-05T00:00:00.000Z',
      to: '2014-02-28T00:00:00.000Z',
    });
  });

  it('keeps programmes apart: each with its own feedback and targets', () => {
    l.record('ProgrammeLaunched', { ...facts.programme('2014-01-01', []), programmeId: 'carers' });
    l.record(
      'GroupEstablished',
      facts.group('carers-forum', '2014-01-01', { kind: 'forum', programmeId: 'carers' }),
    );
    l.record('FeedbackHeard', heard('fb-9', 'forum', '2014-02-01', 'carers-forum'));
    const [carers] = l.scopes.scopes(['carers']);
    const theirs = l.clock.clock(l.at('2014-12-31'), carers!);
    expect(theirs.targets).toBeNull();
    expect(theirs.summary).toMatchObject({
      feedbackIds: ['fb-9'],
      openPastTarget: 0,
      reportBack: { due: 0, share: null },
    });
    expect(l.clock.clock(l.at('2014-12-31'), nwl()).summary.feedbackIds).not.toContain('fb-9');
  });

  it('is the same after the events are applied again (a rebuild over a live store)', () => {
    const before = l.clock.clock(l.at('2014-12-31'), nwl());
    l.replayAll();
    expect(l.clock.clock(l.at('2014-12-31'), nwl())).toEqual(before);
  });

  it('answers "now" from the items kept per event, as folding the steps would', () => {
    // A second programme, with feedback raised by its partner and feedback cited by its group.
    l.record('ProgrammeLaunched', { ...facts.programme('2014-01-01', []), programmeId: 'carers' });
    l.record(
      'GroupEstablished',
      facts.group('carers-board', '2014-01-01', { programmeId: 'carers' }),
    );
    l.record('ResponseTargetsSet', {
      programmeId: 'carers',
      firstResponseDays: 14,
      reportBackDays: null,
      occurredAt: '2014-01-01',
    });
    l.record('FeedbackHeard', heard('fb-7', 'survey', '2014-02-03', 'carers-board'));
    l.record('FeedbackHeard', { ...heard('fb-8', 'individual', '2014-02-04', null) });
    l.record('DecisionRecorded', {
      groupId: 'carers-board',
      decisionId: 'd-9',
      summary: 'Respite leaflet',
      influencedBy: ['fb-8', 'fb-2'],
      layMembersPresent: [],
      touchstoneVersion: null,
      meetingId: null,
      occurredAt: '2014-03-03',
    });
    // A response backdated before the first one (recorded late): it is the first now.
    l.record('FeedbackResponded', responded('fb-3', 'r-0', 'deferred', '2014-02-05'), '2014-07-01');
    // A response recorded before its item was heard (out of order), and a late report back.
    l.record('FeedbackResponded', responded('fb-6', 'r-6', 'adopted', '2014-03-05'));
    l.record('FeedbackHeard', heard('fb-6', 'forum', '2014-03-02'), '2014-03-06');
    l.record(
      'FeedbackReportedBack',
      { feedbackId: 'fb-6', how: 'letter', occurredAt: '2014-03-20' },
      '2014-08-01',
    );
    // Targets set late and changed: backdated to 10 January, recorded in June, then changed.
    l.record(
      'ResponseTargetsSet',
      { programmeId: 'nwl', firstResponseDays: 10, reportBackDays: 30, occurredAt: '2014-01-10' },
      '2014-06-01',
    );
    l.record('ResponseTargetsSet', {
      programmeId: 'nwl',
      firstResponseDays: 21,
      reportBackDays: 45,
      occurredAt: '2014-03-01',
    });
    // The same decision applied twice (a replay) changes nothing.
    l.replayAll();
    const carers = l.scopes.scopes(['carers'])[0]!;
    const points = [
      l.at('2100-01-01'),
      l.at('2014-12-31'),
      l.at('2014-04-01'),
      l.at('2014-12-31', '2014-06-15'),
      l.at('2014-03-04', '2014-03-05'),
    ];
    const periods = [{}, { from: '2014-02-01T00:00:00.000Z', to: '2014-03-31T00:00:00.000Z' }];
    for (const at of points)
      for (const scope of [nwl(), carers, null])
        for (const period of periods) {
          const whole = l.clock.clock(at, scope, period, 'steps');
          expect(l.clock.clock(at, scope, period)).toEqual(whole);
          // What GRIPP2 cites, kept or folded, without the stories: the same as the whole clock's.
          const cited = {
            ...whole,
            items: whole.items.map((i) => ({
              evidence: i.evidence,
              openPastTarget: i.openPastTarget,
            })),
          };
          expect(l.clock.clockEvidence(at, scope, period)).toEqual(cited);
          expect(l.clock.clockEvidence(at, scope, period, 'steps')).toEqual(cited);
        }
    // Pages of two, kept or folded: the same pages, the whole list in order, summaries whole.
    for (const source of ['auto', 'steps'] as const) {
      const whole = l.clock.clock(l.at('2100-01-01'), null, {}, source);
      const pages: ResponseClock[] = [];
      let after: string[] | null = null;
      do {
        const page = l.clock.clockPage(l.at('2100-01-01'), null, {}, { limit: 2, after }, source);
        pages.push(page.clock);
        after = page.next;
      } while (after !== null);
      expect(pages.length).toBe(Math.ceil(whole.items.length / 2));
      expect(pages.flatMap((p) => p.items)).toEqual(whole.items);
      for (const page of pages) expect({ ...page, items: [] }).toEqual({ ...whole, items: [] });
    }
    // A rebuild folds every item once, after its last event, to the rows kept per event (and
    // a replay that fails midway keeps what it committed, folded, then goes on per event).
    for (const abandonAfter of [undefined, 12, l.events.length - 4]) {
      const db = bulkRebuild(l.events, abandonAfter === undefined ? {} : { abandonAfter });
      expect(keptRows(db, 'clk_')).toEqual(keptRows(l.db, 'clk_'));
      db.close();
    }
    // The kept rows are read when the time point sees every step: they alone give the answer.
    const kept = l.clock.clock(l.at('2100-01-01'), carers);
    l.db.exec('DELETE FROM clk_steps');
    expect(l.clock.clock(l.at('2100-01-01'), carers)).toEqual(kept);
    // fb-2 (no group, no raiser) is cited by a carers decision: it is theirs.
    expect(kept.summary.feedbackIds).toEqual(['fb-2', 'fb-7', 'fb-8']);
    expect(kept.items.find((i) => i.feedbackId === 'fb-8')).toMatchObject({
      decisionId: 'd-9',
      target: { firstResponseDays: 14 },
      withinTarget: { firstResponse: false, reportBack: null },
    });
    const ours = l.clock.clock(l.at('2100-01-01'), nwl());
    expect(ours.items.find((i) => i.feedbackId === 'fb-3')).toMatchObject({
      firstResponseAt: '2014-02-05T23:59:59.999Z',
      outcome: 'adapted',
    });
    expect(ours.items.find((i) => i.feedbackId === 'fb-6')).toMatchObject({
      firstResponseAt: '2014-03-05T23:59:59.999Z',
      target: { firstResponseDays: 21 },
    });
  });
});
