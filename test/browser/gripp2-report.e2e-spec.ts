import { gripp2Value, type Gripp2Document } from '@app/projections';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserServer } from 'playwright-core';
import { loadScenario, readScenario } from '../../demo/load-demo.mjs';
import { axeSource, describeWithBrowser, startChromium, within } from '../support/chromium.js';
import { startTestLedger, TEST_KEYS, type TestLedger } from '../support/test-ledger.js';

const ARTIFACTS = join(import.meta.dirname, '../artifacts');
const NWL = 'nwl-wsic';

/**
 * The GRIPP2 report's HTML export as an evaluator opens it, in headless
 * Chromium (Debian's package): served by the ledger (the API key sent as a
 * header), one heading per GRIPP2 item, the demo's figures in their rows,
 * and an axe-core check.
 */
describeWithBrowser('the GRIPP2 HTML export in headless Chromium', () => {
  let ledger: TestLedger;
  let server: BrowserServer;
  let browser: Browser;
  let url: string;
  let position: number;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    ledger = await startTestLedger();
    await ledger.app.listen(0, '127.0.0.1');
    url = await ledger.app.getUrl();
    const loaded = await loadScenario({
      baseUrl: url,
      apiKey: TEST_KEYS['programme-office'],
      scenario: readScenario(),
    });
    position = loaded.position!;
    ({ server, browser } = await startChromium());
  }, 240_000); // the NWL scenario over HTTP, then Chromium: minutes on a loaded 2-core machine
  afterAll(async () => {
    await within(10_000, browser?.close());
    await server?.kill();
    await within(30_000, ledger?.destroy());
  }, 60_000);

  it('shows every item under its heading, the figures the JSON gives, and passes axe-core', async () => {
    const query = `programmeId=${NWL}&asOf=2015-06-30&minPosition=${position}`;
    const doc = (await ledger.http('evaluator').get(`/v1/reports/gripp2?${query}`).expect(200))
      .body as Gripp2Document;
    const context = await browser.newContext({
      viewport: { width: 1280, height: 1000 },
      extraHTTPHeaders: { authorization: `Bearer ${TEST_KEYS.evaluator}` },
    });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const response = await page.goto(`${url}/v1/reports/gripp2.html?${query}`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');

      await page
        .getByRole('heading', { level: 1, name: /GRIPP2 report — North West London/ })
        .waitFor();
      for (const item of doc.longForm)
        expect(
          await page.getByRole('heading', { level: 4, name: `${item.id} ${item.topic}` }).count(),
        ).toBe(1);
      for (const section of new Set(doc.longForm.map((i) => i.section)))
        expect(await page.getByRole('heading', { level: 3, name: section }).count()).toBe(1);

      // The demo's lay co-chair: two involvement payments made, one declined (March–May 2015).
      const made = page.locator('[data-figure="6.paymentsMade"] td').first();
      expect(await made.innerText()).toBe('2');
      const declined = page.locator('[data-figure="6.paymentsDeclinedPence"] td').first();
      expect(await declined.innerText()).toBe('15000 pence (£150.00)');
      // And every figure as the JSON answers it.
      for (const item of doc.longForm)
        for (const figure of item.figures)
          expect(
            await page.locator(`[data-figure="${item.id}.${figure.key}"] td`).first().innerText(),
          ).toBe(gripp2Value(figure));
      // Items the ledger cannot fill say so.
      expect(await page.getByText(/to be written by the evaluator/).count()).toBeGreaterThan(20);

      await page.screenshot({ path: join(ARTIFACTS, 'gripp2-report.png'), fullPage: true });
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        const result = await (
          globalThis as unknown as {
            axe: { run(): Promise<{ violations: Array<{ id: string; impact: string }> }> };
          }
        ).axe.run();
        return result.violations.map((v) => `${v.id} (${v.impact})`);
      });
      expect(violations).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);
});
