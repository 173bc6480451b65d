import { programmeBoard } from '../support/fixtures.js';
import { startTestLedger, type TestLedger } from '../support/test-ledger.js';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
}
type Document = {
  paths: Record<string, { get?: { parameters?: Parameter[] } }>;
};

/**
 * Read routes validate like write routes: impossible dates and parameters a
 * route does not take are refused with a 400 naming them, on every GET the
 * OpenAPI document lists (so a route added later is covered by declaring its
 * parameters), and the document marks optional parameters optional.
 */
describe('read route parameters', () => {
  let ledger: TestLedger;
  let doc: Document;

  beforeAll(async () => {
    ledger = await startTestLedger();
    await ledger
      .http()
      .post('/v1/groups')
      .set('content-type', 'application/json')
      .send(programmeBoard())
      .expect(201);
    doc = (await ledger.http().get('/docs-json').expect(200)).body as Document;
  });
  afterAll(() => ledger.destroy());

  const get = (path: string, query: Record<string, string>) => ledger.http().get(path).query(query);

  it.each(['2019-02-30', '0000-01-01', '2019-02-29T10:00:00Z', '2014-13-01'])(
    'refuses asOf=%s as invalid_time (never rolled over to another day)',
    async (asOf) => {
      const response = await get('/v1/governance', { asOf }).expect(400);
      expect(response.body).toMatchObject({
        code: 'invalid_time',
        details: { parameter: 'asOf' },
      });
    },
  );

  it('refuses an impossible knownAt on a group’s tenures before looking the group up', async () => {
    const response = await get('/v1/groups/programme-board/tenures', {
      knownAt: '2019-02-30',
    }).expect(400);
    expect(response.body.code).toBe('invalid_time');
  });

  it('refuses a parameter the route does not take, naming it and the ones it takes', async () => {
    const response = await get('/v1/timeline', { group: 'programme-board' }).expect(400);
    expect(response.body).toEqual({
      code: 'unknown_parameter',
      message: expect.stringContaining('group'),
      details: {
        parameters: ['group'],
        allowed: ['after', 'limit', 'groupId', 'partnerId', 'type', 'since', 'until'],
      },
    });
    const filtered = await get('/v1/timeline', { groupId: 'programme-board' }).expect(200);
    expect(filtered.text).toContain('programme-board');
  });

  it('refuses a parameter given twice', async () => {
    const response = await ledger
      .http()
      .get('/v1/governance?asOf=2014-01-01&asOf=2015-01-01')
      .expect(400);
    expect(response.body).toMatchObject({
      code: 'repeated_parameter',
      details: { parameters: ['asOf'] },
    });
  });

  it('leaves the page alone: it keeps its own state in its address (?programmeId=)', async () => {
    await ledger.anonymous().get('/?programmeId=nwl-wsic').expect(200);
  });

  it('checks the key first: 401 without one, whatever the parameters', async () => {
    await ledger.anonymous().get('/v1/governance?bogus=1').expect(401);
  });

  it('refuses an unknown parameter on every GET in the OpenAPI document', async () => {
    const paths = Object.entries(doc.paths).filter(([, item]) => item.get);
    expect(paths.length).toBeGreaterThanOrEqual(20);
    const answers: string[] = [];
    for (const [path] of paths) {
      const concrete = path.replace(/\{[^}]+\}/g, 'programme-board');
      const response = await get(concrete, { bogus: '1' });
      if (response.status !== 400 || response.body.code !== 'unknown_parameter') {
        answers.push(`${path}: ${response.status} ${String(response.body?.code)}`);
      }
    }
    expect(answers).toEqual([]);
  });

  it('documents optional query parameters as optional', () => {
    const required = Object.entries(doc.paths).flatMap(([path, item]) =>
      (item.get?.parameters ?? [])
        .filter((parameter) => parameter.in === 'query' && parameter.required)
        .map((parameter) => `${path}?${parameter.name}`),
    );
    expect(required).toEqual(['/v1/replay?until']);
  });
});
