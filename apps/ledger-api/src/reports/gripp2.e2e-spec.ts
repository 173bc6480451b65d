import { gripp2Value, type Gripp2Document, type Gripp2Figure } from '@app/projections';
import { loadScenario, readScenario } from '../../../../demo/load-demo.mjs';
import { CARERS, carersScenario } from '../../../../test/support/carers-scenario.js';
import {
  startTestLedger,
  TEST_KEYS,
  type TestLedger,
} from '../../../../test/support/test-ledger.js';

const NWL = 'nwl-wsic';
const FILLED = ['4b', '4c', '4d', '5b', '6'];

const figureOf = (doc: Gripp2Document, item: string, key: string): Gripp2Figure => {
  const found = doc.longForm.find((i) => i.id === item)?.figures.find((f) => f.key === key);
  if (!found) throw new Error(`no figure ${item}.${key}`);
  return found;
};
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The GRIPP2 report over the NWL demo, and a second programme loaded beside it. */
describe('the GRIPP2 report (NWL demo)', () => {
  let ledger: TestLedger;
  let position: number;
  /** Record time after the NWL demo, before the second programme was loaded. */
  let beforeCarers: string;

  const get = async (path: string, query: Record<string, string>, role = 'auditor' as const) =>
    ledger
      .http(role)
      .get(path)
      .query({ minPosition: String(position), ...query });
  const report = async (
    query: Record<string, string> = {},
    role: 'auditor' | 'evaluator' = 'auditor',
  ) =>
    (
      await ledger
        .http(role)
        .get('/v1/reports/gripp2')
        .query({ minPosition: String(position), programmeId: NWL, ...query })
        .expect(200)
    ).body as Gripp2Document;

  beforeAll(async () => {
    ledger = await startTestLedger();
    await ledger.app.listen(0, '127.0.0.1');
    const result = await loadScenario({
      baseUrl: await ledger.app.getUrl(),
      apiKey: TEST_KEYS['programme-office'],
      scenario: readScenario(),
    });
    position = result.position!;
    beforeCarers = new Date().toISOString();
    const carers = await loadScenario({
      baseUrl: await ledger.app.getUrl(),
      apiKey: TEST_KEYS['programme-office'],
      scenario: carersScenario(),
      keyPrefix: 'carers',
    });
    position = Math.max(position, carers.position!);
  }, 300_000); // the NWL scenario over HTTP: minutes on a loaded 2-core machine
  afterAll(() => ledger.destroy());

  it('fills 4b, 4c, 4d, 5b and 6 from the ledger and leaves the other items to the evaluator', async () => {
    const doc = await report();
    expect(doc.programmeId).toBe(NWL);
    expect(doc.longForm.filter((i) => i.source === 'ledger').map((i) => i.id)).toEqual(FILLED);
    for (const item of doc.longForm) {
      if (FILLED.includes(item.id)) {
        expect(item.figures.length).toBeGreaterThan(0);
        const keys = item.figures.map((f) => f.key);
        expect(new Set(keys).size).toBe(keys.length);
        continue;
      }
      expect(item.figures).toEqual([]);
      expect(item.basis).toMatch(/not recorded in the ledger — to be written by the evaluator/i);
    }
    expect(doc.longForm.map((i) => i.section.split(' ')[0])).toEqual(
      expect.arrayContaining(['1', '2', '3', '4', '5', '6', '7', '8', '9']),
    );
    expect(doc.shortForm.map((i) => i.id)).toEqual(['1', '2', '3', '4', '5']);
    // Methods: 4b–4d from the ledger, 4a (design) the evaluator's.
    expect(doc.shortForm.find((i) => i.id === '2')).toMatchObject({
      source: 'partly-ledger',
      fromLedger: ['4b', '4c', '4d'],
    });
    expect(doc.shortForm.find((i) => i.id === '5')).toMatchObject({ source: 'evaluator' });
    expect(doc.readPosition).toBeGreaterThanOrEqual(position);
    expect(doc.digest.position).toBeGreaterThanOrEqual(doc.readPosition!);
    // Non-empty on the demo: recruitment, seats, feedback, hours and money.
    for (const [item, key] of [
      ['4b', 'layPartnersAppointed'],
      ['4b', 'seatsByConstituency'],
      ['4c', 'meetingsHeld'],
      ['4d', 'coChairsByConstituency'],
      ['5b', 'heard'],
      ['6', 'hoursAttended'],
      ['6', 'expensesClaimedPence'],
    ] as const)
      expect(figureOf(doc, item, key).value).toBeGreaterThan(0);
  });

  it('gives the figures the other reports give, and each figure’s query answers', async () => {
    const doc = await report({ asOf: '2015-06-30' });
    const at = { programmeId: NWL, asOf: '2015-06-30' };
    const funnel = (await get('/v1/reports/recruitment-funnel', at)).body as {
      byOrganisationKind: Array<{ stages: Array<{ stage: string; count: number }> }>;
    };
    const stage = (name: string) =>
      sum(funnel.byOrganisationKind.map((r) => r.stages.find((s) => s.stage === name)!.count));
    expect(figureOf(doc, '4b', 'layPartnersNominated').value).toBe(stage('nominated'));
    expect(figureOf(doc, '4b', 'layPartnersAppointed').value).toBe(stage('appointed'));
    expect(figureOf(doc, '4b', 'layPartnersActive').value).toBe(stage('active'));

    const governance = (await get('/v1/governance', at)).body as {
      groups: Array<{ seats: unknown[]; coChairs: unknown[] }>;
    };
    expect(figureOf(doc, '4b', 'seatsByConstituency').value).toBe(
      sum(governance.groups.map((g) => g.seats.length)),
    );
    expect(figureOf(doc, '4d', 'coChairsByConstituency').value).toBe(
      sum(governance.groups.map((g) => g.coChairs.length)),
    );

    const elections = (await get('/v1/groups/embedding-partnerships/elections', { asOf: at.asOf }))
      .body as { elections: Array<{ outcome: string | null }> };
    expect(figureOf(doc, '4d', 'coChairElections:embedding-partnerships')).toMatchObject({
      value: elections.elections.length,
      breakdown: { elected: 1 },
    });

    const representation = (await get('/v1/reports/representation', at)).body as {
      groups: Array<{ filled: number; min: number }>;
      belowMinimum: string[];
    };
    expect(figureOf(doc, '4d', 'laySeatsFilled').value).toBe(
      sum(representation.groups.map((g) => g.filled)),
    );
    expect(figureOf(doc, '4d', 'groupsBelowMinimum').value).toBe(
      representation.belowMinimum.length,
    );

    const participation = (await get('/v1/reports/participation', at)).body as {
      groups: Array<{ meetingsHeld: number }>;
    };
    expect(figureOf(doc, '4c', 'meetingsHeld').value).toBe(
      sum(participation.groups.map((g) => g.meetingsHeld)),
    );

    const clock = (await get('/v1/reports/response-clock', at)).body as {
      summary: Record<string, number>;
    };
    for (const key of ['heard', 'responded', 'decided', 'reportedBack', 'openPastTarget'])
      expect(figureOf(doc, '5b', key).value).toBe(clock.summary[key]);
    const influence = (await get('/v1/influence', at)).body as {
      items: unknown[];
      counts: { byOutcome: Record<string, number>; byStatus: Record<string, number> };
    };
    expect(figureOf(doc, '5b', 'heard').value).toBe(influence.items.length);
    expect(figureOf(doc, '5b', 'reportedBack').value).toBe(influence.counts.byStatus.closed);
    expect(figureOf(doc, '5b', 'responsesByOutcome').breakdown).toEqual(influence.counts.byOutcome);

    const cost = (await get('/v1/reports/involvement-cost', at)).body as {
      totals: Record<string, number>;
    };
    for (const key of [
      'partners',
      'meetingsAttended',
      'hoursAttended',
      'expensesClaimedPence',
      'expensesReimbursedPence',
      'paymentsMade',
      'paymentsMadePence',
      'paymentsDeclined',
      'paymentsDeclinedPence',
    ])
      expect(figureOf(doc, '6', key).value).toBe(cost.totals[key]);

    // Every figure names a report query that answers for the same programme and time point.
    const queries = new Set(doc.longForm.flatMap((i) => i.figures.map((f) => f.query)));
    for (const query of queries) {
      const response = await ledger.http('auditor').get(query);
      expect({ query, status: response.status }).toEqual({ query, status: 200 });
      expect(query).toMatch(/asOf=2015-06-30T23%3A59%3A59\.999Z/);
    }
  });

  it('changes with asOf and knownAt', async () => {
    const early = await report({ asOf: '2013-12-31' });
    const later = await report({ asOf: '2015-06-30' });
    expect(figureOf(early, '5b', 'heard').value).toBeLessThan(
      figureOf(later, '5b', 'heard').value!,
    );
    expect(figureOf(early, '4c', 'meetingsHeld').value).toBeLessThan(
      figureOf(later, '4c', 'meetingsHeld').value!,
    );
    expect(early.asOf).toBe('2013-12-31T23:59:59.999Z');
    // Before anything was recorded, the ledger knew nothing of the programme's facts.
    const before = await report({ knownAt: '2020-01-01' });
    expect(figureOf(before, '4b', 'layPartnersNominated').value).toBe(0);
    expect(figureOf(before, '5b', 'heard').value).toBe(0);
    expect(figureOf(before, '6', 'hoursAttended').value).toBe(0);
    // The second programme as known before it was loaded: empty; now: its own facts.
    const carersBefore = await report({ programmeId: CARERS, knownAt: beforeCarers });
    expect(figureOf(carersBefore, '5b', 'heard').value).toBe(0);
    const carersNow = await report({ programmeId: CARERS });
    expect(figureOf(carersNow, '5b', 'heard').value).toBe(1);
  });

  it('keeps programmes apart: the second programme changes nothing in the first', async () => {
    const figures = (doc: Gripp2Document) =>
      doc.longForm.flatMap((i) => i.figures.map((f) => [`${i.id}.${f.key}`, f.value, f.breakdown]));
    const nwlBefore = await report({ knownAt: beforeCarers });
    const nwlNow = await report();
    expect(figures(nwlNow)).toEqual(figures(nwlBefore));
    const carers = await report({ programmeId: CARERS });
    expect(carers.programmeName).toBe('Camden and Islington Carers Partnership');
    expect(figureOf(carers, '4b', 'laySeatsByBorough').breakdown).toEqual(
      expect.objectContaining({ Camden: expect.any(Number) }),
    );
    expect(Object.keys(figureOf(carers, '4c', 'meetingsHeld').breakdown ?? {})).not.toContain(
      'programme-board',
    );
    for (const query of carers.longForm.flatMap((i) => i.figures.map((f) => f.query)))
      expect(query).toMatch(new RegExp(`programmeId=${CARERS}|/v1/programmes/${CARERS}\\?`));

    const auditor = ledger.http('auditor');
    const none = await auditor.get('/v1/reports/gripp2').expect(422);
    expect(none.body.code).toBe('programme_required');
    expect((await auditor.get('/v1/reports/gripp2?programmeId=nope').expect(404)).body.code).toBe(
      'programme_not_found',
    );
    const md = await auditor.get('/v1/reports/gripp2.md?programmeId=nope').expect(404);
    expect(md.body.code).toBe('programme_not_found');
    expect(
      (await auditor.get(`/v1/reports/gripp2?programmeId=${NWL}&asOf=2014-02-30`).expect(400)).body
        .code,
    ).toBe('invalid_time');
    expect(
      (
        await auditor
          .get(`/v1/reports/gripp2.html?programmeId=${NWL}&from=2015-01-01&to=2014-01-01`)
          .expect(400)
      ).body.code,
    ).toBe('invalid_range');
    expect(
      (await auditor.get(`/v1/reports/gripp2?programmeId=${NWL}&since=2014-01-01`).expect(400)).body
        .code,
    ).toBe('unknown_parameter');
  });

  it('names no one to evaluators: no names, no partner or office-chosen ids, in JSON, Markdown or HTML', async () => {
    const partners = (await get('/v1/partners', { programmeId: NWL })).body as {
      partners: Array<{ partnerId: string; name: string }>;
    };
    expect(partners.partners.length).toBeGreaterThan(20);
    // Counts only: evaluators get the very report auditors get, nothing scrubbed away.
    const at = { asOf: '2015-12-31', knownAt: new Date().toISOString() };
    const mine = await report(at, 'evaluator');
    const auditors = await report(at);
    expect(mine.longForm).toEqual(auditors.longForm);
    expect(mine.shortForm).toEqual(auditors.shortForm);
    expect(mine.longForm.every((item) => item.basis.length > 0)).toBe(true);
    const json = JSON.stringify(mine);
    const query = { minPosition: String(position), programmeId: NWL };
    const md = (
      await ledger.http('evaluator').get('/v1/reports/gripp2.md').query(query).expect(200)
    ).text;
    const html = (
      await ledger.http('evaluator').get('/v1/reports/gripp2.html').query(query).expect(200)
    ).text;
    for (const text of [json, md, html]) {
      for (const p of partners.partners) {
        expect(text).not.toContain(p.name);
        expect(text).not.toMatch(new RegExp(`[^A-Za-z0-9-]${p.partnerId}[^A-Za-z0-9-]`));
      }
      // Feedback, seat, claim and payment ids are the office's own; none is answered.
      expect(text).not.toMatch(/\bfb-|claim-|"(seatId|feedbackId|claimId|partnerId)"/);
    }
  });

  it('exports the same figures as Markdown and HTML, with the right headers', async () => {
    const query = { minPosition: String(position), programmeId: NWL, asOf: '2015-06-30' };
    const doc = await report({ asOf: '2015-06-30' });
    const md = await ledger.http('auditor').get('/v1/reports/gripp2.md').query(query).expect(200);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.headers['content-disposition']).toBe(
      `attachment; filename="gripp2-${NWL}-2015-06-30.md"`,
    );
    const html = await ledger
      .http('auditor')
      .get('/v1/reports/gripp2.html')
      .query(query)
      .expect(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.headers['content-disposition']).toBe(
      `inline; filename="gripp2-${NWL}-2015-06-30.html"`,
    );
    expect(md.text).toContain(`# GRIPP2 report — ${doc.programmeName} (${NWL})`);
    expect(html.text).toMatch(/^<!doctype html>/);
    for (const item of doc.longForm) {
      expect(md.text).toContain(`#### ${item.id} ${item.topic}`);
      expect(html.text).toContain(`id="item-${item.id}"`);
      for (const figure of item.figures) {
        const value = gripp2Value(figure);
        expect(md.text).toContain(`| ${value} |`);
        const row = new RegExp(`<tr data-figure="${item.id}\\.${figure.key}">.*?</tr>`).exec(
          html.text,
        );
        expect(row?.[0]).toContain(`<td>${value.replaceAll('&', '&amp;')}</td>`);
      }
    }
    expect(md.text).toContain(doc.digest.hash);
    expect(html.text).toContain(doc.digest.signature);
  });

  it('links every figure to its evidence: the audit query holds the positions, and the digest verifies', async () => {
    const doc = await report({ asOf: '2015-06-30' });
    const auditor = ledger.http('auditor');
    const checked = new Map<string, Set<number>>();
    for (const figure of doc.longForm.flatMap((i) => i.figures)) {
      const url = figure.evidence.auditQuery;
      let found = checked.get(url);
      if (!found) {
        const events: Array<{ position: number }> = [];
        for (let from = '0'; ;) {
          const page = await auditor.get(`${url}&fromPosition=${from}&limit=10000`).expect(200);
          events.push(...(page.body.events as Array<{ position: number }>));
          if (page.body.next === null || page.body.next === undefined) break;
          from = String(page.body.next);
        }
        found = new Set(events.map((e) => Number(e.position)));
        checked.set(url, found);
      }
      if (figure.value !== null && figure.value > 0 && figure.unit !== 'share')
        expect({ url, events: found.size > 0 }).toEqual({ url, events: true });
      for (const p of figure.evidence.positions ?? [])
        expect({ figure: figure.key, position: p, found: found.has(p) }).toEqual({
          figure: figure.key,
          position: p,
          found: true,
        });
    }
    expect(figureOf(doc, '5b', 'heard').evidence.positions!.length).toBe(
      figureOf(doc, '5b', 'heard').value,
    );
    expect(figureOf(doc, '6', 'hoursAttended').evidence.positions!.length).toBeGreaterThan(0);
    const verify = await auditor.get(doc.digest.verifyQuery).expect(200);
    expect(verify.body).toMatchObject({ ok: true, position: doc.digest.position });
    const digest = await auditor.get('/v1/audit/digest').expect(200);
    expect(digest.body.keyId).toBe(doc.digest.keyId);
    expect(digest.body.publicKey).toBe(doc.digest.publicKey);
  });
});
