import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { startTestLedger, TEST_KEYS, type TestLedger } from '../support/test-ledger.js';

const run = promisify(execFile);
/** tsc and the Redocly CLI are child processes: sized for a loaded two-core machine. */
const SLOW_MS = 300_000;
const root = resolve(import.meta.dirname, '../..');
const clientSource = join(import.meta.dirname, 'client', 'ledger-client.ts');

/** Casts, non-null assertions and `any` in the client: it must need none of them. */
function escapes(source: string): string[] {
  const file = ts.createSourceFile('client.ts', source, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) found.push(`any at ${node.getStart()}`);
    if (ts.isAsExpression(node) && node.type.getText() !== 'const')
      found.push(`cast ${node.getText()}`);
    if (ts.isTypeAssertionExpression(node)) found.push(`cast ${node.getText()}`);
    if (ts.isNonNullExpression(node)) found.push(`non-null ${node.getText()}`);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/**
 * The OpenAPI document is the contract: an outside integrator lints it,
 * generates types from it and writes a client against those types alone. This
 * does the same from `/docs-json` of a started ledger: Redocly's recommended
 * rules report no error, openapi-typescript generates the types, a small
 * client (./client/ledger-client.ts) compiles with `tsc --strict` against them
 * and, run against the ledger, gets the answers the document promises.
 * Nothing here needs the network.
 */
describe('a client generated from the OpenAPI document', () => {
  let ledger: TestLedger;
  let url: string;
  let dir: string;
  let document: string;

  beforeAll(async () => {
    ledger = await startTestLedger();
    await ledger.app.listen(0, '127.0.0.1');
    url = (await ledger.app.getUrl()).replace('[::1]', '127.0.0.1');
    const response = await fetch(`${url}/docs-json`);
    expect(response.status).toBe(200);
    document = await response.text();
    // Inside the repository, so the client resolves openapi-fetch and typescript from node_modules.
    const scratch = join(root, 'node_modules', '.cache');
    mkdirSync(scratch, { recursive: true });
    dir = mkdtempSync(join(scratch, 'generated-client-'));
    writeFileSync(join(dir, 'openapi.json'), document);
  }, SLOW_MS);
  afterAll(async () => {
    await ledger?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, SLOW_MS);

  it(
    'passes Redocly lint (recommended rules) with no error',
    async () => {
      writeFileSync(join(dir, 'redocly.yaml'), 'extends:\n  - recommended\n');
      const { stdout } = await run(
        process.execPath,
        [
          join(root, 'node_modules/@redocly/cli/bin/cli.js'),
          'lint',
          join(dir, 'openapi.json'),
          '--config',
          join(dir, 'redocly.yaml'),
          '--format',
          'json',
        ],
        {
          env: {
            ...process.env,
            REDOCLY_TELEMETRY: 'off',
            REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
            REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
          },
          maxBuffer: 64 * 1024 * 1024,
        },
      ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
      const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
        totals: { errors: number };
        problems: Array<{ ruleId: string; severity: string; message: string; location: unknown }>;
      };
      const errors = report.problems.filter((problem) => problem.severity === 'error');
      expect(errors.map(({ ruleId, message }) => `${ruleId}: ${message}`)).toEqual([]);
      expect(report.totals.errors).toBe(0);
    },
    SLOW_MS,
  );

  it(
    'generates types, compiles a strict client without casts, and runs it against the ledger',
    async () => {
      const types = astToString(await openapiTS(document));
      writeFileSync(join(dir, 'api.d.ts'), types);
      const source = readFileSync(clientSource, 'utf8');
      expect(escapes(source)).toEqual([]);
      writeFileSync(join(dir, 'ledger-client.ts'), source);
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            noUncheckedIndexedAccess: true,
            target: 'ES2022',
            lib: ['ES2022', 'DOM'],
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            types: ['node'],
            skipLibCheck: false,
          },
          files: ['ledger-client.ts', 'api.d.ts'],
        }),
      );
      writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
      const tsc = await run(
        process.execPath,
        [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')],
        { cwd: dir },
      ).catch((error: { stdout?: string; stderr?: string }) => ({
        stdout: `${error.stdout ?? ''}${error.stderr ?? ''}`,
      }));
      expect(tsc.stdout).toBe('');

      const { outputText } = ts.transpileModule(source, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      });
      writeFileSync(join(dir, 'ledger-client.mjs'), outputText);
      const { stdout } = await run(process.execPath, [join(dir, 'ledger-client.mjs')], {
        cwd: dir,
        env: { ...process.env, LEDGER_URL: url, LEDGER_KEY: TEST_KEYS['programme-office'] },
      });
      const results = JSON.parse(stdout) as Record<string, unknown>;

      expect(results['establishGroup']).toEqual({
        id: 'client-board',
        revision: 0,
        position: expect.any(Number),
        recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      });
      expect(results['appoint']).toMatchObject({ id: 'client-ann', revision: 1 });
      expect(results['allocateSeat']).toMatchObject({ id: 'client-board', seatId: 'client-lay-1' });
      expect(results['boardSeats']).toEqual(['client-lay-1:client-ann']);
      expect(results['governanceBeforeTheSeat']).toBe(0);
      expect(results['knownAtRecordedAt']).toBe(1);
      expect(results['tenures']).toEqual([
        { partnerId: 'client-ann', from: '2014-01-10T00:00:00.000Z', to: null },
      ]);
      expect(results['unknownGroup']).toEqual({ status: 404, code: 'group_not_found' });
      expect(results['electionResult']).toEqual({
        status: 'closed',
        outcome: 'elected',
        turnout: 1,
        electedPartnerId: 'client-ann',
        tally: ['client-ann:1'],
      });
      expect(results['auditPage']).toEqual({
        types: ['GroupEstablished', 'SeatAllocated'],
        next: expect.any(Number),
        chained: true,
      });
      expect(results['gripp2']).toEqual({
        fromLedger: ['4b', '4c', '4d', '5b', '6'],
        laySeats: 1,
        signed: true,
      });
    },
    SLOW_MS,
  );
});
