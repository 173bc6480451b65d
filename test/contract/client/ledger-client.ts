/**
 * An outside integrator's client: typed only by the types `openapi-typescript`
 * generates from `/docs-json` (./api.d.ts, written beside this file by
 * test/contract/generated-client.e2e-spec.ts), calling the API with
 * `openapi-fetch`. It is compiled with `tsc --strict` (no casts, no `any`) and
 * run against a started ledger; it prints what each step answered as one JSON
 * object. To check another route, add a step.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './api.js';

type Schemas = components['schemas'];

// JSON answers only: a route that can also stream NDJSON is read here as JSON.
const client = createClient<paths, 'application/json'>({
  baseUrl: process.env['LEDGER_URL'] ?? 'http://127.0.0.1:3000',
  headers: { authorization: `Bearer ${process.env['LEDGER_KEY'] ?? ''}` },
});

/** The body of a 2xx answer, or a thrown error naming the step, the status and the error body. */
function ok<T>(step: string, answer: { data?: T; error?: unknown; response: Response }): T {
  if (answer.data === undefined) {
    throw new Error(`${step}: ${answer.response.status} ${JSON.stringify(answer.error)}`);
  }
  return answer.data;
}

const results: Record<string, unknown> = {};

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const answer = await run();
  results[name] = answer;
  return answer;
}

const group: Schemas['EstablishGroupDto'] = {
  groupId: 'client-board',
  name: 'Client Board',
  kind: 'programme-board',
  level: 'programme',
  cadence: 'monthly',
  laySeats: { min: 1, max: 2 },
  coChairConstituencies: ['lay', 'ccg'],
  occurredAt: '2013-10-01',
};

const established: Schemas['CommandAccepted'] = await step('establishGroup', async () =>
  ok('establishGroup', await client.POST('/v1/groups', { body: group })),
);

await step('nominate', async () =>
  ok(
    'nominate',
    await client.POST('/v1/partners/nominations', {
      body: {
        partnerId: 'client-ann',
        name: 'Ann Client',
        nominatedBy: { organisation: 'Healthwatch Ealing', organisationKind: 'healthwatch' },
        occurredAt: '2013-11-01',
      },
    }),
  ),
);

await step('appoint', async () =>
  ok(
    'appoint',
    await client.POST('/v1/partners/{id}/appointment', {
      params: { path: { id: 'client-ann' } },
      body: { body: 'advisory-group', occurredAt: '2013-12-01' },
    }),
  ),
);

const seat = await step('allocateSeat', async () =>
  ok(
    'allocateSeat',
    await client.POST('/v1/groups/{id}/seats', {
      params: { path: { id: established.id } },
      body: {
        seatId: 'client-lay-1',
        partnerId: 'client-ann',
        constituency: 'lay',
        occurredAt: '2014-01-10',
      },
    }),
  ),
);

const governance: Schemas['Governance'] = await step('governance', async () =>
  ok(
    'governance',
    await client.GET('/v1/governance', {
      params: { query: { asOf: '2014-03-01', minPosition: String(seat.position) } },
    }),
  ),
);
const board = governance.groups.find((g) => g.groupId === established.id);
results['boardSeats'] = board ? board.seats.map((s) => `${s.seatId}:${s.partnerId}`) : [];

await step('governanceBeforeTheSeat', async () => {
  const before = ok(
    'governanceBeforeTheSeat',
    await client.GET('/v1/governance', {
      params: { query: { asOf: '2014-01-09', minPosition: String(seat.position) } },
    }),
  );
  return before.groups.find((g) => g.groupId === established.id)?.seats.length ?? null;
});

await step('knownAtRecordedAt', async () => {
  const known = ok(
    'knownAtRecordedAt',
    await client.GET('/v1/governance', { params: { query: { knownAt: seat.recordedAt } } }),
  );
  return known.groups.find((g) => g.groupId === established.id)?.laySeats.filled ?? null;
});

await step('tenures', async () => {
  const answer = ok(
    'tenures',
    await client.GET('/v1/groups/{id}/tenures', {
      params: { path: { id: established.id }, query: { minPosition: String(seat.position) } },
    }),
  );
  return answer.tenures.map((t) => ({ partnerId: t.partnerId, from: t.from, to: t.to }));
});

await step('unknownGroup', async () => {
  const answer = await client.GET('/v1/groups/{id}/tenures', {
    params: { path: { id: 'no-such-group' } },
  });
  return { status: answer.response.status, code: answer.error?.code ?? null };
});

const electionId = 'client-lay-election';
await step('openElection', async () =>
  ok(
    'openElection',
    await client.POST('/v1/groups/{id}/elections', {
      params: { path: { id: established.id } },
      body: {
        electionId,
        constituency: 'lay',
        electorate: ['client-ann'],
        occurredAt: '2014-02-01',
      },
    }),
  ),
);
await step('nominateCandidate', async () =>
  ok(
    'nominateCandidate',
    await client.POST('/v1/elections/{id}/candidates', {
      params: { path: { id: electionId } },
      body: { partnerId: 'client-ann', occurredAt: '2014-02-02' },
    }),
  ),
);
await step('castBallot', async () =>
  ok(
    'castBallot',
    await client.POST('/v1/elections/{id}/ballots', {
      params: { path: { id: electionId } },
      body: { voterId: 'client-ann', candidateId: 'client-ann', occurredAt: '2014-02-03' },
    }),
  ),
);
const closed = await step('closeElection', async () =>
  ok(
    'closeElection',
    await client.POST('/v1/elections/{id}/close', {
      params: { path: { id: electionId } },
      body: { occurredAt: '2014-02-04' },
    }),
  ),
);

await step('electionResult', async () => {
  const election: Schemas['ElectionAtDto'] = ok(
    'electionResult',
    await client.GET('/v1/elections/{id}', {
      params: { path: { id: electionId }, query: { minPosition: String(closed.position) } },
    }),
  );
  return {
    status: election.status,
    outcome: election.outcome,
    turnout: election.turnout,
    electedPartnerId: election.electedPartnerId,
    tally: (election.tally ?? []).map((t) => `${t.partnerId}:${t.votes}`),
  };
});

await step('auditPage', async () => {
  const page = ok(
    'auditPage',
    await client.GET('/v1/audit/events', {
      params: { query: { stream: `group-${established.id}`, limit: '2' } },
    }),
  );
  return {
    types: page.events.map((e) => e.type),
    next: page.next,
    chained: page.events.every((e) => typeof e.hash === 'string' && e.hash.length > 0),
  };
});

await step('gripp2', async () => {
  const report: Schemas['Gripp2Report'] = ok(
    'gripp2',
    await client.GET('/v1/reports/gripp2', {
      params: { query: { minPosition: String(closed.position) } },
    }),
  );
  const seats = report.longForm
    .find((item) => item.id === '4b')
    ?.figures.find((figure) => figure.key === 'seatsByConstituency');
  return {
    fromLedger: report.longForm.filter((item) => item.source === 'ledger').map((item) => item.id),
    laySeats: seats?.breakdown?.['lay'] ?? null,
    signed: report.digest.signature.length > 0 && report.digest.verifyQuery.includes('digest='),
  };
});

console.log(JSON.stringify(results));
