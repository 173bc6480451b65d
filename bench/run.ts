import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { appendScenario } from './append.bench.js';

/**
 * `npm run bench` (add `-- --quick` for a short run): prints a table and
 * writes bench/results/latest.json. Speed targets live here, never in tests.
 */
async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const scale = quick ? 0.2 : 1;
  const figures: Record<string, number> = {};
  const rows: Array<[string, string, string, string, string]> = [];

  for (const writers of [1, 16, 256]) {
    const events = Math.round((writers === 1 ? 3_000 : 40_000) * scale);
    const result = await appendScenario({ writers, events, streams: 10_000 });
    figures[`append_events_per_s_w${writers}`] = result.eventsPerSecond;
    figures[`append_p99_ms_w${writers}`] = result.p99Ms;
    figures[`append_errors_w${writers}`] = result.errors;
    rows.push([
      `durable appends, ${writers} writer${writers === 1 ? '' : 's'}`,
      `${result.eventsPerSecond.toLocaleString('en-GB')} ev/s`,
      `${result.p50Ms} ms`,
      `${result.p99Ms} ms`,
      `${result.events} events, ${result.commits} commits, ${result.errors} errors`,
    ]);
  }

  const report = {
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      platform: process.platform,
    },
    settings: { quick, scale },
    recordedAt: new Date().toISOString(),
    figures,
  };
  const dir = join(import.meta.dirname, '../../bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);

  const header: [string, string, string, string, string] = [
    'scenario',
    'throughput',
    'p50',
    'p99',
    'notes',
  ];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(line(row));
  console.log(JSON.stringify(report));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
