import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserServer } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); `.ci/run` installs it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** `describe`, or `describe.skip` when there is no Chromium to drive. */
export const describeWithBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

/**
 * axe-core's source, to run with `page.evaluate`: through the DevTools
 * protocol, because the ledger's CSP lets no inline script tag run.
 */
export const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** Resolves with the promise's outcome, or 'timeout' after `ms`. */
export async function within<T>(
  ms: number,
  promise: Promise<T> | undefined,
): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, ms, 'timeout')));
  try {
    return await Promise.race([promise as Promise<T>, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Headless Chromium as a browser server rather than launch(), so teardown can
 * always kill its process; the flags keep it off this machine's closed network.
 */
export async function startChromium(): Promise<{ server: BrowserServer; browser: Browser }> {
  const server = await chromium.launchServer({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return { server, browser: await chromium.connect(server.wsEndpoint()) };
}
