import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { TEST_SIGNING_KEY } from './test-ledger.js';

const MAIN = join(import.meta.dirname, '../../dist/apps/ledger-api/src/main.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface LedgerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * The built app (`npm run build`) as a separate process, as `npm start` runs
 * it: for tests that kill it or read what it prints.
 */
export async function spawnLedger(env: Record<string, string>): Promise<LedgerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      // A fixed key, not one generated beside the (temporary) data directory.
      ...(env.LEDGER_SIGNING_KEY_FILE ? {} : { LEDGER_SIGNING_KEY: TEST_SIGNING_KEY }),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilServing(url, child, () => output);
  return {
    child,
    url,
    output: () => output,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Start-up readiness: retries /health until it answers, bounded, failing with the app's output. */
async function waitUntilServing(
  url: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`ledger exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`ledger did not serve within 30 s:\n${output()}`);
}
