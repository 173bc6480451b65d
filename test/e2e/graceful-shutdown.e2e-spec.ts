import { rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { programmeBoard } from '../support/fixtures.js';
import { spawnLedger, type LedgerProcess } from '../support/ledger-process.js';
import { TEST_API_KEYS, TEST_KEYS, tempDataDir } from '../support/test-ledger.js';

/**
 * SIGTERM to the built app (`npm run build`): idle connections — one that
 * never sent a request, one kept alive after a request — must not hold the
 * shutdown; a request in flight finishes and gets its answer; whatever is
 * still open at LEDGER_SHUTDOWN_TIMEOUT_MS is closed and the process exits.
 */

const PROCESS_TIMEOUT_MS = 120_000;
/** Generous: only "well within the bound" is asserted, never a duration. */
const SLACK_MS = 10_000;

function open(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the server sends until it closes the connection. */
function received(socket: Socket): Promise<string> {
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return new Promise((resolve) => socket.once('close', () => resolve(text)));
}

/** A POST whose body is sent but for its last bytes: in flight until `finish` is called. */
async function slowPost(url: string): Promise<{ finish(): void; answer: Promise<string> }> {
  const socket = await open(url);
  const answer = received(socket);
  const body = JSON.stringify(programmeBoard());
  socket.write(
    [
      'POST /v1/groups HTTP/1.1',
      `Host: ${new URL(url).host}`,
      `Authorization: Bearer ${TEST_KEYS['programme-office']}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body.slice(0, -5),
    ].join('\r\n'),
  );
  // Answered after the bytes above were read (one event loop serves both connections).
  await fetch(`${url}/health/live`);
  return { finish: () => socket.write(body.slice(-5)), answer };
}

function exitOf(ledger: LedgerProcess): Promise<{ code: number | null; signal: string | null }> {
  const { child } = ledger;
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('graceful shutdown (SIGTERM to the built app)', () => {
  const dataDirs: string[] = [];
  const ledgers: LedgerProcess[] = [];
  const start = async (timeoutMs: number) => {
    const dataDir = tempDataDir();
    dataDirs.push(dataDir);
    const ledger = await spawnLedger({
      LEDGER_DATA_DIR: dataDir,
      LEDGER_API_KEYS: TEST_API_KEYS,
      LEDGER_RATE_LIMIT: '0',
      LEDGER_SHUTDOWN_TIMEOUT_MS: String(timeoutMs),
    });
    ledgers.push(ledger);
    return ledger;
  };
  afterAll(async () => {
    await Promise.all(ledgers.map((ledger) => ledger.kill('SIGKILL')));
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }, PROCESS_TIMEOUT_MS);

  it(
    'closes idle and silent connections at once, finishes the request in flight, exits 0',
    async () => {
      const boundMs = 30_000;
      const ledger = await start(boundMs);
      const silent = await open(ledger.url);
      const silentClosed = received(silent);
      const keptAlive = await open(ledger.url);
      const keptAliveClosed = received(keptAlive);
      const firstAnswer = new Promise<string>((resolve) =>
        keptAlive.once('data', (chunk: Buffer) => resolve(chunk.toString())),
      );
      keptAlive.write(`GET /health/live HTTP/1.1\r\nHost: ledger\r\n\r\n`);
      expect(await firstAnswer).toMatch(/^HTTP\/1\.1 200/);
      const inFlight = await slowPost(ledger.url);

      const signalledAt = Date.now();
      const exited = exitOf(ledger);
      ledger.child.kill('SIGTERM');
      // Both idle connections are closed by the server, the process still serving the POST.
      await Promise.all([silentClosed, keptAliveClosed]);
      expect(ledger.child.exitCode).toBeNull();
      inFlight.finish();
      const answer = await inFlight.answer;
      expect(answer).toMatch(/^HTTP\/1\.1 201/);
      expect(answer.toLowerCase()).toContain('connection: close');
      expect(answer).toContain('"id":"programme-board"');

      expect(await exited).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalledAt).toBeLessThan(boundMs);
    },
    PROCESS_TIMEOUT_MS,
  );

  it(
    'closes a request still in flight at the deadline and exits',
    async () => {
      const boundMs = 1_000;
      const ledger = await start(boundMs);
      const stuck = await slowPost(ledger.url);
      const signalledAt = Date.now();
      const exited = exitOf(ledger);
      ledger.child.kill('SIGTERM');
      const answer = await stuck.answer; // closed by the server, unanswered
      expect(answer).toBe('');
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalledAt).toBeLessThan(boundMs + SLACK_MS);
      expect(ledger.output()).toContain('drain deadline');
    },
    PROCESS_TIMEOUT_MS,
  );
});
