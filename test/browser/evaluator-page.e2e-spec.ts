import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type BrowserServer, type Page } from 'playwright-core';
import { loadScenario, readScenario, type Scenario } from '../../demo/load-demo.mjs';
import { axeSource, describeWithBrowser, startChromium, within } from '../support/chromium.js';
import { startTestLedger, TEST_KEYS, type TestLedger } from '../support/test-ledger.js';

const ARTIFACTS = join(import.meta.dirname, '../artifacts');

/** A second programme beside NWL in the same ledger: one board with one lay partner on it. */
const SECOND = { programmeId: 'riverside-youth', name: 'Riverside Youth Voice' };
function secondProgramme(): Scenario {
  const steps: Scenario['steps'] = [];
  const step = (description: string, path: string, body: Record<string, unknown>) =>
    steps.push({ description, method: 'POST', path, body });
  step('Riverside programme launched', '/v1/programmes', {
    ...SECOND,
    boroughs: ['Hackney'],
    occurredAt: '2014-02-01T00:00:00.000Z',
  });
  step('Riverside board', '/v1/groups', {
    groupId: 'ry-board',
    programmeId: SECOND.programmeId,
    name: 'Riverside Youth Board',
    kind: 'programme-board',
    level: 'programme',
    parentGroupId: null,
    cadence: 'monthly',
    laySeats: { min: 1, max: 2 },
    coChairConstituencies: [],
    occurredAt: '2014-02-03T00:00:00.000Z',
  });
  step('A young person nominated', '/v1/partners/nominations', {
    partnerId: 'ry-01',
    name: 'Zara Okonkwo',
    nominatedBy: { organisation: 'Hackney Youth Hub', organisationKind: 'charity' },
    campaign: 'riverside-2014',
    programmeId: SECOND.programmeId,
    occurredAt: '2014-02-05T00:00:00.000Z',
  });
  step('Interest', '/v1/partners/ry-01/interest', { occurredAt: '2014-02-10T00:00:00.000Z' });
  step('Appointed', '/v1/partners/ry-01/appointment', {
    body: 'advisory-group',
    occurredAt: '2014-02-15T00:00:00.000Z',
  });
  step('Seated on the board', '/v1/groups/ry-board/seats', {
    seatId: 'ry-board-lay-1',
    partnerId: 'ry-01',
    constituency: 'lay',
    occurredAt: '2014-02-20T00:00:00.000Z',
  });
  return { ...readScenario(), name: 'riverside', steps };
}

/**
 * The page evaluators and auditors use, in real headless Chromium (Debian's
 * package; .ci/run installs it): the NWL demo loaded through the API, the
 * slider moved to a date, the right members shown, the influence ledger
 * opened, screenshots saved under test/artifacts/, and an axe-core check.
 * A second, small programme shares the ledger: the page shows one at a time.
 */
const IMAGES = join(import.meta.dirname, '../../docs/images');
const PROGRAMME = 'nwl-wsic';
const WIDE = { width: 1440, height: 1000 };
const NARROW = { width: 390, height: 844 };

/** The date as the page writes it (en-GB, UTC): 31 August 2014. */
const longDate = (iso: string) =>
  new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
/** dd/mm/yyyy hh:mm:ss.sss, as a person would type an instant into the page. */
const typed = (iso: string) => {
  const [date, time] = iso.split('T') as [string, string];
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y} ${time.replace('Z', '')}`;
};

type Body = Record<string, unknown>;
interface Group {
  groupId: string;
  name: string;
  laySeats: { filled: number; min: number; max: number; belowMinimum: boolean };
}
interface Gripp2Figure {
  key: string;
  label: string;
  value: number | null;
  unit: string;
  query: string;
}
interface Gripp2 {
  longForm: Array<{ id: string; source: 'ledger' | 'evaluator'; figures: Gripp2Figure[] }>;
  shortForm: Array<{ id: string }>;
  digest: { position: number | null; hash: string };
}
interface Tenure {
  partnerId: string;
  partnerName: string | null;
  role: string;
  constituency: string;
  to: string | null;
}

/**
 * The page evaluators and auditors use, in real headless Chromium (Debian's
 * package; .ci/run installs it): the NWL demo loaded through the API (two
 * waves, so "as the record stood" has something to show), a second small
 * programme beside it, every view drawn, its figures checked against the API
 * the page reads, axe-core at 1440 and 390 px, no sideways scrolling on a
 * phone, no console errors. Screenshots go to docs/images/ (the README shows
 * them) and test/artifacts/.
 */
describeWithBrowser('the evaluator page in headless Chromium', () => {
  let ledger: TestLedger;
  let server: BrowserServer;
  let browser: Browser;
  let url: string;
  let firstRecordedUntil: string;
  const contexts: BrowserContext[] = [];
  const unscoped: string[] = [];
  const consoleErrors: string[] = [];

  /** A read as `role`, as the page would make it. */
  async function read<T = Body>(
    path: string,
    role: 'auditor' | 'evaluator' = 'evaluator',
  ): Promise<T> {
    const response = await ledger.http(role).get(path);
    expect(response.status).toBe(200);
    return response.body as T;
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    mkdirSync(IMAGES, { recursive: true });
    // A fixed pseudonym secret: the screenshots in docs/images show the same pseudonyms every run.
    ledger = await startTestLedger(undefined, {
      LEDGER_PSEUDONYM_KEY: 'evaluator-page-screenshots-fixed-pseudonym-secret',
    });
    await ledger.app.listen(0, '127.0.0.1');
    url = await ledger.app.getUrl();
    const loaded = await loadScenario({
      baseUrl: url,
      apiKey: TEST_KEYS['programme-office'],
      scenario: readScenario(),
    });
    firstRecordedUntil = loaded.firstRecordedUntil!;
    await loadScenario({
      baseUrl: url,
      apiKey: TEST_KEYS['programme-office'],
      scenario: secondProgramme(),
      keyPrefix: 'riverside',
    });
    ({ server, browser } = await startChromium());
  }, 240_000); // the NWL scenario over HTTP, then Chromium: minutes on a loaded 2-core machine
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    expect(unscoped.splice(0)).toEqual([]);
    expect(consoleErrors.splice(0)).toEqual([]);
  });
  afterAll(async () => {
    // Each step is bounded: the process of a browser that will not close is killed, and a
    // ledger that will not close is reported (loudly) rather than failing tests that passed.
    await within(10_000, browser?.close());
    await server?.kill();
    if ((await within(30_000, ledger?.destroy())) === 'timeout') {
      // What still holds it, for the next time this happens (it has, rarely, under full CI load).
      const connections = await new Promise<number>((resolve) =>
        ledger.app.getHttpServer().getConnections((_, count) => resolve(count)),
      );
      process.stderr.write(
        `WARNING: the evaluator-page ledger did not close within 30 s; ${connections} open ` +
          `HTTP connection(s); active resources: ${process.getActiveResourcesInfo().join(', ')}\n`,
      );
    }
  }, 60_000);

  async function signIn(role: 'auditor' | 'evaluator', viewport = WIDE): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'en-GB' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(20_000); // a busy machine; waits end as soon as the page is ready
    // Every aggregate read names its programme: the page never sees the several-programmes shape.
    page.on('response', (response) => {
      const address = new URL(response.url());
      if (response.status() >= 400)
        consoleErrors.push(`${response.status()} ${address.pathname}${address.search}`);
      if (!/^\/v1\/(governance|influence|reports\/)/.test(address.pathname)) return;
      if (!address.searchParams.get('programmeId'))
        unscoped.push(`${address.pathname} asked without programmeId`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(url);
    await page.getByLabel('API key (auditor or evaluator)').fill(TEST_KEYS[role]);
    await page.getByRole('button', { name: 'Open the ledger' }).click();
    await page.getByText(`Signed in as ${role}`).waitFor();
    await page.locator('#governance .group-box, #governance .empty').first().waitFor();
    return page;
  }

  /** Types a date into the as-of field (dd/mm/yyyy), as a person on an en-GB page would. */
  async function setAsOf(page: Page, date: string): Promise<void> {
    const [d, m, y] = date.split('/');
    const label = longDate(`${y}-${m}-${d}T00:00:00Z`);
    await page.getByLabel('Date', { exact: true }).fill(date);
    await page.getByLabel('Date', { exact: true }).press('Enter');
    await page.locator('#as-of-label', { hasText: label }).waitFor();
  }

  async function setKnownAt(page: Page, text: string): Promise<void> {
    await page.getByLabel('As the record stood on').fill(text);
    await page.getByLabel('As the record stood on').press('Enter');
  }

  async function axe(page: Page): Promise<string[]> {
    if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeSource);
    return page.evaluate(async () => {
      const result = await (
        globalThis as unknown as {
          axe: {
            run(): Promise<{
              violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>;
            }>;
          };
        }
      ).axe.run();
      return result.violations.map(
        (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      );
    });
  }

  /** axe at 1440 and at 390 px, and no sideways scrolling of the page on a phone. */
  async function checkLayouts(page: Page, view: string): Promise<void> {
    expect({ view, width: 1440, violations: await axe(page) }).toEqual({
      view,
      width: 1440,
      violations: [],
    });
    await page.setViewportSize(NARROW);
    const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
    expect({ view, scrollWidth, overflows: scrollWidth > 390 }).toMatchObject({ overflows: false });
    expect({ view, width: 390, violations: await axe(page) }).toEqual({
      view,
      width: 390,
      violations: [],
    });
    await page.setViewportSize(WIDE);
  }

  const cellAfter = (page: Page, table: string, rowHead: string) =>
    page
      .locator(`${table} tbody tr`)
      .filter({ has: page.locator('th', { hasText: rowHead }) })
      .first()
      .locator('td')
      .first()
      .textContent();

  it('moves through the programme’s own period: the lay seats on GP Networks change', async () => {
    const page = await signIn('auditor');
    const [march, august] = await Promise.all(
      ['2014-03-31', '2014-08-31'].map(async (day) => {
        const { groups } = await read<{ groups: Group[] }>(
          `/v1/governance?programmeId=${PROGRAMME}&asOf=${day}T23:59:59.999Z`,
          'auditor',
        );
        return groups.find((g) => g.groupId === 'gp-networks')!.laySeats;
      }),
    );
    // The withdrawal in July 2014 left GP Networks below its lay minimum until a replacement came.
    expect(august!.filled).toBeLessThan(march!.filled);
    const gp = page.locator('article[data-group="gp-networks"]');
    await setAsOf(page, '31/03/2014');
    await gp.getByText(`Lay seats ${march!.filled} of ${march!.min}–${march!.max}`).waitFor();
    await page
      .locator('[data-group="programme-board"]')
      .getByText('Aisha Da Silva')
      .first()
      .waitFor();
    await setAsOf(page, '31/08/2014');
    await gp.getByText(`Lay seats ${august!.filled} of`).waitFor();
    await gp.getByText(`below the minimum of ${august!.min}`).waitFor();
    expect(await gp.getAttribute('class')).toContain('below');

    // The slider spans the programme, not the years since: Home is the quarter it began in,
    // Page Up a month on, an arrow a day on.
    const { programmes } = await read<{
      programmes: Array<{ programmeId: string; launchedAt: string }>;
    }>('/v1/programmes');
    const launched = new Date(programmes.find((p) => p.programmeId === PROGRAMME)!.launchedAt);
    const first = Date.UTC(
      launched.getUTCFullYear(),
      Math.floor(launched.getUTCMonth() / 3) * 3,
      1,
    );
    const slider = page.getByLabel(/^As of/);
    await slider.focus();
    await page.keyboard.press('Home');
    expect(await slider.getAttribute('aria-valuetext')).toBe(
      longDate(new Date(first).toISOString()),
    );
    await page.keyboard.press('PageUp');
    const nextMonth = new Date(first);
    nextMonth.setUTCMonth(nextMonth.getUTCMonth() + 1);
    expect(await slider.getAttribute('aria-valuetext')).toBe(longDate(nextMonth.toISOString()));
    await page.keyboard.press('ArrowRight');
    expect(await slider.getAttribute('aria-valuetext')).toBe(
      longDate(new Date(nextMonth.getTime() + 86_400_000).toISOString()),
    );
    await page.keyboard.press('End');
    expect(await slider.getAttribute('aria-valuetext')).toMatch(/^today/);
    expect(await page.locator('#as-of-ticks').innerText()).toMatch(/2014[\s\S]*2015[\s\S]*today/);

    // A date that is not one is refused in words, and the page stays where it was.
    await page.getByLabel('Date', { exact: true }).fill('31/02/2014');
    await page.getByLabel('Date', { exact: true }).press('Enter');
    await page.getByText('“31/02/2014” is not a date').waitFor();
  }, 120_000);

  it('shows the record as it stood: the late-recorded withdrawal, and nothing before recording', async () => {
    const page = await signIn('auditor');
    await setAsOf(page, '01/10/2014');
    const gp = page.locator('article[data-group="gp-networks"]');
    await gp.getByText('Aisha Fitzgerald').first().waitFor();
    await setKnownAt(page, typed(firstRecordedUntil));
    await gp.getByText('Elena Fitzgerald').first().waitFor();
    expect(await gp.innerText()).not.toContain('Aisha Fitzgerald');
    await page
      .getByText(/as the record stood on/)
      .first()
      .waitFor();

    await setKnownAt(page, '01/01/2000');
    await page
      .getByText(
        'The ledger did not yet know of any groups on 1 January 2000 (as the record stood then).',
      )
      .waitFor();
    for (const [tab, what] of [
      ['Tenures', 'Programme Board'],
      ['Representation', 'any groups'],
      ['Recruitment', 'any nominations'],
      ['Influence', 'any feedback'],
    ] as const) {
      await page.getByRole('tab', { name: tab }).click();
      await page
        .locator('[role="tabpanel"]:not([hidden])')
        .getByText(
          `The ledger did not yet know of ${what} on 1 January 2000 (as the record stood then).`,
        )
        .waitFor();
    }
    await page.getByRole('tab', { name: 'Governance' }).click();
    await page.getByRole('button', { name: 'Everything recorded' }).click();
    await gp.getByText('Aisha Fitzgerald').first().waitFor();
  }, 120_000);

  it('shows evaluators pseudonyms, never names', async () => {
    const page = await signIn('evaluator');
    await setAsOf(page, '31/03/2014');
    await page.locator('[data-group="programme-board"]').first().waitFor();
    const text = await page.locator('#governance').innerText();
    expect(text).toMatch(/P-[A-Za-z0-9_-]{12}/);
    expect(text).not.toContain('Aisha Da Silva');
  }, 60_000);

  describe('each view, as an evaluator on 31 August 2014', () => {
    let page: Page;
    beforeAll(async () => {
      page = await signIn('evaluator');
      contexts.splice(contexts.indexOf(page.context()), 1); // kept for every test of this block
      await setAsOf(page, '31/08/2014');
    }, 120_000);
    afterAll(async () => {
      await page?.context().close();
    });

    async function open(tab: string, ready: string): Promise<void> {
      await page.getByRole('tab', { name: tab }).click();
      await page.locator(ready).first().waitFor();
    }
    const shoot = (name: string) =>
      page.screenshot({ path: join(IMAGES, `${name}.png`), fullPage: true });

    it('governance: the board and its groups as boxes, the Forum summarised', async () => {
      await open('Governance', '#governance .group-box');
      const { groups } = await read<{ groups: Group[] }>(
        `/v1/governance?programmeId=${PROGRAMME}&asOf=2014-08-31T23:59:59.999Z`,
      );
      expect(await page.locator('#governance article.group-box').count()).toBe(groups.length);
      const board = groups.find((g) => g.groupId === 'programme-board')!;
      expect(await cellAfter(page, '.lay-seat-table', board.name)).toBe(
        String(board.laySeats.filled),
      );
      const forum = groups.find((g) => g.groupId === 'lay-forum')!;
      const summary = page.locator('[data-group="lay-forum"] details summary');
      expect(await summary.innerText()).toContain(`${forum.laySeats.filled} members`);
      expect(await page.locator('[data-group="lay-forum"] .members').isVisible()).toBe(false);
      await shoot('governance-1440');
      await checkLayouts(page, 'governance');
      await page.setViewportSize(NARROW);
      await page.evaluate('window.scrollTo(0, 0)');
      await page.locator('[role="tab"][aria-selected="true"]').blur();
      await page.screenshot({ path: join(IMAGES, 'governance-390.png'), fullPage: false });
      await page.setViewportSize(WIDE);
    }, 120_000);

    it('tenures: a Gantt chart, a successor on the row of the one who left, bars reachable by keyboard', async () => {
      await open('Tenures', '#tenures svg.gantt');
      // GP Networks: a lay partner withdrew, and her successor's term follows on the same row.
      await page.getByLabel('Group', { exact: true }).selectOption('gp-networks');
      await page.locator('#tenures svg.gantt[aria-label*="GP Networks"]').waitFor();
      const { tenures } = await read<{ tenures: Tenure[] }>('/v1/groups/gp-networks/tenures');
      expect(await page.locator('#tenures svg.gantt .bar').count()).toBe(tenures.length);
      expect(await page.locator('#tenures .tenure-table tbody tr').count()).toBe(tenures.length);
      const lay = tenures.filter((t) => t.role === 'seat' && t.constituency === 'lay');
      const layRows = page.locator('#tenures svg.gantt text.row-label', { hasText: 'Lay partner' });
      expect(lay.some((t) => t.to !== null)).toBe(true);
      expect(await layRows.count()).toBeLessThan(lay.length);
      await page.getByLabel('Group', { exact: true }).focus();
      await page.keyboard.press('Tab');
      const focused = (await page.evaluate("document.activeElement?.getAttribute('data-who')")) as
        string | null;
      expect(tenures.map((t) => t.partnerName)).toContain(focused);
      expect(focused).toMatch(/^P-/);
      await page.locator('#tenure-focus', { hasText: focused! }).waitFor();
      await shoot('tenures-1440');
      await checkLayouts(page, 'tenures');
    }, 120_000);

    it('representation: lay seats as a step chart with the exact periods below minimum', async () => {
      await open('Representation', '#representation svg.step');
      const { periods } = await read<{
        periods: Array<{ groupId: string; belowMinimum: Array<{ from: string }> }>;
      }>(`/v1/reports/representation?programmeId=${PROGRAMME}`);
      const gp = periods.find((p) => p.groupId === 'gp-networks')!;
      const rows = page.locator('[data-group="gp-networks"] .below-table tbody tr');
      expect(await rows.count()).toBe(gp.belowMinimum.length);
      expect(await rows.nth(1).locator('th').textContent()).toBe(
        longDate(gp.belowMinimum[1]!.from),
      );
      expect(await page.locator('#representation svg.step').count()).toBe(periods.length);
      await shoot('representation-1440');
      await checkLayouts(page, 'representation');
    }, 180_000);

    it('recruitment: funnels in words, on one scale', async () => {
      await open('Recruitment', '#funnel svg');
      const report = await read<{
        byCampaign: Array<{ campaign: string; stages: Array<{ stage: string; count: number }> }>;
      }>(`/v1/reports/recruitment-funnel?programmeId=${PROGRAMME}&asOf=2014-08-31T23:59:59.999Z`);
      const design = report.byCampaign.find((c) => c.campaign === 'design-phase-2013')!;
      const workshop = design.stages.find((s) => s.stage === 'attendedWorkshop')!;
      expect(
        await cellAfter(
          page,
          '[data-campaign="design-phase-2013"] .funnel-table',
          'Attended a workshop',
        ),
      ).toBe(String(workshop.count));
      const text = await page.locator('#panel-recruitment').innerText();
      expect(text).not.toContain('attendedWorkshop');
      expect(text).not.toContain('(none)');
      // One scale: every bar's length is its count over the largest count of any campaign.
      const largest = Math.max(...report.byCampaign.flatMap((c) => c.stages.map((s) => s.count)));
      const widths = await page
        .locator('[data-campaign="design-phase-2013"] .bar-fill')
        .evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width'))));
      const full = (440 * largest) / largest;
      expect(widths[1]).toBeCloseTo((full * workshop.count) / largest, 3);
      await shoot('recruitment-1440');
      await checkLayouts(page, 'recruitment');
    }, 120_000);

    it('influence: the flow from heard to reported back, and the response clock', async () => {
      await open('Influence', '#influence-flow svg.flow');
      const influence = await read<{ items: unknown[] }>(
        `/v1/influence?programmeId=${PROGRAMME}&asOf=2014-08-31T23:59:59.999Z`,
      );
      expect(await cellAfter(page, '.flow-table', 'Heard: Heard')).toBe(
        String(influence.items.length),
      );
      const clock = await read<{ summary: { medianDays: { firstResponse: number | null } } }>(
        `/v1/reports/response-clock?programmeId=${PROGRAMME}&asOf=2014-08-31T23:59:59.999Z`,
      );
      expect(await cellAfter(page, '.clock-table', 'Heard → first response')).toBe(
        String(clock.summary.medianDays.firstResponse ?? '—'),
      );
      expect(await page.locator('.influence-table tbody tr').count()).toBe(influence.items.length);
      await shoot('influence-1440');
      await checkLayouts(page, 'influence');
    }, 120_000);

    it('replay: steps through the log, each event in words, the structure as it stood', async () => {
      await open('Replay', '#replay .summary');
      const forward = page.getByRole('button', { name: 'Forward' });
      for (let i = 0; i < 5; i++) await forward.click();
      await page.locator('#replay-line', { hasText: 'Event 6 of' }).waitFor();
      const position = Number(
        /\(position (\d+)\)/.exec(await page.locator('#replay-line').innerText())![1],
      );
      const timeline = await fetch(`${url}/v1/timeline?after=${position - 1}&limit=1`, {
        headers: { authorization: `Bearer ${TEST_KEYS.evaluator}` },
      });
      const line = JSON.parse((await timeline.text()).trim()) as { line: string; stream: string };
      await page.locator('#replay-line', { hasText: line.line }).waitFor();
      const { groups: now } = await read<{ groups: Group[] }>(
        `/v1/governance?programmeId=${PROGRAMME}`,
      );
      const ids = new Set(now.map((g) => g.groupId));
      const replayed = await read<{ groups: Group[] }>(`/v1/replay?until=${position}`);
      const expected = replayed.groups.filter((g) => ids.has(g.groupId)).length;
      await page.locator(`#replay .summary[data-groups="${expected}"]`).waitFor();
      expect(await page.locator('#replay article.group-box').count()).toBe(expected);
      // The group the event belongs to is marked, in words too.
      if (line.stream.startsWith('group-'))
        await page
          .locator(`#replay article.changed[data-group="${line.stream.slice('group-'.length)}"]`)
          .getByText('Changed by this event')
          .waitFor();
      await page.getByRole('button', { name: 'First' }).click();
      await page.getByRole('button', { name: 'Play' }).click();
      await page.locator('#replay-line', { hasText: 'Event 2 of' }).waitFor();
      await page.getByRole('button', { name: 'Pause' }).click();
      await page.getByRole('button', { name: 'Last' }).click();
      await page.locator(`#replay .summary[data-groups="${ids.size}"]`).waitFor();
      await shoot('replay-1440');
      await checkLayouts(page, 'replay');
    }, 120_000);

    it('GRIPP2 report: items by section, 5b as the JSON report counts it, the rest left to the evaluator, both exports saved', async () => {
      await open('GRIPP2 report', '#gripp2 [data-item="5b"]');
      const report = await read<Gripp2>(
        `/v1/reports/gripp2?programmeId=${PROGRAMME}&asOf=2014-08-31T23:59:59.999Z`,
      );
      const heard = report.longForm
        .find((i) => i.id === '5b')!
        .figures.find((f) => f.key === 'heard')!;
      expect(heard.unit).toBe('count');
      const item5b = page.locator('#gripp2 [data-item="5b"]');
      expect(await item5b.getByText('Filled from the ledger').count()).toBe(1);
      expect(await cellAfter(page, '[data-item="5b"] .gripp2-figures', heard.label)).toBe(
        String(heard.value),
      );
      // The report route that answers it (knownAt aside: each read is answered at its own instant).
      const route = heard.query.replace(/&knownAt=[^&]*/, '');
      expect(await item5b.locator('code', { hasText: route }).count()).toBeGreaterThan(0);
      // Every item the ledger cannot answer says so, and only those.
      const forEvaluator = report.longForm.filter((i) => i.source === 'evaluator').map((i) => i.id);
      expect(forEvaluator.length).toBeGreaterThan(0);
      const marked = await page
        .locator('#gripp2 .gripp2-item')
        .filter({
          hasText: 'Not recorded in the ledger — to be written by the evaluator',
        })
        .evaluateAll((items) => items.map((i) => i.getAttribute('data-item')));
      expect(marked).toEqual(forEvaluator);
      expect(await page.locator('#gripp2 .gripp2-item').count()).toBe(report.longForm.length);
      expect(await page.locator('#gripp2 .gripp2-short tbody tr').count()).toBe(
        report.shortForm.length,
      );
      const digest = await page.locator('#gripp2 .gripp2-digest').innerText();
      expect(digest).toContain(report.digest.hash.slice(0, 16));
      expect(digest).toContain('/v1/audit/verify?digest=');
      // Headings go down one level at a time.
      const levels = await page
        .locator('#panel-gripp2')
        .locator('h2, h3, h4')
        .evaluateAll((hs) => hs.map((h) => Number(h.tagName.slice(1))));
      expect(levels.every((level, i) => i === 0 || level <= levels[i - 1]! + 1)).toBe(true);

      // The exports, fetched with the key and saved by the browser: Markdown by click, HTML by keyboard.
      const [markdown] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download Markdown' }).click(),
      ]);
      expect(markdown.suggestedFilename()).toBe(`gripp2-${PROGRAMME}-2014-08-31.md`);
      await markdown.saveAs(join(ARTIFACTS, markdown.suggestedFilename()));
      const text = readFileSync(join(ARTIFACTS, markdown.suggestedFilename()), 'utf8');
      expect(text).toContain(`| ${heard.label} | ${heard.value} |`);
      await page.getByRole('button', { name: 'Download HTML' }).focus();
      const [html] = await Promise.all([
        page.waitForEvent('download'),
        page.keyboard.press('Enter'),
      ]);
      expect(html.suggestedFilename()).toBe(`gripp2-${PROGRAMME}-2014-08-31.html`);
      await html.saveAs(join(ARTIFACTS, html.suggestedFilename()));
      expect(readFileSync(join(ARTIFACTS, html.suggestedFilename()), 'utf8')).toContain(
        heard.label,
      );
      await page.locator('#gripp2-status', { hasText: 'Saved' }).waitFor();
      // The report is long: the screenshot is its first screen, from the tabs down.
      await page.locator('[role="tablist"]').evaluate((tabs) => tabs.scrollIntoView());
      // The read instant, digest hash and sealing time change every run: masked, so the image in docs/ does not.
      await page.screenshot({
        path: join(IMAGES, 'gripp2-1440.png'),
        mask: [
          page.locator('#panel-gripp2 .summary'),
          page.locator('#panel-gripp2 .gripp2-digest dd'),
        ],
        maskColor: '#d9d9d9',
      });
      await checkLayouts(page, 'gripp2');
    }, 120_000);
  });

  it('serves its icon and every module it loads', async () => {
    const page = await signIn('auditor');
    const icon = await page.request.get(`${url}/assets/favicon.svg`);
    expect(icon.status()).toBe(200);
    expect(icon.headers()['content-type']).toBe('image/svg+xml');
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/assets/favicon.svg');
    expect((await page.request.get(`${url}/assets/views/nothing.js`)).status()).toBe(404);
    consoleErrors.splice(0); // the 404 asked for on purpose
  }, 60_000);

  it('picks a programme: the governance view switches between them, never mixed', async () => {
    const page = await signIn('evaluator');
    const picker = page.getByLabel('Programme', { exact: true });
    await page.locator('[data-group="programme-board"]').first().waitFor();
    expect(await picker.isEnabled()).toBe(true);
    const options = await picker.locator('option').allTextContents();
    expect(options).toHaveLength(2);
    expect(options).toContain(SECOND.name);
    expect(await page.locator('[data-group="ry-board"]').count()).toBe(0);

    await picker.selectOption({ label: SECOND.name });
    const board = page.locator('[data-group="ry-board"]');
    await board.waitFor();
    expect(await board.innerText()).toMatch(/Lay seats 1 of 1–2/);
    expect(await page.locator('[data-group="programme-board"]').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('programmeId')).toBe(SECOND.programmeId);
    // The slider spans this programme's own period: from the quarter it was launched in.
    const slider = page.getByLabel(/^As of/);
    await slider.focus();
    await page.keyboard.press('Home');
    await page
      .getByText('No group of this programme had been established by 1 January 2014.')
      .waitFor();
    await page.keyboard.press('End');
    await board.getByText(/P-[A-Za-z0-9_-]{12}/).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'governance-second-programme.png') });

    // The choice survives a reload (address and session), then the keyboard switches back.
    await page.reload();
    await board.waitFor();
    expect(await picker.inputValue()).toBe(SECOND.programmeId);
    await picker.focus();
    await page.keyboard.press('ArrowUp');
    await page.locator('[data-group="programme-board"]').first().waitFor();
    expect(await page.locator('[data-group="ry-board"]').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('programmeId')).toBe('nwl-wsic');
  }, 120_000);
});
