#!/usr/bin/env node
import 'reflect-metadata';
import {
  contentHash,
  LedgerPostgres,
  migrate,
  PersonKeyStore,
  PostgresPersonKeyStore,
  verificationToJson,
  verifyLedger,
  LedgerSealer,
  parsePublicKey,
  parseSignedHead,
  signedHeadToJson,
  type EventStore,
  type SignedHead,
} from '@app/event-store';
import type { KeyObject } from 'node:crypto';
import { exportLedger, importEvents } from './transfer.js';
import {
  auditLog,
  createLedgerProjections,
  EXPORTS,
  GovernanceQueries,
  openReadStore,
  ProjectionRunner,
  ReplayService,
  timeline,
} from '@app/projections';
import { LEDGER_EVENT_TYPES } from '@app/domain';
import { Command, CommanderError, Option } from 'commander';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CliError,
  openLedger,
  openRawStore,
  openSealStore,
  signingKeyOption,
  loadSigner,
} from './ledger-files.js';
import { print, progressBar } from './output.js';

const program = new Command('ledger')
  .description(
    'Engagement Ledger: replay, verify, rebuild, migrate and query a ledger from the command line',
  )
  .version(packageVersion(), '-V, --version', 'the version of the ledger')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

/** The version in the repository's package.json (found upwards from this file, built or not). */
function packageVersion(): string {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'engagement-ledger' && pkg.version) return pkg.version;
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}

/** Every event type the ledger appends: what `timeline --type` accepts. */
const EVENT_TYPES = LEDGER_EVENT_TYPES;

const dataDirOption = () =>
  new Option('-d, --data-dir <dir>', 'the ledger data directory').default(
    process.env.LEDGER_DATA_DIR ?? './data',
  );
const jsonOption = () => new Option('--json', 'one machine-readable JSON result on stdout');
/** Commands whose stdout is already the data (a file to pipe): --json adds a summary on stderr. */
const summaryOption = () =>
  new Option(
    '--json',
    'the file on stdout unchanged, then one JSON summary line on stderr (what was written, how many rows)',
  );
const summary = (value: unknown) => process.stderr.write(`${JSON.stringify(value)}\n`);

/** A date alone means the end of that day (UTC), as on the API. */
function instant(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value)
    ? Date.parse(`${value}T23:59:59.999Z`)
    : Date.parse(value);
  if (Number.isNaN(ms))
    throw new CliError(`--${name} must be a date (2014-03-01) or an ISO 8601 instant`, 2);
  return new Date(ms).toISOString();
}

function replays(ledger: { store: EventStore }, dataDir: string): ReplayService {
  return new ReplayService(ledger.store, createLedgerProjections, join(dataDir, 'snapshots'));
}

async function stateAt(dataDir: string) {
  const ledger = openLedger(dataDir);
  const head = await ledger.store.headPosition();
  const state = head === null ? null : await replays(ledger, dataDir).replay(head);
  return { ledger, state };
}

program
  .command('verify')
  .description(
    'recompute every hash chain and the whole-ledger seal (exit 1 if anything was altered), optionally against a signed digest',
  )
  .addOption(dataDirOption())
  .option(
    '--position <n>',
    'position of an unsigned ledger digest exported earlier (with --digest)',
  )
  .option(
    '--digest <digest>',
    'a signed digest (a file holding it, its JSON, or that JSON in base64url), as `ledger digest` or GET /v1/audit/digest gave it; with --position, an unsigned ledger digest (64 hex)',
  )
  .option(
    '--public-key <key>',
    'check the signed digest with this Ed25519 public key (a PEM file, PEM, or base64 SPKI) instead of the ledger’s signing key',
  )
  .addOption(signingKeyOption())
  .addOption(jsonOption())
  .action(
    async (options: {
      dataDir: string;
      position?: string;
      digest?: string;
      publicKey?: string;
      signingKeyFile?: string;
      json?: boolean;
    }) => {
      if (options.position !== undefined && options.digest === undefined)
        throw new CliError('--position goes with --digest', 2);
      if (options.position !== undefined && !/^\d+$/.test(options.position))
        throw new CliError('--position must be a whole number', 2);
      const signed =
        options.digest !== undefined && options.position === undefined
          ? signedHeadFrom(options.digest)
          : undefined;
      const publicKey = signed ? publicKeyFor(options) : undefined;
      const store = openRawStore(options.dataDir);
      const seals = openSealStore(options.dataDir);
      try {
        const result = await verifyLedger(store, {
          ...(seals ? { sealRecords: seals } : {}),
          ...(options.digest !== undefined && options.position !== undefined
            ? { expectedDigest: { position: BigInt(options.position), digest: options.digest } }
            : {}),
          ...(signed ? { signedHead: signed, publicKey: publicKey! } : {}),
        });
        const body = verificationToJson(result);
        print(!!options.json, body, () =>
          result.ok
            ? `ok: ${result.checkedEvents} events verified; digest ${result.digest} at position ${String(result.position)}; seal ${result.seal.hash} over ${result.seal.count} events${
                signed ? `; extends the signed digest at position ${String(signed.position)}` : ''
              }`
            : `ALTERED: ${JSON.stringify(body.firstBroken)}`,
        );
        if (!result.ok) process.exitCode = 1;
      } finally {
        seals?.close();
        await store.close();
      }
    },
  );

/** A signed digest from a file, its JSON, or that JSON in base64url. */
function signedHeadFrom(value: string): SignedHead {
  const text =
    !value.trim().startsWith('{') && existsSync(value) ? readFileSync(value, 'utf8') : value;
  try {
    return parseSignedHead(text);
  } catch (error) {
    throw new CliError(`--digest: ${(error as Error).message}`, 2);
  }
}

/** The key a signed digest is checked with: --public-key, else the ledger's own signing key. */
function publicKeyFor(options: {
  publicKey?: string;
  dataDir: string;
  signingKeyFile?: string;
}): KeyObject {
  if (options.publicKey !== undefined) {
    const text = existsSync(options.publicKey)
      ? readFileSync(options.publicKey, 'utf8')
      : options.publicKey;
    try {
      return parsePublicKey(text);
    } catch (error) {
      throw new CliError(`--public-key: ${(error as Error).message}`, 2);
    }
  }
  const signer = loadSigner(options.dataDir, options.signingKeyFile);
  if (!signer)
    throw new CliError(
      'No key to check the digest with: give --public-key (as GET /v1/audit/public-key gives it) or the signing key',
      2,
    );
  return signer.publicKey;
}

program
  .command('digest')
  .description(
    'seal every event committed so far and print the latest signed digest as JSON (to publish; check it later with verify --digest)',
  )
  .addOption(dataDirOption())
  .addOption(signingKeyOption())
  .addOption(new Option('--json', 'accepted for symmetry: the digest is always printed as JSON'))
  .action(async (options: { dataDir: string; signingKeyFile?: string }) => {
    const signer = loadSigner(options.dataDir, options.signingKeyFile);
    const store = openRawStore(options.dataDir);
    const seals = openSealStore(options.dataDir, { create: true })!;
    try {
      // Without the key, events are sealed but only the last head signed by the ledger is shown.
      const head = await new LedgerSealer(store, seals, signer).seal();
      if (!head)
        throw new CliError(
          'No signed digest yet, and no signing key (LEDGER_SIGNING_KEY, LEDGER_SIGNING_KEY_FILE or --signing-key-file) to sign one',
        );
      process.stdout.write(
        `${JSON.stringify({
          ...signedHeadToJson(head),
          ...(signer && signer.keyId === head.keyId ? { publicKey: signer.publicKeyPem } : {}),
        })}\n`,
      );
    } finally {
      seals.close();
      await store.close();
    }
  });

program
  .command('rebuild')
  .description('drop every read model and rebuild it from the log')
  .addOption(dataDirOption())
  .addOption(jsonOption())
  .action(async (options: { dataDir: string; json?: boolean }) => {
    if (!existsSync(join(options.dataDir, 'events.sqlite')))
      throw new CliError(`No ledger in ${options.dataDir} (no events.sqlite)`);
    const ledger = openLedger(options.dataDir);
    const db = openReadStore(join(options.dataDir, 'readmodels.sqlite'));
    const total = Number((await ledger.store.headPosition()) ?? 0n);
    const bar = progressBar('rebuild', !!options.json);
    const started = performance.now();
    let events = 0;
    try {
      await new ProjectionRunner(ledger.store, db, createLedgerProjections()).rebuild(
        (position) => {
          events = Number(position);
          bar.update(events, total);
        },
      );
      bar.stop();
      rmSync(join(options.dataDir, 'snapshots'), { recursive: true, force: true });
      const seconds = (performance.now() - started) / 1000;
      const result = {
        events: total,
        seconds: Math.round(seconds * 1000) / 1000,
        eventsPerSecond: Math.round(total / Math.max(seconds, 1e-9)),
      };
      print(
        !!options.json,
        result,
        () =>
          `rebuilt every read model from ${total} events in ${result.seconds} s (${result.eventsPerSecond} events/s)`,
      );
    } finally {
      db.close();
      await ledger.close();
    }
  });

program
  .command('migrate')
  .description(
    'copy every event to another store (SQLite file or data dir, or esdb://…), resumable, verified by content hash',
  )
  .requiredOption(
    '--from <source>',
    'SQLite events file or data dir, or an esdb:// connection string',
  )
  .requiredOption(
    '--to <target>',
    'SQLite events file or data dir (created if absent), or an esdb:// connection string',
  )
  .option('--batch <n>', 'events per append at most', '500')
  .addOption(jsonOption())
  .action(async (options: { from: string; to: string; batch: string; json?: boolean }) => {
    const batch = Number(options.batch);
    if (!Number.isInteger(batch) || batch < 1)
      throw new CliError('--batch must be a positive integer', 2);
    const source = openRawStore(options.from);
    const target = openRawStore(options.to, { create: true });
    const bar = progressBar('migrate', !!options.json);
    try {
      const result = await migrate(source, target, {
        batch,
        onProgress: (p) => bar.update(p.copied + p.skipped, p.total ?? 0),
      });
      bar.stop();
      print(!!options.json, result, () =>
        [
          `copied ${result.copied} events (${result.skipped} already there)`,
          `source ${result.source.events} events, hash ${result.source.hash}`,
          `target ${result.target.events} events, hash ${result.target.hash}`,
          result.ok ? 'ok: identical content' : 'MISMATCH: the stores differ',
        ].join('\n'),
      );
      if (!result.ok) process.exitCode = 1;
    } finally {
      await Promise.all([source.close(), target.close()]);
    }
  });

program
  .command('migrate-keys')
  .description(
    "copy an embedded ledger's person keys (keys.sqlite, erasures included) into a cluster's PostgreSQL, before its replicas serve the migrated events",
  )
  .requiredOption('--from <dir>', 'the embedded ledger data directory (its keys.sqlite)')
  .requiredOption('--to <url>', 'postgres://… (LEDGER_POSTGRES_URL of the cluster)')
  .option('--schema <name>', 'LEDGER_POSTGRES_SCHEMA of the cluster', 'ledger')
  .addOption(jsonOption())
  .action(async (options: { from: string; to: string; schema: string; json?: boolean }) => {
    const file = join(options.from, 'keys.sqlite');
    if (!existsSync(file)) throw new CliError(`No person key store at ${file}`);
    if (!/^postgres(ql)?:\/\//.test(options.to))
      throw new CliError('--to must be a postgres:// URL', 2);
    const source = new PersonKeyStore(file);
    const postgres = await LedgerPostgres.connect({ url: options.to, schema: options.schema });
    try {
      const target = await PostgresPersonKeyStore.open(postgres);
      const result = await target.importKeys(source.exportAll());
      await target.close();
      print(!!options.json, result, () =>
        [
          `copied ${result.copied} keys (${result.alreadyThere} already there), ${result.erased} erased`,
          result.conflicts.length === 0
            ? 'ok'
            : `CONFLICT: another key is already there for ${result.conflicts.join(', ')}`,
        ].join('\n'),
      );
      if (result.conflicts.length > 0) process.exitCode = 1;
    } finally {
      source.close();
      await postgres.close();
    }
  });

program
  .command('who-sat')
  .description('who sat on a group on a date, as the record stood at another (default: now)')
  .requiredOption('-g, --group <id>', 'group id')
  .requiredOption('--at <date>', 'business date (2014-03-01)')
  .option('--known-at <date>', 'as the ledger knew it at this time')
  .addOption(dataDirOption())
  .addOption(jsonOption())
  .action(
    async (options: {
      group: string;
      at: string;
      knownAt?: string;
      dataDir: string;
      json?: boolean;
    }) => {
      const asOf = instant(options.at, 'at')!;
      const knownAt = options.knownAt
        ? Date.parse(instant(options.knownAt, 'known-at')!)
        : Date.now();
      const { ledger, state } = await stateAt(options.dataDir);
      try {
        const group =
          state &&
          new GovernanceQueries(state.db)
            .governance({ asOf, knownAt })
            .find((g) => g.groupId === options.group);
        if (!group)
          throw new CliError(
            `Group ${options.group} did not exist on ${options.at} as then recorded`,
          );
        const result = {
          groupId: group.groupId,
          name: group.name,
          asOf,
          knownAt: new Date(knownAt).toISOString(),
          seats: group.seats,
          coChairs: group.coChairs,
        };
        print(!!options.json, result, () =>
          [
            `${group.name} on ${options.at}:`,
            ...group.seats.map(
              (s) =>
                `  ${(s.partnerName ?? s.partnerId).padEnd(28)} ${s.constituency.padEnd(16)} since ${s.since.slice(0, 10)}`,
            ),
            ...group.coChairs.map(
              (c) => `  co-chair: ${c.partnerName ?? c.partnerId} (${c.constituency})`,
            ),
          ].join('\n'),
        );
        state?.db.close();
      } finally {
        await ledger.close();
      }
    },
  );

program
  .command('replay')
  .description('the governance structure replayed from the log up to a position')
  .option('--until <position>', 'a position in $all (default: the head)')
  .addOption(dataDirOption())
  .addOption(jsonOption())
  .action(async (options: { until?: string; dataDir: string; json?: boolean }) => {
    if (options.until !== undefined && !/^\d+$/.test(options.until))
      throw new CliError('--until must be a position (a whole number)', 2);
    const ledger = openLedger(options.dataDir);
    try {
      const last = await ledger.store.headPosition();
      if (options.until !== undefined && (last === null || BigInt(options.until) > last))
        throw new CliError(
          `--until ${options.until} is past the head of the log (${last === null ? 'the ledger is empty' : `last position ${String(last)}`})`,
          2,
        );
      const head = options.until === undefined ? last : BigInt(options.until);
      const { groups } =
        head === null ? { groups: [] } : await replays(ledger, options.dataDir).governanceAt(head);
      const result = { position: head === null ? null : Number(head), groups };
      print(!!options.json, result, () =>
        [
          `state at position ${String(head)}:`,
          ...groups.map(
            (g) =>
              `  ${g.name}: ${g.seats.length} seats, lay ${g.laySeats.filled}/${g.laySeats.min}`,
          ),
        ].join('\n'),
      );
    } finally {
      await ledger.close();
    }
  });

program
  .command('timeline')
  .description('events in order with a plain-language line each')
  .option('-g, --group <id>', 'only events about this group')
  .option('-p, --partner <id>', 'only events about this partner')
  .option('-t, --type <types>', `comma-separated event types (${EVENT_TYPES.join(', ')})`)
  .option(
    '--recorded',
    'show the date each event was recorded in the ledger instead of its business date (occurredAt)',
  )
  .addOption(dataDirOption())
  .addOption(jsonOption())
  .action(
    async (options: {
      group?: string;
      partner?: string;
      type?: string;
      recorded?: boolean;
      dataDir: string;
      json?: boolean;
    }) => {
      const types = options.type
        ? new Set(options.type.split(',').map((type) => type.trim()))
        : null;
      const unknown = [...(types ?? [])].filter((type) => !EVENT_TYPES.includes(type));
      if (unknown.length > 0)
        throw new CliError(
          `Unknown event type${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; --type takes: ${EVENT_TYPES.join(', ')}`,
          2,
        );
      const { ledger, state } = await stateAt(options.dataDir);
      try {
        const names = state
          ? new GovernanceQueries(state.db).names()
          : { partner: (id: string) => id, group: (id: string) => id };
        const lines = timeline(ledger.store, {
          filter: { types, groupId: options.group, partnerId: options.partner },
          view: { names },
        });
        for await (const line of lines) {
          print(
            !!options.json,
            line,
            () =>
              `${String(line.position).padStart(7)}  ${(options.recorded ? line.recordedAt : (line.occurredAt ?? '')).slice(0, 10).padEnd(10)}  ${line.line}`,
          );
        }
        state?.db.close();
      } finally {
        await ledger.close();
      }
    },
  );

program
  .command('export')
  .description(
    'tenures, influence, funnel, participation or representation as CSV or NDJSON; memberships as Popolo JSON (to stdout)',
  )
  .argument('<what>', 'tenures | influence | funnel | participation | representation | memberships')
  .addOption(
    new Option('-f, --format <format>', 'csv or ndjson (memberships: Popolo JSON)')
      .choices(['csv', 'ndjson'])
      .default('csv'),
  )
  .option('--as-of <date>', 'business date (default: now)')
  .option('--known-at <date>', 'as the ledger knew it then (default: now)')
  .option('--programme <id>', 'the programme (needed when the ledger runs several)')
  .addOption(dataDirOption())
  .addOption(summaryOption())
  .action(
    async (
      what: string,
      options: {
        format: 'csv' | 'ndjson';
        asOf?: string;
        knownAt?: string;
        programme?: string;
        dataDir: string;
        json?: boolean;
      },
    ) => {
      if (![...EXPORTS, 'memberships'].includes(what)) {
        throw new CliError(`Unknown export '${what}': ${EXPORTS.join(', ')} or memberships`, 2);
      }
      const at = {
        asOf: instant(options.asOf, 'as-of') ?? new Date().toISOString(),
        knownAt: options.knownAt ? Date.parse(instant(options.knownAt, 'known-at')!) : Date.now(),
      };
      const { ledger, state } = await stateAt(options.dataDir);
      try {
        if (!state) throw new CliError('The ledger is empty');
        const file = exportLedger(state.db, what, options.format, at, options.programme);
        process.stdout.write(file.body);
        if (options.json)
          summary({
            export: what,
            format: what === 'memberships' ? 'popolo' : options.format,
            programmeId: file.programmeId,
            asOf: at.asOf,
            knownAt: new Date(at.knownAt).toISOString(),
            rows: file.rows,
          });
        state.db.close();
      } finally {
        await ledger.close();
      }
    },
  );

program
  .command('import')
  .description(
    'append raw events from NDJSON (as `export-events` or another ledger wrote them), then verify the hash chains',
  )
  .argument(
    '<file>',
    'NDJSON: one {stream, revision, id, type, data, metadata} per line (`streamId` in older files)',
  )
  .addOption(dataDirOption())
  .addOption(jsonOption())
  .action(async (file: string, options: { dataDir: string; json?: boolean }) => {
    if (!existsSync(file)) throw new CliError(`No file ${file}`);
    const store = openRawStore(options.dataDir, { create: true });
    try {
      const result = await importEvents(store, file);
      const verification = verificationToJson(await verifyLedger(store));
      print(
        !!options.json,
        { ...result, verification },
        () =>
          `imported ${result.imported} events (${result.skipped} already there); ledger ${verification.ok ? 'verifies' : 'DOES NOT verify'}: ${verification.checkedEvents} events`,
      );
      if (!verification.ok) process.exitCode = 1;
    } finally {
      await store.close();
    }
  });

program
  .command('export-events')
  .description(
    'every stored event as NDJSON (ciphertext and hash chains included), for `import` elsewhere; the shape of GET /v1/audit/events',
  )
  .addOption(dataDirOption())
  .option(
    '--readable',
    'as GET /v1/audit/events shows them: personal fields decrypted (or [erased]), data in its current schema (not for import)',
  )
  .addOption(summaryOption())
  .action(async (options: { dataDir: string; readable?: boolean; json?: boolean }) => {
    const ledger = options.readable ? openLedger(options.dataDir) : null;
    const raw = ledger ? null : openRawStore(options.dataDir);
    const source = ledger ?? { store: raw!, stored: raw! };
    try {
      let events = 0;
      let last: number | null = null;
      for await (const event of auditLog(source, {})) {
        process.stdout.write(`${JSON.stringify(event)}\n`);
        events += 1;
        last = event.position;
      }
      if (options.json) summary({ events, lastPosition: last, readable: !!options.readable });
    } finally {
      await (ledger ? ledger.close() : raw!.close());
    }
  });

program
  .command('hash')
  .description('the content hash of a store (what migrate compares)')
  .argument('<store>', 'SQLite events file or data dir, or esdb:// connection string')
  .addOption(jsonOption())
  .action(async (location: string, options: { json?: boolean }) => {
    const store = openRawStore(location);
    try {
      const result = await contentHash(store);
      print(!!options.json, result, () => `${result.events} events, content hash ${result.hash}`);
    } finally {
      await store.close();
    }
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
    return;
  }
  process.stderr.write(`ledger: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof CliError ? error.exitCode : 1;
});
