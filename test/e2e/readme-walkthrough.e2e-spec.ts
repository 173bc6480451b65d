import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestLedger, TEST_KEYS, type TestLedger } from '../support/test-ledger.js';

/** Spawns bash, curl and the demo loader against a ledger served in-process: sized for a busy 2-core machine. */
jest.setTimeout(180_000);

const ROOT = join(import.meta.dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The README's walkthrough: the first bash block, the one that sets LEDGER_URL and KEY. */
function walkthrough(): string {
  const block = [...README.matchAll(/```bash\n([\s\S]*?)```/g)]
    .map((match) => match[1]!)
    .find((text) => text.startsWith('LEDGER_URL=${LEDGER_URL:-'));
  if (!block) throw new Error('README: no bash block starting LEDGER_URL=${LEDGER_URL:-…}');
  return block;
}

/** The outputs the block shows, as `# {…}` comments; `"…"` stands for any value. */
function shownOutputs(block: string): Array<Record<string, unknown>> {
  return block
    .split('\n')
    .filter((line) => line.startsWith('# {'))
    .map((line) => JSON.parse(line.slice(2)) as Record<string, unknown>);
}

function run(
  file: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 150_000, maxBuffer: 16 << 20 },
      (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });
}

describe('the README walkthrough, run as written', () => {
  let ledger: TestLedger;
  let env: Record<string, string>;

  beforeAll(async () => {
    ledger = await startTestLedger();
    await ledger.app.listen(0, '127.0.0.1');
    env = { LEDGER_URL: await ledger.app.getUrl(), KEY: TEST_KEYS['programme-office'] };
  });
  afterAll(() => ledger.destroy());

  it('every command succeeds on a fresh ledger and answers what the README shows', async () => {
    const block = walkthrough();
    // Each curl's answer on its own line (the API's bodies end without a newline).
    const script = `set -e -o pipefail\ncurl() { command curl "$@"; echo; }\n${block}`;
    const result = await run('bash', ['-c', script], env);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const answers = result.out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

    const shown = shownOutputs(block);
    expect(shown.length).toBeGreaterThan(0);
    for (const expected of shown) {
      const pattern = Object.fromEntries(
        Object.entries(expected).map(([key, value]) => [
          key,
          value === '…' ? expect.anything() : value,
        ]),
      );
      expect(answers).toContainEqual(pattern);
    }

    const governance = answers.find((answer) => Array.isArray(answer.groups)) as {
      groups: Array<{ groupId: string; seats: Array<{ partnerId: string; seatId: string }> }>;
    };
    expect(governance.groups.find((g) => g.groupId === 'programme-board')?.seats).toEqual([
      expect.objectContaining({ partnerId: 'ann', seatId: 'lay-1' }),
    ]);
  });

  it('then the demo loader says it needs an empty ledger, and exits', async () => {
    const demo = await run(process.execPath, ['demo/load-demo.mjs', '--quiet'], {
      LEDGER_URL: env.LEDGER_URL!,
      LEDGER_API_KEY: env.KEY!,
    });
    expect(demo.code).toBe(1);
    expect(demo.err).toMatch(/409 .*_exists/);
    expect(demo.err).toContain('The demo needs an empty ledger');
  });
});
