import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { appendScenario } from './append.bench.js';
import { emmettScenario } from './emmett.bench.js';
import * as groupDecide from './group-decide.bench.js';
import {
  httpBareScenario,
  httpCommandMixScenario,
  httpCommandScenario,
  httpLedgerScenario,
  type LedgerQueryResult,
} from './http.bench.js';
import { sqliteCeilings, sqliteFloor } from './limits.bench.js';
import {
  cachedLedger,
  LEDGER_CACHE_DIR,
  rebuildInChild,
  type RebuildResult,
} from './rebuild.bench.js';
import { FULL_SOAK, soakScenario, type SoakResult } from './soak.bench.js';
import { WARM_UP_APPENDS } from './stats.js';
import { ratioTable } from './targets.js';

type Row = [string, string, string, string, string];
const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : 0);

/**
 * `npm run bench` (add `-- --quick` for a short run): prints a table and
 * writes bench/results/latest.json. Speed targets live here, never in tests.
 */
async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  // Generated ledgers are reused from an earlier run unless asked (see cachedLedger).
  const fresh = process.argv.includes('--fresh-ledgers');
  const figures: Record<string, number | null> = {};
  const rows: Row[] = [];
  // What each part took, on stderr as it ends: a run is long, and its budget is set by parts.
  const began = performance.now();
  let partBegan = began;
  const done = (part: string) => {
    const now = performance.now();
    const s = (ms: number) => `${Math.round(ms / 100) / 10} s`;
    console.error(`bench: ${part} in ${s(now - partBegan)} (${s(now - began)} so far)`);
    partBegan = now;
  };
  const notes: string[] = [];

  // The floor and one writer are measured in alternating rounds on fresh files: this
  // disk's fsync latency drifts within a run, so each ratio compares two runs made
  // side by side, and the medians are reported.
  const rounds: Array<{ floor: number; w1: Awaited<ReturnType<typeof appendScenario>> }> = [];
  for (let round = 0; round < (quick ? 3 : 5); round++) {
    const floor = sqliteFloor(quick ? 300 : 1_000, WARM_UP_APPENDS);
    const w1 = await appendScenario({ writers: 1, events: quick ? 300 : 1_000, streams: 10_000 });
    rounds.push({ floor, w1 });
  }
  const median = <T>(items: T[], by: (item: T) => number): T =>
    [...items].sort((a, b) => by(a) - by(b))[Math.floor(items.length / 2)]!;
  const limits = {
    floor: median(rounds, (r) => r.floor).floor,
    ...sqliteCeilings(quick ? 20_000 : 100_000),
  };
  done('floor and one writer');
  const pairedRound = median(rounds, (r) => r.w1.eventsPerSecond / r.floor);
  const w1Ratio = ratio(pairedRound.w1.eventsPerSecond, pairedRound.floor);
  figures.sqlite_floor_events_per_s = limits.floor;
  figures.sqlite_ceiling_events_per_s = limits.ceiling;
  figures.parse_ceiling_events_per_s = limits.parseCeiling;
  rows.push([
    'sqlite floor (1 event/transaction, fsync)',
    `${fmt(limits.floor)} ev/s`,
    '',
    '',
    `the disk: WAL, synchronous=FULL; median of ${rounds.length} rounds`,
  ]);
  rows.push([
    'sqlite ceiling (1,000 events/transaction)',
    `${fmt(limits.ceiling)} ev/s`,
    '',
    '',
    '',
  ]);
  rows.push([
    'read + JSON.parse (rebuild ceiling)',
    `${fmt(limits.parseCeiling)} ev/s`,
    '',
    '',
    '',
  ]);

  for (const writers of [1, 16, 256]) {
    const result =
      writers === 1
        ? median(rounds, (r) => r.w1.eventsPerSecond).w1
        : await appendScenario({ writers, events: 40_000 * (quick ? 0.2 : 1), streams: 10_000 });
    figures[`append_events_per_s_w${writers}`] = result.eventsPerSecond;
    figures[`append_p99_ms_w${writers}`] = result.p99Ms;
    figures[`append_errors_w${writers}`] = result.errors;
    const target =
      writers === 1
        ? `target ≥ 2,500 and ≥ 0.8× floor (${w1Ratio}×, median of rounds)`
        : writers === 256
          ? 'target ≥ 60,000, zero errors'
          : '';
    rows.push([
      `durable appends, ${writers} writer${writers === 1 ? '' : 's'}`,
      `${fmt(result.eventsPerSecond)} ev/s`,
      `${result.p50Ms} ms`,
      `${result.p99Ms} ms`,
      `${result.commits} commits, ${result.errors} errors; ${target}`,
    ]);
  }
  done('appends at 16 and 256 writers');
  figures.append_ratio_to_floor_w1 = w1Ratio;
  figures.append_ratio_to_ceiling_w256 = ratio(
    figures.append_events_per_s_w256 ?? 0,
    limits.ceiling,
  );
  // Emmett's SQLite store, same workload, each run in a child process (it can hang or crash).
  for (const writers of [1, 16, 256]) {
    const events = writers === 1 ? (quick ? 300 : 1_500) : quick ? 2_000 : 10_000;
    // Emmett's many-writer runs may hang (unfinished appends): a quick run gives them 8 s.
    const timeoutMs = quick ? (writers === 1 ? 20_000 : 8_000) : 60_000;
    const emmett = await emmettScenario({ writers, events, streams: 10_000, timeoutMs });
    figures[`emmett_append_events_per_s_w${writers}`] = emmett.eventsPerSecond;
    figures[`emmett_errors_w${writers}`] = emmett.errors;
    figures[`emmett_lost_w${writers}`] = emmett.lost;
    if (writers === 1) figures.emmett_p99_ms_w1 = emmett.p99Ms;
    const kinds = Object.entries(emmett.errorKinds)
      .map(([kind, n]) => `${fmt(n)} ${kind}`)
      .join(', ');
    rows.push([
      `Emmett SQLite appends, ${writers} writer${writers === 1 ? '' : 's'}`,
      `${fmt(emmett.eventsPerSecond)} ev/s`,
      `${emmett.p50Ms} ms`,
      `${emmett.p99Ms} ms`,
      `${fmt(emmett.ok)}/${fmt(events)} acknowledged, ${fmt(emmett.persisted)} persisted; ${fmt(emmett.errors)} errors${kinds ? ` (${kinds})` : ''}`,
    ]);
    if (emmett.crashed || emmett.lost > 0)
      notes.push(
        `Emmett SQLite, ${writers} writer${writers === 1 ? '' : 's'}: ${emmett.crashed ?? 'completed'}; ` +
          `${fmt(emmett.ok)} of ${fmt(events)} appends acknowledged, ${fmt(emmett.persisted)} in the store afterwards` +
          (emmett.lost > 0
            ? ` (${fmt(emmett.lost)} acknowledged but lost; ev/s counts durable events only)`
            : '') +
          '.',
      );
    if (writers === 1)
      notes.push(
        `Emmett SQLite: @event-driven-io/emmett-sqlite 0.38.5 on sqlite3 (node-sqlite3) 5.1.7, one store shared by all writers; ` +
          `its defaults: journal_mode=${emmett.journalMode ?? '?'} (set on every connection), synchronous=${emmett.synchronous ?? '?'} (SQLite's default, Emmett never sets it), ` +
          'busy_timeout 1,000 ms (node-sqlite3 default), a new connection per append, BEGIN IMMEDIATE; a first append expects version 0 (its exact no-stream check).',
      );
  }
  done('Emmett');
  // No Emmett append finished in time (its child timed out): no ratio, rather than 0×.
  figures.append_ratio_vs_emmett_w1 =
    (figures.emmett_append_events_per_s_w1 ?? 0) > 0
      ? ratio(figures.append_events_per_s_w1 ?? 0, figures.emmett_append_events_per_s_w1 ?? 0)
      : null;
  if (figures.append_ratio_vs_emmett_w1 === null)
    notes.push('append_ratio_vs_emmett_w1: null, no Emmett append finished within its timeout.');
  // One command on a 5,000-event group, through the real handler and runner.
  const decideFigures = await groupDecide.groupDecideFigures(quick);
  Object.assign(figures, decideFigures);
  done('one command on a 5,000-event group');
  rows.push([
    'one command on a group of 5,000 events (decide, median)',
    '',
    `${figures.decide_ms_5000_event_stream} ms`,
    `${figures.decide_p99_ms_5000_event_stream ?? ''} ms`,
    'target ≤ 0.5 ms; group handler and runner on the ledger store stack',
  ]);
  rows.push([
    'ours / Emmett SQLite, 1 writer',
    `${figures.append_ratio_vs_emmett_w1}×`,
    '',
    '',
    'target ≥ 8×',
  ]);

  // Commands first, on a quiet disk: the ledger below writes and deletes over 1 GB.
  let httpErrors = 0;
  const commands = await httpCommandScenario(quick ? 5 : 15, quick);
  done('HTTP commands');
  const saturated = commands[commands.length - 1]!;
  figures.http_commands_per_s = saturated.perSecond;
  figures.http_command_p99_ms = saturated.p99Ms;
  for (const run of commands) {
    httpErrors += run.errors;
    figures[`http_commands_per_s_c${run.connections}`] = run.perSecond;
    figures[`http_command_p99_ms_c${run.connections}`] = run.p99Ms;
  }
  // The bare baseline right after, at the same concurrency and duration: Fastify, the same
  // validation, decider and store append, none of the app's stack.
  const commandSeconds = quick ? 5 : 15;
  const bare = await httpBareScenario(commandSeconds, 16);
  done('bare baseline');
  const app16 = commands.find((run) => run.connections === 16)!;
  figures.http_bare_commands_per_s_c16 = bare.perSecond;
  figures.http_bare_command_p99_ms_c16 = bare.p99Ms;
  figures.http_command_ratio_to_bare_c16 = ratio(app16.perSecond, bare.perSecond);
  httpErrors += bare.errors;
  rows.push([
    'bare Fastify baseline (POST /v1/feedback, 16 conn.)',
    `${fmt(bare.perSecond)} req/s`,
    `${bare.p50Ms} ms`,
    `${bare.p99Ms} ms`,
    `same validation, decider and SqliteEventStore append; ours ÷ bare ${figures.http_command_ratio_to_bare_c16}×`,
  ]);
  // Every command kind, weighted (bench/soak-mix.ts), closed loop at 16 connections.
  const mix = await httpCommandMixScenario(commandSeconds, 16);
  done('command mix');
  figures.http_command_mix_per_s_c16 = mix.perSecond;
  figures.http_command_mix_p99_ms_c16 = mix.p99Ms;
  figures.http_command_mix_p50_ms_c16 = mix.p50Ms;
  figures.http_command_mix_errors = mix.errors;
  figures.http_command_mix_kinds = Object.keys(mix.kinds).length;
  const mixRefused = Object.values(mix.refusals).reduce((a, b) => a + b, 0);
  rows.push([
    'HTTP commands, every kind weighted (16 conn.)',
    `${fmt(mix.perSecond)} req/s`,
    `${mix.p50Ms} ms`,
    `${mix.p99Ms} ms`,
    `${Object.keys(mix.kinds).length} command kinds; ${mix.errors} errors, ${mixRefused} refused`,
  ]);
  if (mixRefused > 0)
    notes.push(
      `Command mix refusals: ${Object.entries(mix.refusals)
        .map(([k, v]) => `${v}× ${k}`)
        .join(', ')}.`,
    );
  // The target is a pair (≥ 5,000 req/s with p99 ≤ 25 ms): the most any run did within it.
  figures.http_commands_per_s_within_p99_target = Math.max(
    0,
    ...commands.filter((run) => run.p99Ms <= 25).map((run) => run.perSecond),
  );
  for (const run of commands) {
    rows.push([
      `HTTP commands (POST /v1/feedback, ${run.connections} conn.)`,
      `${fmt(run.perSecond)} req/s`,
      `${run.p50Ms} ms`,
      `${run.p99Ms} ms`,
      run === saturated
        ? 'durable; target ≥ 5,000 req/s with p99 ≤ 25 ms'
        : `durable${run.p99Ms <= 25 && run.perSecond >= 5_000 ? '; both targets met at once' : ''}`,
    ]);
  }

  // One generated NWL-shaped ledger for the rebuild and the HTTP queries.
  const ledgerDir = mkdtempSync(join(tmpdir(), 'ledger-bench-'));
  const ledgerPath = join(ledgerDir, 'events.sqlite');
  let rebuild: RebuildResult;
  let queries: LedgerQueryResult;
  try {
    const made = cachedLedger(ledgerPath, quick ? 100_000 : 1_000_000, fresh);
    if (made.generatedSeconds === null)
      notes.push(`The ${fmt(made.events)}-event ledger came from ${LEDGER_CACHE_DIR}.`);
    rebuild = await rebuildInChild(ledgerPath);
    queries = await httpLedgerScenario(ledgerPath, quick ? 3 : 10);
  } finally {
    rmSync(ledgerDir, { recursive: true, force: true });
  }
  done('rebuild and HTTP queries');
  const size = quick ? '100k' : '1m';
  figures.rebuild_events = rebuild.events;
  figures.rebuild_events_per_s = rebuild.eventsPerSecond;
  figures.rebuild_ratio_to_parse_ceiling = ratio(rebuild.eventsPerSecond, limits.parseCeiling);
  figures.ledger_parse_ceiling_events_per_s = rebuild.ledgerParseCeiling;
  figures.rebuild_ratio_to_ledger_parse_ceiling = ratio(
    rebuild.eventsPerSecond,
    rebuild.ledgerParseCeiling,
  );
  figures.rebuild_peak_rss_mb = rebuild.peakRssMb;
  figures.asof_query_p99_ms = rebuild.asOfP99Ms;
  // "Peak RSS with the ledger loaded": the app's own, over its start-up rebuild and every query run.
  figures[`rss_mb_${size}_events`] = queries.peakRssMb ?? -1;
  // The key keeps its name in quick runs, on their smaller ledger: rss_events says which.
  figures.rss_mb_1m_events = queries.peakRssMb ?? -1;
  figures.rss_events = rebuild.events;
  figures[`app_start_with_rebuild_s_${size}_events`] = Math.round(queries.startSeconds * 10) / 10;
  rows.push([
    `rebuild every read model (${fmt(rebuild.events)} events)`,
    `${fmt(rebuild.eventsPerSecond)} ev/s`,
    '',
    '',
    `target ≥ 150,000; ${ratio(rebuild.eventsPerSecond, limits.parseCeiling)}× parse ceiling, ${figures.rebuild_ratio_to_ledger_parse_ceiling}× this ledger's; its process's peak RSS ${rebuild.peakRssMb} MB`,
  ]);
  rows.push([
    `read + parse this ledger (its rebuild ceiling)`,
    `${fmt(rebuild.ledgerParseCeiling)} ev/s`,
    '',
    '',
    '',
  ]);
  rows.push([
    `governance asOf query, in process (${fmt(rebuild.events)} events)`,
    '',
    `${rebuild.asOfP50Ms} ms`,
    `${rebuild.asOfP99Ms} ms`,
    '',
  ]);
  rows.push([
    `the app started on the ledger (${fmt(rebuild.events)} events)`,
    `${figures[`app_start_with_rebuild_s_${size}_events`]} s`,
    '',
    '',
    `to /health, its rebuild included; peak RSS ${queries.peakRssMb ?? '?'} MB (target ≤ 300 MB), queries below included`,
  ]);
  for (const [name, runs, key] of [
    ['governance ?asOf, date varying', queries.asOf, 'asof_query'],
    ['group tenures, group varying', queries.tenures, 'tenures_query'],
  ] as const) {
    for (const run of runs) {
      httpErrors += run.errors;
      const suffix = run.connections === 1 ? '' : `_c${run.connections}`;
      figures[`http_${key}_p50_ms${suffix}`] = run.p50Ms;
      figures[`http_${key}_p99_ms${suffix}`] = run.p99Ms;
      figures[`http_${key}_per_s${suffix}`] = run.perSecond;
      rows.push([
        `HTTP ${name} (${fmt(rebuild.events)} events, ${run.connections} conn.)`,
        `${fmt(run.perSecond)} req/s`,
        `${run.p50Ms} ms`,
        `${run.p99Ms} ms`,
        key === 'asof_query' && run.connections === 1 ? 'target p99 ≤ 5 ms' : '',
      ]);
    }
  }
  const asOfRuns = queries.asOf;
  figures.http_asof_scaling_c16 = ratio(
    asOfRuns.find((run) => run.connections === 16)?.perSecond ?? 0,
    asOfRuns.find((run) => run.connections === 1)?.perSecond ?? 0,
  );
  figures.http_errors = httpErrors;

  // Growth from 1M to 10M events (full runs only): asOf p99 and a rebuild's peak RSS.
  if (quick) {
    figures.asof_p99_growth_1m_to_10m = null;
    figures.rebuild_rss_growth_1m_to_10m = null;
    notes.push('asof_p99_growth_1m_to_10m and rebuild_rss_growth_1m_to_10m: full runs only.');
  } else {
    const bigDir = mkdtempSync(join(tmpdir(), 'ledger-bench-10m-'));
    try {
      const made = cachedLedger(join(bigDir, 'events.sqlite'), 10_000_000, fresh);
      const events = made.events;
      const t2 = performance.now();
      const big = await rebuildInChild(join(bigDir, 'events.sqlite'));
      const rebuildS = (performance.now() - t2) / 1000;
      figures.ledger_10m_generate_s = made.generatedSeconds;
      figures.rebuild_10m_s = Math.round(rebuildS);
      figures.asof_query_p99_ms_10m = big.asOfP99Ms;
      figures.rebuild_peak_rss_mb_10m = big.peakRssMb;
      figures.asof_p99_growth_1m_to_10m = ratio(big.asOfP99Ms, rebuild.asOfP99Ms);
      figures.rebuild_rss_growth_1m_to_10m = ratio(big.peakRssMb, rebuild.peakRssMb);
      rows.push([
        `rebuild every read model (${fmt(events)} events)`,
        `${fmt(big.eventsPerSecond)} ev/s`,
        `${big.asOfP50Ms} ms`,
        `${big.asOfP99Ms} ms`,
        `asOf p50/p99 in process; ${made.generatedSeconds === null ? 'from the cache' : `generated in ${Math.round(made.generatedSeconds)} s`}, rebuilt in ${Math.round(rebuildS)} s; peak RSS ${big.peakRssMb} MB`,
      ]);
    } catch (error) {
      // A 10M rebuild that cannot finish (30 min timeout, memory) is a finding, not a crash.
      figures.asof_p99_growth_1m_to_10m = null;
      figures.rebuild_rss_growth_1m_to_10m = null;
      notes.push(`10M-event growth not measured: ${String(error).slice(0, 300)}`);
    } finally {
      rmSync(bigDir, { recursive: true, force: true });
    }
  }
  if (!quick) done('10M rebuild');

  // The soak: its own 100k ledger in full runs (the quick run's ledger is 100k already).
  const soakLedgerDir = mkdtempSync(join(tmpdir(), 'ledger-soak-src-'));
  let soak: SoakResult;
  try {
    const soakEvents = join(soakLedgerDir, 'events.sqlite');
    cachedLedger(soakEvents, FULL_SOAK.ledgerEvents, fresh);
    soak = await soakScenario(
      quick
        ? {
            ...FULL_SOAK,
            eventsPath: soakEvents,
            windowS: 10,
            windows: 2,
            stepS: 4,
            maxStepCmdPerS: 240,
            routeCosts: false,
          }
        : { ...FULL_SOAK, eventsPath: soakEvents },
    );
  } finally {
    rmSync(soakLedgerDir, { recursive: true, force: true });
  }
  done('soak');
  Object.assign(figures, soak.figures);
  notes.push(...soak.notes);
  if (quick)
    notes.push(
      'Quick run: the soak is shortened to 2 windows of 10 s and 4 s steps up to 240 commands/s.',
    );
  const worstRoutes = soak.routes
    .slice(0, 5)
    .map((r) => `${r.route} p99 ${r.p99Ms} ms`)
    .join('; ');
  notes.push(`Soak, worst routes by p99: ${worstRoutes}.`);
  for (const w of soak.windows) {
    rows.push([
      `soak window ${w.endS - w.seconds}–${w.endS} s (${Math.round(w.cmdOffered / w.seconds)} cmd/s + ${Math.round(w.readOffered / w.seconds)} reads/s)`,
      '',
      `${w.cmdP50Ms} / ${w.readP50Ms} ms`,
      `${w.cmdP99Ms} / ${w.readP99Ms} ms`,
      `commands / reads; loop p99 ${w.eventLoopP99Ms ?? '–'} ms, probe ${w.probeP99Ms} ms, RSS ${w.rssMb ?? '–'} MB, ${w.errors} errors, ${w.skipped} skipped`,
    ]);
  }
  notes.push(`${httpErrors} errors (or non-2xx replies) in all HTTP runs.`);

  const report = {
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      platform: process.platform,
    },
    settings: {
      quick,
      rebuildEvents: rebuild.events,
      httpCommandSeconds: quick ? 5 : 15,
      httpQuerySeconds: quick ? 3 : 10,
    },
    recordedAt: new Date().toISOString(),
    notes,
    figures,
    soak: {
      routeCosts: soak.routeCosts,
      windows: soak.windows,
      routes: soak.routes,
      mixedSteps: soak.mixedSteps,
      cmdOnlySteps: soak.cmdOnlySteps,
    },
    commandMix: mix,
  };
  const dir = join(import.meta.dirname, '../../bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);

  // Ratios and their targets first, measured against limits of the same run; absolutes after.
  console.log(ratioTable(figures));
  console.log();
  const header: Row = ['scenario', 'throughput', 'p50', 'p99', 'notes'];
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
