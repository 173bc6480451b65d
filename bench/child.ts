import { spawn } from 'node:child_process';

/** After SIGTERM, how long a child gets to print what it has before SIGKILL. */
const GRACE_MS = 2_000;

export interface ChildRun {
  stdout: string;
  /** The tail only: enough to say why a run died. */
  stderr: string;
  exit: string;
  ok: boolean;
  timedOut: boolean;
}

/**
 * A bench script in a Node process of its own (a scenario that may hang or
 * crash, or whose memory must be its own), stopped after `timeoutMs`.
 */
export function runChild(script: string, args: string[], timeoutMs: number): Promise<ChildRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on(
      'data',
      (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)),
    );
    const kill = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), GRACE_MS).unref();
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(kill);
      resolve({
        stdout,
        stderr,
        exit: signal ? `signal ${signal}` : `code ${code}`,
        ok: code === 0,
        timedOut,
      });
    });
  });
}

/** The report a child prints as its last line of JSON, if it got that far. */
export function lastJsonLine<T>(stdout: string): T | undefined {
  const line = stdout.trim().split('\n').pop();
  if (!line?.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as T;
  } catch {
    return undefined;
  }
}
