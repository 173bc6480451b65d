#!/usr/bin/env node
// `npm run demo`: loads demo/nwl-scenario.json into a running ledger through
// its public HTTP API — the same requests a programme office would send.
// LEDGER_URL (default http://localhost:3000); LEDGER_API_KEY: the programme-office key.
// Each step carries an Idempotency-Key, so loading twice records nothing twice;
// it needs an empty ledger, or one holding only this demo.
import { readFileSync } from 'node:fs';
import { setTimeout as wait } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/**
 * @param {{ baseUrl: string, apiKey?: string, scenario?: object, log?: (line: string) => void, keyPrefix?: string }} options
 *   keyPrefix: the steps' Idempotency-Key prefix (default `nwl-demo`); another scenario needs its own.
 *   Steps marked `wave: 2` (facts the office learnt of late) are sent after all the others.
 * @returns {Promise<{ steps: number, replayed: number, position: number | null, firstRecordedUntil: string | null }>}
 *   firstRecordedUntil: the last instant of wave 1, as the ledger recorded it (null without a wave 2).
 */
export async function loadScenario({
  baseUrl,
  apiKey,
  scenario = readScenario(),
  log = () => {},
  keyPrefix = 'nwl-demo',
}) {
  const headers = { 'content-type': 'application/json' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  let position = null;
  let replayed = 0;
  let firstRecordedUntil = null;
  let lastRecordedAt = null;
  // Wave 1 (the programme as first recorded), then wave 2 (facts recorded late); each step
  // keeps its place in the scenario as its Idempotency-Key, so a rerun records nothing twice.
  const ordered = [...scenario.steps.entries()].sort(
    ([a, x], [b, y]) => (x.wave ?? 1) - (y.wave ?? 1) || a - b,
  );
  let done = 0;
  for (const [index, step] of ordered) {
    if ((step.wave ?? 1) > 1 && firstRecordedUntil === null) {
      firstRecordedUntil = lastRecordedAt;
      // Wave 2 is recorded strictly after that instant (the ledger's clock has ms resolution).
      while (Date.now() <= Date.parse(firstRecordedUntil)) await wait(2);
      log(`---- recorded late (wave 2), after ${firstRecordedUntil}`);
    }
    const response = await fetch(new URL(step.path, baseUrl), {
      method: step.method,
      headers: { ...headers, 'idempotency-key': `${keyPrefix}-${index}` },
      body: JSON.stringify(step.body),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const failure = `step ${index + 1} (${step.description}): ${step.method} ${step.path} answered ${response.status} ${JSON.stringify(body)}`;
      throw new Error(
        response.status === 409 && /_exists$/.test(String(body.code ?? ''))
          ? `${failure}\n${NOT_EMPTY}`
          : failure,
      );
    }
    if (response.headers.get('idempotent-replayed') === 'true') replayed += 1;
    if (typeof body.position === 'number') position = Math.max(position ?? 0, body.position);
    if (typeof body.recordedAt === 'string') lastRecordedAt = body.recordedAt;
    if (step.awaitConsequences && position !== null) {
      // Wait until the sagas have acted on this step (read your writes, no sleeping).
      const read = await fetch(new URL(`/v1/governance?minPosition=${position}`, baseUrl), {
        headers,
      });
      if (!read.ok) throw new Error(`waiting for step ${index + 1}'s consequences: ${read.status}`);
    }
    done += 1;
    log(`${String(done).padStart(4)} / ${scenario.steps.length}  ${step.description}`);
  }
  return { steps: scenario.steps.length, replayed, position, firstRecordedUntil };
}

/** Said when the ledger already holds other data under the demo's ids. */
export const NOT_EMPTY =
  'The demo needs an empty ledger (or one holding only this demo: rerunning it is idempotent). ' +
  'Start one on an empty data directory, e.g. LEDGER_DATA_DIR=./demo-data PORT=3001 npm start, ' +
  'then LEDGER_URL=http://localhost:3001 LEDGER_API_KEY=<its programme-office key> npm run demo';

export function readScenario() {
  return JSON.parse(readFileSync(new URL('./nwl-scenario.json', import.meta.url), 'utf8'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const baseUrl = process.env.LEDGER_URL ?? 'http://localhost:3000';
  const quiet = process.argv.includes('--quiet');
  const started = Date.now();
  loadScenario({
    baseUrl,
    apiKey: process.env.LEDGER_API_KEY,
    log: quiet ? () => {} : (line) => console.log(line),
  })
    .then(({ steps, replayed, position, firstRecordedUntil }) => {
      console.log(
        `Loaded the NWL scenario: ${steps} steps (${replayed} already recorded) in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
          `last position ${position}. Try: curl -H 'Authorization: Bearer <key>' '${baseUrl}/v1/governance?asOf=2014-06-01'`,
      );
      if (firstRecordedUntil)
        console.log(
          `First recorded until ${firstRecordedUntil}; a vacancy, a seat and the response targets were recorded late. As the record stood then, and now:\n` +
            `  npm run ledger -- who-sat --group gp-networks --at 2014-10-01 --known-at ${firstRecordedUntil} -d <its data dir>\n` +
            `  npm run ledger -- who-sat --group gp-networks --at 2014-10-01 -d <its data dir>`,
        );
      // Done: exit now rather than when the server's keep-alive lets go of the sockets.
      process.exit(0);
    })
    .catch((error) => {
      console.error(error instanceof Error ? error.message : error);
      if (error?.cause?.code === 'ECONNREFUSED')
        console.error(`Is the ledger running at ${baseUrl}? Start it with: npm start`);
      process.exit(1);
    });
}
