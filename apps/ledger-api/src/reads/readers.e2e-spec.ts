import { loadScenario, readScenario } from '../../../../demo/load-demo.mjs';
import {
  startTestLedger,
  tempDataDir,
  TEST_KEYS,
  type TestLedger,
} from '../../../../test/support/test-ledger.js';
import type { Role } from '../security/roles.js';
import { ReadPool } from './read-pool.js';

/** Far after the demo's last fact: every answer below is for one fixed time point. */
const KNOWN_AT = '2030-01-01T00:00:00.000Z';
const AS_OF = '2029-12-31';
const PROGRAMME = 'nwl-wsic';

/** Every read READ_JOBS answers, with the parameters that take each of its paths. */
const READS = [
  `/v1/reports/gripp2?programmeId=${PROGRAMME}`,
  `/v1/reports/gripp2?programmeId=${PROGRAMME}&asOf=2015-06-30&from=2014-01-01&to=2014-12-31`,
  `/v1/exports/influence.csv?programmeId=${PROGRAMME}`,
  `/v1/exports/tenures.ndjson?asOf=2016-01-01`,
  `/v1/exports/memberships.popolo.json`,
  `/v1/exports/memberships.popolo.json?asOf=2015-01-01`,
  `/v1/reports/recruitment-funnel?by=organisation-kind`,
  `/v1/reports/participation?asOf=2016-06-30`,
  `/v1/reports/representation`,
  `/v1/reports/representation?from=2014-01-01&to=2014-12-31&interval=month`,
  `/v1/reports/expenses?limit=3`,
  `/v1/reports/response-clock?limit=5&from=2014-01-01`,
  `/v1/reports/involvement-cost?limit=4`,
  `/v1/influence?limit=7&status=closed`,
  `/v1/influence?groupId=nwl-pcb`,
  `/v1/partners?limit=10&status=appointed`,
  `/v1/partners?programmeId=${PROGRAMME}&kind=lay`,
  // Refusals made in the reader: the same status, code and message.
  `/v1/reports/participation?programmeId=no-such-programme`,
  `/v1/exports/tenures.csv?programmeId=no-such-programme`,
  `/v1/influence?cursor=${Buffer.from('"not a key"').toString('base64url')}`,
];

interface Answer {
  status: number;
  type: string | undefined;
  body: string;
}

async function readAll(ledger: TestLedger, role: Role): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const path of READS) {
    const response = await ledger
      .http(role)
      .get(path)
      .query({ knownAt: KNOWN_AT, ...(path.includes('asOf=') ? {} : { asOf: AS_OF }) })
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });
    let body = response.body as string;
    // A GRIPP2 digest is signed when asked: the same events, but not the same bytes.
    if (path.includes('gripp2') && response.status === 200) {
      const { digest, ...report } = JSON.parse(body) as Record<string, unknown> & {
        digest: { publicKey: string };
      };
      expect(digest.publicKey).toContain('PUBLIC KEY');
      body = JSON.stringify(report);
    }
    answers.push({
      status: response.status,
      type: response.headers['content-type'],
      body,
    });
  }
  return answers;
}

describe('reads on reader threads (LEDGER_READ_WORKERS)', () => {
  const dataDir = tempDataDir();
  const fromReaders: Partial<Record<Role, Answer[]>> = {};
  const inProcess: Partial<Record<Role, Answer[]>> = {};

  beforeAll(async () => {
    // The demo recorded by a ledger with one reader thread, every read asked of it...
    const withReaders = await startTestLedger(dataDir, { LEDGER_READ_WORKERS: '1' });
    expect(withReaders.app.get(ReadPool).readerThreads).toBe(1);
    await withReaders.app.listen(0, '127.0.0.1');
    await loadScenario({
      baseUrl: await withReaders.app.getUrl(),
      apiKey: TEST_KEYS['programme-office'],
      scenario: readScenario(),
    });
    fromReaders.auditor = await readAll(withReaders, 'auditor');
    fromReaders.evaluator = await readAll(withReaders, 'evaluator');
    await withReaders.close();
    // ...then the same reads of the same files, answered in process.
    const alone = await startTestLedger(dataDir, { LEDGER_READ_WORKERS: '0' });
    expect(alone.app.get(ReadPool).readerThreads).toBe(0);
    inProcess.auditor = await readAll(alone, 'auditor');
    inProcess.evaluator = await readAll(alone, 'evaluator');
    await alone.destroy();
  }, 240_000); // the NWL scenario over HTTP and two app starts, on a loaded 2-core machine

  it('answer every read byte for byte as the app answers it in process', () => {
    const auditor = fromReaders.auditor!;
    expect(auditor.map((a) => a.status)).toEqual(inProcess.auditor!.map((a) => a.status));
    READS.forEach((path, i) => {
      expect({ path, ...auditor[i] }).toEqual({ path, ...inProcess.auditor![i] });
    });
    // The reads did answer: figures, files and refusals, not empty bodies.
    expect(auditor.filter((a) => a.status === 200)).toHaveLength(READS.length - 3);
    expect(auditor.every((a) => a.body.length > 40)).toBe(true);
    const csv = auditor[2]!;
    expect(csv.type).toBe('text/csv; charset=utf-8');
    expect(csv.body.split('\r\n').length).toBeGreaterThan(2);
  });

  it('send JSON as JSON, and refuse with the same codes as in process', () => {
    const auditor = fromReaders.auditor!;
    for (const [i, path] of READS.entries()) {
      if (!path.includes('/exports/') || path.includes('popolo'))
        expect(auditor[i]!.type).toBe('application/json; charset=utf-8');
    }
    const refusals = auditor.slice(-3).map((a) => [a.status, JSON.parse(a.body).code]);
    expect(refusals).toEqual([
      [404, 'programme_not_found'],
      [404, 'programme_not_found'],
      [400, 'invalid_cursor'],
    ]);
  });

  it("keep evaluators' reads pseudonymised, as in process", () => {
    const evaluator = fromReaders.evaluator!;
    READS.forEach((path, i) => {
      expect({ path, ...evaluator[i] }).toEqual({ path, ...inProcess.evaluator![i] });
    });
    const partners = JSON.parse(evaluator[15]!.body) as { partners: Array<{ partnerId: string }> };
    expect(partners.partners.length).toBeGreaterThan(0);
    for (const p of partners.partners) expect(p.partnerId).toMatch(/^P-/);
  });
});
