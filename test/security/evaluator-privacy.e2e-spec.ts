import { EVENT_STORE, type EventStore } from '@app/event-store';
import { EXPORT_COLUMNS } from '@app/projections';
import { loadScenario, readScenario } from '../../demo/load-demo.mjs';
import { carersScenario } from '../support/carers-scenario.js';
import { registeredRoutes } from '../support/routes.js';
import { startTestLedger, TEST_KEYS, type TestLedger } from '../support/test-ledger.js';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
}
interface Operation {
  parameters?: Parameter[];
  responses: Record<string, { content?: Record<string, unknown> }>;
}
type Document = { paths: Record<string, Record<string, Operation>> };

/** Event fields naming a person: their values are partner ids. */
const PERSON_FIELDS = ['partnerId', 'raisedBy', 'voterId', 'candidateId', 'electedPartnerId'];
/** Ids the programme office chooses, as free text, for things that can belong to a person. */
const OFFICE_ID_FIELDS = [
  'seatId',
  'claimId',
  'paymentId',
  'electionId',
  'meetingId',
  'decisionId',
  'feedbackId',
  'responseId',
  'workshopId',
];
const DATES = ['2013-11-01', '2014-03-01', '2014-06-01', '2014-10-01', '2015-12-31'];
/** The id a path parameter takes, from the collection before it: `/v1/groups/{id}` → groupId. */
const idKindOfPath = (path: string) => {
  const collection = /\/([a-z-]+)\/\{[a-zA-Z]+\}/.exec(path)?.[1] ?? '';
  return `${collection.replace(/s$/, '')}Id`;
};

interface Secret {
  kind: 'partner id' | 'name' | 'email' | 'phone' | 'office id';
  value: string;
}
interface Hit {
  url: string;
  kind: Secret['kind'];
  value: string;
}

const WORD = /[A-Za-z0-9_]/;
/** `value` as a whole token of `text` (ids) or anywhere in it (names, emails). */
function occurs(text: string, secret: Secret): boolean {
  if (secret.kind !== 'partner id' && secret.kind !== 'office id')
    return text.includes(secret.value);
  for (let at = text.indexOf(secret.value); at >= 0; at = text.indexOf(secret.value, at + 1)) {
    const before = text[at - 1] ?? ' ';
    const after = text[at + secret.value.length] ?? ' ';
    if (!WORD.test(before) && !WORD.test(after)) return true;
  }
  return false;
}

/**
 * Evaluators see nothing that links back to a person: every route the role
 * matrix opens to them (enumerated from the OpenAPI document, never a
 * hand-kept list), at several dates, with path parameters taken from their
 * own earlier answers, and every export, timeline page, replay and live
 * event, is searched for every partner id, name, email and phone of the
 * loaded ledger, and for every office-chosen id (seats, claims, meetings,
 * decisions, feedback, responses, elections, workshops).
 */
describe('evaluators: nothing links back to a person', () => {
  let ledger: TestLedger;
  let head: number;
  const secrets: Secret[] = [];
  const pool = new Map<string, Set<string>>();
  const bodies: Array<{ url: string; text: string }> = [];
  /** Routes (as the document names them) that answered 200 at least once. */
  const answered = new Set<string>();

  const harvest = (value: unknown, key = ''): void => {
    if (Array.isArray(value)) value.forEach((item) => harvest(item, key));
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) harvest(v, k);
    else if (typeof value === 'string' && /Id$/.test(key)) {
      if (!pool.has(key)) pool.set(key, new Set());
      pool.get(key)!.add(value);
    }
  };

  beforeAll(async () => {
    ledger = await startTestLedger();
    await ledger.app.listen(0, '127.0.0.1');
    const baseUrl = await ledger.app.getUrl();
    await loadScenario({
      baseUrl,
      apiKey: TEST_KEYS['programme-office'],
      scenario: readScenario(),
    });
    const { position } = await loadScenario({
      baseUrl,
      apiKey: TEST_KEYS['programme-office'],
      scenario: carersScenario(),
      keyPrefix: 'carers',
    });
    // Free text that quotes people: a name, a partner id, a seat id and a claim id.
    const post = (path: string, body: object) =>
      ledger.http().post(path).set('content-type', 'application/json').send(body).expect(201);
    await post('/v1/feedback', {
      feedbackId: 'cc-fb-quoting',
      channel: 'advisory-group',
      kind: 'concern',
      summary:
        'Priya Council (cc-la-lead) asked that seat cc-board-cc-01 and claim cc-claim-1 be reviewed',
      groupId: 'cc-board',
      raisedBy: 'cc-02',
      occurredAt: '2014-02-10T00:00:00.000Z',
    });
    await post('/v1/feedback/cc-fb-quoting/responses', {
      responseId: 'resp-cc-02',
      outcome: 'not-adopted',
      rationale: 'Carer 1 and Carer 2 were told: the seat of cc-01 stands',
      respondedBy: 'cc-la-lead',
      occurredAt: '2014-02-20T00:00:00.000Z',
    });
    const last = await post('/v1/feedback/cc-fb-quoting/report-back', {
      how: 'letter to Carer 2',
      occurredAt: '2014-02-21T00:00:00.000Z',
    });
    head = Math.max(position!, last.body.position as number);
    const events = await ledger.app.get<EventStore>(EVENT_STORE).readAll();
    const partnerIds = new Set<string>();
    const officeIds = new Set<string>();
    for (const event of events) {
      const data = event.data as Record<string, unknown>;
      for (const field of PERSON_FIELDS) {
        if (typeof data[field] === 'string') partnerIds.add(data[field] as string);
      }
      for (const field of OFFICE_ID_FIELDS) {
        if (typeof data[field] === 'string') officeIds.add(data[field] as string);
      }
      if (event.type === 'PartnerNominated' || event.type === 'PartnerRegistered') {
        secrets.push({ kind: 'name', value: data.name as string });
        for (const field of ['email', 'phone'] as const)
          if (typeof data[field] === 'string') secrets.push({ kind: field, value: data[field] });
      }
    }
    for (const id of partnerIds) secrets.push({ kind: 'partner id', value: id });
    for (const id of officeIds) secrets.push({ kind: 'office id', value: id });
  }, 600_000); // the NWL scenario and a second programme over HTTP: minutes on a loaded 2-core machine
  afterAll(() => ledger?.destroy());

  it('knows what it looks for: the demo’s seat and claim ids embed partner ids', () => {
    const partnerIds = secrets.filter((s) => s.kind === 'partner id').map((s) => s.value);
    const embedding = secrets.filter(
      (s) =>
        s.kind === 'office id' && partnerIds.some((id) => occurs(s.value, { ...s, value: id })),
    );
    expect(partnerIds.length).toBeGreaterThan(150);
    expect(secrets.filter((s) => s.kind === 'name').length).toBeGreaterThan(150);
    expect(embedding.length).toBeGreaterThan(150);
  });

  it('finds 0 partner ids, names, emails or office-chosen ids in any evaluator answer', async () => {
    const doc = (await ledger.http('evaluator').get('/docs-json').expect(200)).body as Document;
    const admitted = new Set(
      registeredRoutes()
        .filter((r) => r.access && !r.access.public && r.access.roles.includes('evaluator'))
        .map((r) => r.route),
    );
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods)
        .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation }))
        .filter(({ method, path }) =>
          admitted.has(`${method} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
        ),
    );
    // Every evaluator route the app registers is in the document, so none escapes the search.
    expect(
      [...admitted].filter(
        (route) =>
          !operations.some((o) => `${o.method} ${o.path.replace(/\{(\w+)\}/g, ':$1')}` === route),
      ),
    ).toEqual([]);
    expect(operations.every((o) => o.method === 'GET')).toBe(true);

    const get = async (url: string, route: string) => {
      const response = await ledger.http('evaluator').get(url);
      if (response.status === 200) answered.add(route);
      expect({ url, status: response.status < 500 }).toEqual({ url, status: true });
      bodies.push({ url, text: response.text });
      if (response.type === 'application/json') harvest(response.body);
      if (response.type === 'application/x-ndjson')
        for (const line of response.text.split('\n').filter(Boolean)) harvest(JSON.parse(line));
      return response;
    };

    /** Values for each query parameter the document declares; a required one we cannot fill fails. */
    const variants = (path: string, operation: Operation): Array<Record<string, string>> => {
      const query = (operation.parameters ?? []).filter((p) => p.in === 'query');
      const names = new Set(query.map((p) => p.name));
      const base: Record<string, string> = names.has('minPosition')
        ? { minPosition: String(head) }
        : {};
      const out: Array<Record<string, string>> = [];
      const sample = (kind: string, n: number) => [...(pool.get(kind) ?? [])].slice(0, n);
      if (names.has('until') && query.find((p) => p.name === 'until')?.required) {
        for (const until of ['1', String(Math.floor(head / 2)), String(head), ...DATES])
          out.push({ ...base, until });
        return out;
      }
      for (const p of query.filter((p) => p.required))
        throw new Error(`${path}: no values for the required parameter ${p.name}`);
      out.push(base);
      if (names.has('asOf')) for (const asOf of DATES) out.push({ ...base, asOf });
      if (names.has('knownAt')) out.push({ ...base, knownAt: '2014-06-01' });
      if (names.has('since') && names.has('until'))
        out.push({ ...base, since: '2014-01-01', until: '2014-12-31' });
      if (names.has('by')) out.push({ ...base, by: 'organisation-kind' });
      if (names.has('interval'))
        out.push({ ...base, from: '2013-10-01', to: '2015-06-30', interval: 'month' });
      for (const kind of ['programmeId', 'groupId', 'partnerId'])
        if (names.has(kind))
          for (const id of sample(kind, kind === 'programmeId' ? 5 : 25))
            out.push({ ...base, asOf: '2014-06-01', [kind]: id });
      return out.map((q) => Object.fromEntries(Object.entries(q).filter(([k]) => names.has(k))));
    };

    const url = (path: string, query: Record<string, string>) =>
      `${path}${Object.keys(query).length > 0 ? `?${new URLSearchParams(query)}` : ''}`;

    // Routes without path parameters first: their answers give the ids the others take.
    const plain = operations.filter((o) => !o.path.includes('{') && !o.path.includes('live'));
    for (const { path, operation } of plain) {
      for (const query of variants(path, operation)) {
        if (path !== '/v1/timeline') {
          await get(url(path, query), path);
          continue;
        }
        let after = '';
        for (;;) {
          const response = await get(
            url(path, { ...query, limit: '5000', ...(after && { after }) }),
            path,
          );
          after = String(response.headers['x-next-after'] ?? '');
          if (!after) break;
        }
      }
    }
    // Then every route with path parameters, until their answers name nothing new.
    const done = new Set<string>();
    const withIds = operations.filter((o) => o.path.includes('{'));
    for (let round = 0; round < 4; round++) {
      for (const { path, operation } of withIds) {
        const values =
          path === '/v1/exports/{name}'
            ? Object.keys(EXPORT_COLUMNS).flatMap((name) =>
                Object.keys(operation.responses['200']?.content ?? {}).map(
                  (type) => `${name}.${type === 'text/csv' ? 'csv' : 'ndjson'}`,
                ),
              )
            : [...(pool.get(idKindOfPath(path)) ?? [])];
        if (round === 3) expect({ path, ids: values.length > 0 }).toEqual({ path, ids: true });
        for (const value of values) {
          const concrete = path.replace(/\{\w+\}/, encodeURIComponent(value));
          const queries = path.startsWith('/v1/partners/')
            ? [{}]
            : variants(path, operation).filter((q) => !q.groupId && !q.partnerId);
          for (const query of queries) {
            const target = url(concrete, query);
            if (done.has(target)) continue;
            done.add(target);
            await get(target, path);
          }
        }
      }
    }

    // The live stream from the beginning, up to the head of the log.
    const controller = new AbortController();
    const live = await fetch(`${await ledger.app.getUrl()}/v1/events/live?after=0`, {
      headers: { authorization: `Bearer ${TEST_KEYS.evaluator}` },
      signal: controller.signal,
    });
    expect(live.status).toBe(200);
    const reader = live.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!new RegExp(`^id: ${head}$`, 'm').test(text)) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      text += decoder.decode(value, { stream: true });
    }
    controller.abort();
    bodies.push({ url: '/v1/events/live?after=0', text });
    answered.add('/v1/events/live');

    // Every route answered: ids read in one answer work as parameters of the next (pseudonyms included).
    expect(operations.map((o) => o.path).filter((path) => !answered.has(path))).toEqual([]);

    const hits: Hit[] = [];
    for (const body of bodies)
      for (const secret of secrets)
        if (occurs(body.text, secret)) hits.push({ url: body.url, ...secret });
    const byKind = Object.fromEntries(
      ['partner id', 'name', 'email', 'phone', 'office id'].map((kind) => [
        kind,
        hits.filter((h) => h.kind === kind).length,
      ]),
    );
    const routes = [
      ...new Set(hits.map((h) => h.url.split('?')[0]!.replace(/\/v1\/(\w+)\/[^/]+/, '/v1/$1/:id'))),
    ];
    expect(bodies.length).toBeGreaterThan(300);
    expect({ hits: hits.length, byKind, routes, first: hits.slice(0, 20) }).toEqual({
      hits: 0,
      byKind: { 'partner id': 0, name: 0, email: 0, phone: 0, 'office id': 0 },
      routes: [],
      first: [],
    });
  }, 600_000);
});
