import { ROLES, type Role } from '../../apps/ledger-api/src/security/roles.js';
import { registeredRoutes } from '../support/routes.js';
import { startTestLedger, type TestLedger } from '../support/test-ledger.js';

type Decision = 'public' | readonly Role[];
const OFFICE: Decision = ['programme-office'];
const READERS: Decision = ['programme-office', 'auditor', 'evaluator'];
const AUDITORS: Decision = ['programme-office', 'auditor'];

/**
 * The access policy as data. Every route the app registers must appear here
 * with the roles it admits, and must carry exactly that decision: a new
 * route without a decision (or with another one) fails the build.
 */
const MATRIX: Record<string, Decision> = {
  'GET /': 'public',
  'GET /assets/:file': 'public',
  'GET /assets/:dir/:file': 'public',
  'GET /health': 'public',
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /metrics': AUDITORS,
  'GET /v1/me': READERS,
  'GET /v1/governance': READERS,
  'GET /v1/groups': READERS,
  'GET /v1/groups/:id': READERS,
  'GET /v1/groups/:id/tenures': READERS,
  'GET /v1/groups/:id/elections': READERS,
  'GET /v1/elections/:id': READERS,
  'GET /v1/programmes': READERS,
  'GET /v1/programmes/:id': READERS,
  'GET /v1/timeline': READERS,
  'GET /v1/events/live': READERS,
  'GET /v1/replay': READERS,
  'GET /v1/audit/verify': AUDITORS,
  // A signed digest names no stream and no person: published on purpose (ADR 0004).
  'GET /v1/audit/digest': READERS,
  'GET /v1/audit/public-key': READERS,
  'GET /v1/audit/events': AUDITORS,
  'GET /v1/influence': READERS,
  'GET /v1/feedback/:id': READERS,
  'GET /v1/partners': READERS,
  'GET /v1/partners/:id': READERS,
  'GET /v1/partners/:id/tenures': READERS,
  'GET /v1/partners/:id/history': READERS,
  'GET /v1/reports/recruitment-funnel': READERS,
  'GET /v1/reports/participation': READERS,
  'GET /v1/reports/representation': READERS,
  'GET /v1/reports/expenses': READERS,
  'GET /v1/reports/response-clock': READERS,
  // Per partner under pseudonyms for evaluators, as expenses and participation are.
  'GET /v1/reports/involvement-cost': READERS,
  'GET /v1/reports/gripp2': READERS,
  'GET /v1/reports/gripp2.md': READERS,
  'GET /v1/reports/gripp2.html': READERS,
  'GET /v1/exports/memberships.popolo.json': READERS,
  'GET /v1/exports/:name': READERS,
};

/** Public routes with parameters, asked for something that exists (a made-up name is a 404). */
const EXAMPLES: Record<string, string> = {
  'GET /assets/:file': '/assets/app.js',
  'GET /assets/:dir/:file': '/assets/views/governance.js',
};

const isCommand = (route: string) => route.startsWith('POST ');

const expectedFor = (route: string): Decision | undefined =>
  MATRIX[route] ?? (isCommand(route) ? OFFICE : undefined);

describe('role matrix: every route has an explicit access decision', () => {
  const routes = registeredRoutes();

  it('finds the routes', () => {
    expect(routes.length).toBeGreaterThanOrEqual(30);
  });

  it.each(routes.map((r) => [r.route, r.access] as const))(
    '%s carries the decision the matrix gives',
    (route, access) => {
      const expected = expectedFor(route);
      expect({ route, known: expected !== undefined }).toEqual({ route, known: true });
      if (expected === 'public') expect(access).toEqual({ public: true });
      else
        expect({
          route,
          roles: access && !access.public ? [...access.roles].sort() : access,
        }).toEqual({ route, roles: [...expected!].sort() });
    },
  );

  describe('over HTTP', () => {
    let ledger: TestLedger;
    beforeAll(async () => {
      ledger = await startTestLedger();
    });
    afterAll(() => ledger.destroy());

    it('answers 401 without a key, 403 for a role the route does not admit, and lets admitted roles through', async () => {
      const checked: string[] = [];
      for (const { route } of routes) {
        const expected = expectedFor(route)!;
        const [method, template] = route.split(' ') as ['GET' | 'POST', string];
        if (template === '/v1/events/live') continue; // a stream that never ends; its guard is the class's
        const path = EXAMPLES[route] ?? template.replace(/:[A-Za-z]+/g, 'x');
        const send = (role?: Role) => {
          const base = role ? ledger.http(role) : ledger.anonymous();
          const request =
            method === 'GET'
              ? base.get(path)
              : base.post(path).set('content-type', 'application/json').send('{}');
          return request;
        };
        const anonymous = await send();
        if (expected === 'public') {
          expect({ route, status: anonymous.status < 400 }).toEqual({ route, status: true });
          continue;
        }
        expect({ route, status: anonymous.status, code: anonymous.body.code }).toEqual({
          route,
          status: 401,
          code: 'unauthenticated',
        });
        for (const role of ROLES) {
          const response = await send(role);
          const admitted = expected.includes(role);
          expect({
            route,
            role,
            forbidden: response.status === 403,
            unauthenticated: response.status === 401,
          }).toEqual({
            route,
            role,
            forbidden: !admitted,
            unauthenticated: false,
          });
        }
        checked.push(route);
      }
      expect(checked.length).toBeGreaterThanOrEqual(25);
    });

    it('refuses a wrong key, a malformed header and a key for another ledger', async () => {
      for (const authorization of [
        'Bearer nope',
        'Basic dXNlcjpwYXNz',
        'Bearer',
        'test-key-auditor-000000000000',
      ]) {
        const response = await ledger
          .anonymous()
          .get('/v1/governance')
          .set('authorization', authorization)
          .expect(401);
        expect(response.body.code).toBe('unauthenticated');
      }
    });
  });
});
