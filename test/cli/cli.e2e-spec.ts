import { jest } from '@jest/globals';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, readScenario } from '../../demo/load-demo.mjs';
import { startTestLedger, TEST_KEYS, TEST_SIGNING_KEY } from '../support/test-ledger.js';

const CLI = join(import.meta.dirname, '../../dist/apps/ledger-cli/src/main.js');
const describeBuilt = existsSync(CLI) ? describe : describe.skip;

/** Every test runs the CLI as a child process (some several times): sized for a busy 2-core machine. */
jest.setTimeout(240_000);

function ledger(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return {
    code: run.status,
    out: run.stdout,
    err: run.stderr,
    json: () => JSON.parse(run.stdout) as Record<string, unknown>,
  };
}

describeBuilt('the ledger CLI (built: npm run build)', () => {
  let dataDir: string;
  let firstRecordedUntil: string | null;
  const scratch = mkdtempSync(join(tmpdir(), 'ledger-cli-'));

  beforeAll(async () => {
    const app = await startTestLedger();
    await app.app.listen(0, '127.0.0.1');
    ({ firstRecordedUntil } = await loadScenario({
      baseUrl: await app.app.getUrl(),
      apiKey: TEST_KEYS['programme-office'],
      scenario: readScenario(),
    }));
    dataDir = app.dataDir;
    await app.close();
  }, 240_000); // the NWL scenario over HTTP: minutes on a loaded 2-core machine
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it('who-sat answers who was on a group on a date (names decrypted), as JSON for scripts', () => {
    const run = ledger(
      'who-sat',
      '--group',
      'programme-board',
      '--at',
      '2014-03-01',
      '-d',
      dataDir,
      '--json',
    );
    expect(run.code).toBe(0);
    const body = run.json() as { seats: Array<{ partnerName: string; constituency: string }> };
    expect(
      body.seats
        .filter((s) => s.constituency === 'lay')
        .map((s) => s.partnerName)
        .sort(),
    ).toEqual(['Aisha Da Silva', 'Ben Kowalski']);
    expect(
      ledger('who-sat', '--group', 'programme-board', '--at', '2014-03-01', '-d', dataDir).out,
    ).toContain('Aisha Da Silva');
    expect(ledger('who-sat', '--group', 'nope', '--at', '2014-03-01', '-d', dataDir).code).toBe(1);
  });

  it('who-sat --known-at shows the record as it stood between the two waves of the demo', () => {
    expect(firstRecordedUntil).toEqual(expect.any(String));
    const seated = (...knownAt: string[]) => {
      const run = ledger(
        'who-sat',
        '--group',
        'gp-networks',
        '--at',
        '2014-10-01',
        ...knownAt,
        '-d',
        dataDir,
        '--json',
      );
      expect(run.code).toBe(0);
      return (run.json() as { seats: Array<{ partnerId: string; constituency: string }> }).seats
        .filter((s) => s.constituency === 'lay')
        .map((s) => s.partnerId)
        .sort();
    };
    // Wave 1: lp-05's withdrawal not yet recorded, her replacement's seat neither.
    expect(seated('--known-at', firstRecordedUntil!)).toEqual(['lp-05', 'lp-06']);
    expect(seated()).toEqual(['lp-06', 'lp-41']);
  });

  it('verify passes on the ledger and fails (exit 1) on an altered copy, naming the place', () => {
    const ok = ledger('verify', '-d', dataDir, '--json');
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ ok: true, firstBroken: null });
    const copy = join(scratch, 'altered');
    rmSync(copy, { recursive: true, force: true });
    const migrated = ledger('migrate', '--from', dataDir, '--to', copy, '--json');
    expect(migrated.code).toBe(0);
    const db = new Database(join(copy, 'events.sqlite'));
    db.prepare(
      `UPDATE events SET data = replace(data, '"constituency":"ccg"', '"constituency":"lay"') WHERE position = (SELECT min(position) FROM events WHERE type = 'SeatAllocated')`,
    ).run();
    db.close();
    const altered = ledger('verify', '-d', copy, '--json');
    expect(altered.code).toBe(1);
    expect(altered.json()).toMatchObject({
      ok: false,
      firstBroken: { reason: expect.any(String), stream: expect.stringMatching(/^group-/) },
    });
  });

  it('digest prints a signed digest; verify --digest checks a ledger against it (exit 1 when altered)', () => {
    const keyFile = join(scratch, 'signing.key');
    writeFileSync(keyFile, TEST_SIGNING_KEY, { mode: 0o600 });
    const printed = ledger('digest', '-d', dataDir, '--signing-key-file', keyFile);
    expect(printed.code).toBe(0);
    const digest = printed.json() as { count: number; position: number; publicKey: string };
    expect(digest).toMatchObject({ format: 'ledger-head-v1', signature: expect.any(String) });
    expect(digest.count).toBeGreaterThan(600);
    const digestFile = join(scratch, 'digest.json');
    writeFileSync(digestFile, printed.out);
    const publicKeyFile = join(scratch, 'ledger.pub');
    writeFileSync(publicKeyFile, digest.publicKey);

    const ok = ledger(
      'verify',
      '-d',
      dataDir,
      '--digest',
      digestFile,
      '--public-key',
      publicKeyFile,
      '--json',
    );
    expect(ok.code).toBe(0);
    expect(ok.json()).toMatchObject({ ok: true, seal: { count: digest.count } });

    // A copy of the data directory with one event's recordedAt moved: caught, at that event.
    const copy = join(scratch, 'recorded-at');
    mkdirSync(copy, { recursive: true });
    for (const file of ['events.sqlite', 'seal.sqlite'])
      for (const suffix of ['', '-wal'])
        if (existsSync(join(dataDir, file + suffix)))
          copyFileSync(join(dataDir, file + suffix), join(copy, file + suffix));
    const db = new Database(join(copy, 'events.sqlite'));
    db.prepare('UPDATE events SET recorded_at = ? WHERE position = 42').run(
      Date.parse('2100-01-01'),
    );
    db.close();
    const altered = ledger(
      'verify',
      '-d',
      copy,
      '--digest',
      printed.out,
      '--public-key',
      publicKeyFile,
      '--json',
    );
    expect(altered.code).toBe(1);
    expect(altered.json()).toMatchObject({
      ok: false,
      firstBroken: { position: 42, reason: 'recorded_at_changed' },
    });
    // A digest altered without the key: refused.
    const forged = JSON.stringify({ ...digest, count: digest.count - 1 });
    const refused = ledger(
      'verify',
      '-d',
      dataDir,
      '--digest',
      forged,
      '--public-key',
      publicKeyFile,
      '--json',
    );
    expect(refused.code).toBe(1);
    expect(refused.json()).toMatchObject({ firstBroken: { reason: 'signature_invalid' } });
    expect(ledger('verify', '-d', dataDir, '--digest', 'nonsense').code).toBe(2);
  });

  it('migrate copies a ledger with identical content, and is a no-op when run again', () => {
    const target = join(scratch, 'copy');
    const first = ledger('migrate', '--from', dataDir, '--to', target, '--json').json() as {
      ok: boolean;
      copied: number;
    };
    expect(first).toMatchObject({ ok: true });
    expect(first.copied).toBeGreaterThan(600);
    expect(ledger('migrate', '--from', dataDir, '--to', target, '--json').json()).toMatchObject({
      ok: true,
      copied: 0,
    });
    expect(ledger('hash', target, '--json').json()).toEqual(
      ledger('hash', dataDir, '--json').json(),
    );
  });

  it('rebuild, replay and timeline work on the data directory', () => {
    const rebuild = ledger('rebuild', '-d', dataDir, '--json');
    expect(rebuild.code).toBe(0);
    expect(rebuild.json()).toMatchObject({
      events: expect.any(Number),
      eventsPerSecond: expect.any(Number),
    });
    const replay = ledger('replay', '-d', dataDir, '--until', '20', '--json').json() as {
      position: number;
      groups: unknown[];
    };
    expect(replay.position).toBe(20);
    expect(replay.groups.length).toBeGreaterThan(0);
    const timeline = ledger('timeline', '-d', dataDir, '--type', 'CoChairElected');
    expect(timeline.out).toMatch(/elected co-chair of Embedding Partnerships/);
  });

  it('timeline shows the business date, or with --recorded the date it was recorded', () => {
    const lines = ledger('timeline', '-d', dataDir, '--type', 'GroupEstablished', '--json')
      .out.trim()
      .split('\n')
      .map(
        (line) => JSON.parse(line) as { position: number; occurredAt: string; recordedAt: string },
      );
    const first = lines[0]!;
    expect(first.occurredAt.slice(0, 4)).toBe('2013'); // the scenario's date, not the load's
    const byBusiness = ledger('timeline', '-d', dataDir, '--type', 'GroupEstablished');
    expect(byBusiness.out.split('\n')[0]).toContain(`  ${first.occurredAt.slice(0, 10)}  `);
    const byRecording = ledger(
      'timeline',
      '-d',
      dataDir,
      '--type',
      'GroupEstablished',
      '--recorded',
    );
    expect(byRecording.out.split('\n')[0]).toContain(`  ${first.recordedAt.slice(0, 10)}  `);
    expect(first.recordedAt.slice(0, 10)).not.toBe(first.occurredAt.slice(0, 10));
  });

  it('refuses (exit 2) an unknown --type, listing the valid ones, and a replay past the head', () => {
    const unknown = ledger('timeline', '-d', dataDir, '--type', 'SeatAllocated,SeatAlocated');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('SeatAlocated');
    expect(unknown.err).toContain('CoChairElected');
    expect(unknown.out).toBe('');
    const head = ledger('hash', dataDir, '--json').json() as { events: number };
    const past = ledger('replay', '-d', dataDir, '--until', '999999');
    expect(past.code).toBe(2);
    expect(past.err).toMatch(/past the head of the log/);
    expect(past.out).toBe('');
    expect(ledger('replay', '-d', dataDir, '--until', String(head.events), '--json').code).toBe(0);
  });

  it('prints its version', () => {
    const version = ledger('--version');
    expect(version.code).toBe(0);
    expect(version.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('export and export-events with --json: the file on stdout unchanged, a summary on stderr', () => {
    const plain = ledger('export', 'tenures', '-d', dataDir, '--as-of', '2014-03-01');
    const json = ledger('export', 'tenures', '-d', dataDir, '--as-of', '2014-03-01', '--json');
    expect(json.code).toBe(0);
    expect(json.out).toBe(plain.out);
    expect(JSON.parse(json.err)).toMatchObject({
      export: 'tenures',
      format: 'csv',
      programmeId: 'nwl-wsic',
      asOf: '2014-03-01T23:59:59.999Z',
      rows: plain.out.trim().split('\n').length - 1,
    });
    const events = ledger('export-events', '-d', dataDir, '--json');
    expect(events.code).toBe(0);
    const count = events.out.trim().split('\n').length;
    expect(JSON.parse(events.err)).toEqual({ events: count, lastPosition: count, readable: false });
  });

  it('exports CSV, NDJSON and Popolo, and moves a ledger as NDJSON events that still verify', () => {
    const csv = ledger('export', 'funnel', '-d', dataDir);
    expect(csv.code).toBe(0);
    expect(csv.out).toContain('design-phase-2013,,40,40,25,15,13,');
    // One programme's file, as over the API: naming the ledger's only programme changes nothing.
    expect(ledger('export', 'funnel', '--programme', 'nwl-wsic', '-d', dataDir).out).toBe(csv.out);
    expect(ledger('export', 'funnel', '--programme', 'nope', '-d', dataDir).code).toBe(1);
    const tenures = ledger(
      'export',
      'tenures',
      '--format',
      'ndjson',
      '--as-of',
      '2014-03-01',
      '-d',
      dataDir,
    );
    expect(tenures.out.split('\n')[0]).toContain('"groupId"');
    const popolo = JSON.parse(ledger('export', 'memberships', '-d', dataDir).out) as {
      memberships: unknown[];
    };
    expect(popolo.memberships.length).toBeGreaterThan(150);
    expect(ledger('export', 'secrets', '-d', dataDir).code).toBe(2);

    const dump = join(scratch, 'events.ndjson');
    const events = ledger('export-events', '-d', dataDir);
    expect(events.code).toBe(0);
    writeFileSync(dump, events.out);
    // The shape of GET /v1/audit/events, as stored (ciphertext): what `import` re-appends.
    const stored = events.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(Object.keys(stored[0]!).sort()).toEqual([
      'data',
      'hash',
      'id',
      'metadata',
      'occurredAt',
      'position',
      'prevHash',
      'recordedAt',
      'revision',
      'schemaVersion',
      'stream',
      'type',
    ]);
    expect(events.out).toContain('enc:v1:');
    const readable = ledger('export-events', '--readable', '-d', dataDir);
    expect(readable.code).toBe(0);
    expect(readable.out).not.toContain('enc:v1:');
    const shown = readable.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(shown.map((e) => e.hash)).toEqual(stored.map((e) => e.hash));
    const imported = ledger('import', dump, '-d', join(scratch, 'imported'), '--json');
    expect(imported.code).toBe(0);
    expect(imported.json()).toMatchObject({ skipped: 0, verification: { ok: true } });
    expect(ledger('hash', join(scratch, 'imported'), '--json').json()).toEqual(
      ledger('hash', dataDir, '--json').json(),
    );
    expect(ledger('import', dump, '-d', join(scratch, 'imported'), '--json').json()).toMatchObject({
      imported: 0,
    });
    writeFileSync(join(scratch, 'bad.ndjson'), '{"not":"an event"}\n');
    expect(ledger('import', join(scratch, 'bad.ndjson'), '-d', join(scratch, 'other')).code).toBe(
      1,
    );
  });

  it('means something by its exit codes: 2 for usage, 1 for a missing ledger', () => {
    expect(ledger('who-sat', '--at', '2014-03-01', '-d', dataDir).code).toBe(2);
    expect(ledger('frobnicate').code).toBe(2);
    expect(ledger('rebuild', '-d', join(scratch, 'nowhere')).code).toBe(1);
    expect(
      ledger(
        'migrate',
        '--from',
        join(scratch, 'nowhere.sqlite'),
        '--to',
        join(scratch, 'x.sqlite'),
      ).err,
    ).toContain('No event store');
  });
});
