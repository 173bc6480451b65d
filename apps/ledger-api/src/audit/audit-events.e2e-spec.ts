import { eventHash, type EventStore } from '@app/event-store';
import { RAW_EVENT_STORE } from '../infrastructure/tokens.js';
import { nomination, programmeBoard } from '../../../../test/support/fixtures.js';
import { commandClient, launchProgramme } from '../../../../test/support/programme-fixtures.js';
import { startTestLedger, type TestLedger } from '../../../../test/support/test-ledger.js';

interface AuditEvent {
  position: number;
  stream: string;
  revision: number;
  id: string;
  type: string;
  schemaVersion: number;
  occurredAt: string | null;
  recordedAt: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  hash: string;
  prevHash: string | null;
}

const ZED = 'Zebedee Quibblesworth';

describe('GET /v1/audit/events: the raw log over HTTP', () => {
  let ledger: TestLedger;
  let all: AuditEvent[];
  const client = commandClient(() => ledger);

  const events = (
    query: Record<string, string> = {},
    role: 'auditor' | 'programme-office' = 'auditor',
  ) => ledger.http(role).get('/v1/audit/events').query(query);
  const page = async (query: Record<string, string> = {}) =>
    (await events(query).expect(200)).body as { events: AuditEvent[]; next: number | null };
  const types = (list: AuditEvent[]) => list.map((e) => e.type);
  const ndjson = (text: string) =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditEvent);

  beforeAll(async () => {
    ledger = await startTestLedger();
    const post = (path: string, body: unknown) => client.post(path, body).expect(201);
    await post('/v1/programmes', launchProgramme('wsic'));
    await post('/v1/groups', programmeBoard());
    await post('/v1/partners/nominations', nomination('ann', 'Ann Lee'));
    await post('/v1/partners/ann/appointment', {
      body: 'advisory-group',
      occurredAt: '2013-12-01',
    });
    await post('/v1/partners/nominations', nomination('zed', ZED, { occurredAt: '2013-11-20' }));
    await post('/v1/partners/zed/appointment', {
      body: 'advisory-group',
      occurredAt: '2013-12-02',
    });
    await post('/v1/groups/programme-board/seats', {
      seatId: 'lay-1',
      partnerId: 'ann',
      constituency: 'lay',
      occurredAt: '2014-01-10',
    });
    await post('/v1/partners/zed/withdrawal', { reason: 'moved-away', occurredAt: '2014-03-01' });
    await post('/v1/partners/zed/erasure', { occurredAt: '2014-04-01' });
    await client.settledHead();
    all = (await page()).events;
  });
  afterAll(() => ledger.destroy());

  it('answers every event with its metadata and the hash chain as stored', async () => {
    expect(types(all)).toEqual([
      'ProgrammeLaunched',
      'GroupEstablished',
      'PartnerNominated',
      'PartnerAppointed',
      'PartnerNominated',
      'PartnerAppointed',
      'SeatAllocated',
      'PartnerWithdrew',
      'PersonalDataErased',
    ]);
    const raw = await ledger.app.get<EventStore>(RAW_EVENT_STORE).readAll();
    expect(all.map((e) => e.position)).toEqual(raw.map((e) => Number(e.position)));
    all.forEach((event, i) => {
      expect(event.hash).toBe(eventHash(raw[i]!));
      expect(event.id).toBe(raw[i]!.id);
    });
    const seat = all[6]!;
    expect(seat).toEqual({
      position: Number(raw[6]!.position),
      stream: 'group-programme-board',
      revision: 1,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'SeatAllocated',
      schemaVersion: expect.any(Number),
      occurredAt: '2014-01-10T00:00:00.000Z',
      recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      data: expect.objectContaining({
        groupId: 'programme-board',
        partnerId: 'ann',
        seatId: 'lay-1',
      }),
      metadata: expect.objectContaining({
        commandId: expect.any(String),
        correlationId: expect.any(String),
        causationId: expect.any(String),
        actor: 'programme-office',
      }),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      prevHash: all[1]!.hash,
    });
    expect(all[1]!.prevHash).toBeNull();
  });

  it('pages by position with a next cursor, and ends with next: null', async () => {
    const first = await page({ limit: '4' });
    expect(first.events).toEqual(all.slice(0, 4));
    expect(first.next).toBe(all[4]!.position);
    const second = await page({ limit: '4', fromPosition: String(first.next) });
    expect(second.events).toEqual(all.slice(4, 8));
    const last = await page({ limit: '4', fromPosition: String(second.next) });
    expect(last).toEqual({ events: all.slice(8), next: null });
    expect(await page({ fromPosition: '1000' })).toEqual({ events: [], next: null });
  });

  it('filters by stream, category, type, business time, record time and programme', async () => {
    expect(types((await page({ stream: 'partner-ann' })).events)).toEqual([
      'PartnerNominated',
      'PartnerAppointed',
    ]);
    expect((await page({ category: 'group' })).events).toEqual(
      all.filter((e) => e.stream === 'group-programme-board'),
    );
    expect(types((await page({ type: 'SeatAllocated,PartnerWithdrew' })).events)).toEqual([
      'SeatAllocated',
      'PartnerWithdrew',
    ]);
    // A date alone: from its start, to its end.
    expect(
      types((await page({ occurredFrom: '2014-01-10', occurredTo: '2014-03-01' })).events),
    ).toEqual(['SeatAllocated', 'PartnerWithdrew']);
    const seat = all[6]!;
    const recorded = await page({ recordedFrom: seat.recordedAt, recordedTo: seat.recordedAt });
    expect(recorded.events.map((e) => e.id)).toContain(seat.id);
    expect(recorded.events.every((e) => e.recordedAt === seat.recordedAt)).toBe(true);
    expect(await page({ recordedTo: '2000-01-01' })).toEqual({ events: [], next: null });
    // A programme's events are those of its streams: the ledger's only programme holds them all,
    // seats and withdrawals included (their data names no programme).
    const programme = (await page({ programmeId: 'wsic', limit: '10000' })).events;
    expect(programme.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(types(programme)).toEqual(
      expect.arrayContaining(['ProgrammeLaunched', 'SeatAllocated']),
    );
    // Filters combine, and a filter matching nothing is an empty page.
    expect(types((await page({ category: 'partner', type: 'PartnerAppointed' })).events)).toEqual([
      'PartnerAppointed',
      'PartnerAppointed',
    ]);
    expect(await page({ stream: 'group-nowhere' })).toEqual({ events: [], next: null });
    const unknown = await events({ programmeId: 'another' }).expect(404);
    expect(unknown.body.code).toBe('programme_not_found');
    const filtered = await page({ category: 'partner', limit: '1' });
    expect(filtered.next).toBe(all[3]!.position);
  });

  it('shows an erased partner’s personal fields as [erased], never as ciphertext', async () => {
    const zed = (await page({ stream: 'partner-zed' })).events;
    expect(zed[0]).toMatchObject({
      type: 'PartnerNominated',
      data: { partnerId: 'zed', name: '[erased]', email: '[erased]' },
    });
    expect(types(zed)).toEqual([
      'PartnerNominated',
      'PartnerAppointed',
      'PartnerWithdrew',
      'PersonalDataErased',
    ]);
    const everything = await events({}).set('accept', 'application/x-ndjson').expect(200);
    for (const text of [JSON.stringify(all), everything.text]) {
      expect(text).not.toContain(ZED);
      expect(text).not.toContain('enc:v1:');
    }
    expect(all[2]!.data).toMatchObject({ name: 'Ann Lee', email: 'ann@example.org' });
  });

  it('streams the whole filtered log as NDJSON with Accept: application/x-ndjson', async () => {
    const whole = await events({}).set('accept', 'application/x-ndjson').expect(200);
    expect(whole.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(ndjson(whole.text)).toEqual(all);
    const partners = await events({ category: 'partner', fromPosition: String(all[4]!.position) })
      .set('accept', 'application/x-ndjson')
      .expect(200);
    expect(ndjson(partners.text)).toEqual(
      all.slice(4).filter((e) => e.stream.startsWith('partner-')),
    );
    const two = await events({ limit: '2' }).set('accept', 'application/x-ndjson').expect(200);
    expect(ndjson(two.text)).toEqual(all.slice(0, 2));
    const none = await events({ type: 'GroupDissolved' })
      .set('accept', 'application/x-ndjson')
      .expect(200);
    expect(none.text).toBe('');
  });

  it('refuses bad parameters with 400 validation_failed naming the field', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ limit: '0' }, 'limit'],
      [{ limit: '10001' }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ limit: '2.5' }, 'limit'],
      [{ fromPosition: '-1' }, 'fromPosition'],
      [{ fromPosition: 'start' }, 'fromPosition'],
      [{ category: 'person' }, 'category'],
      [{ stream: 'people-ann' }, 'stream'],
      [{ type: 'seat allocated' }, 'type'],
      [{ occurredFrom: '2019-02-30' }, 'occurredFrom'],
      [{ occurredTo: 'yesterday' }, 'occurredTo'],
      [{ recordedFrom: '0000-01-01' }, 'recordedFrom'],
      [{ recordedTo: '2014-13-01' }, 'recordedTo'],
      [{ programmeId: 'no spaces' }, 'programmeId'],
    ];
    for (const [query, field] of cases) {
      const response = await events(query);
      expect({ query, status: response.status, code: response.body.code }).toEqual({
        query,
        status: 400,
        code: 'validation_failed',
      });
      expect(response.body.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    }
    // A parameter the route does not take is refused like on every read route.
    const unknown = await events({ group: 'programme-board' }).expect(400);
    expect(unknown.body).toMatchObject({
      code: 'unknown_parameter',
      details: { parameters: ['group'] },
    });
    // Refused before streaming starts, NDJSON or not.
    await events({ limit: '0' }).set('accept', 'application/x-ndjson').expect(400);
  });

  it('is for auditors and the programme office: evaluators 403, no key 401', async () => {
    await events({ limit: '1' }, 'programme-office').expect(200);
    await events({ limit: '1' }, 'auditor').expect(200);
    const refused = await ledger.http('evaluator').get('/v1/audit/events').expect(403);
    expect(refused.body.code).toBeDefined();
    await ledger.anonymous().get('/v1/audit/events').expect(401);
  });

  it('is documented in OpenAPI with its parameters and response schemas', async () => {
    const { body } = await ledger.http().get('/docs-json').expect(200);
    const route = body.paths['/v1/audit/events'].get;
    expect(route.tags).toEqual(['audit']);
    expect(route.parameters.map((p: { name: string }) => p.name).sort()).toEqual(
      [
        'category',
        'fromPosition',
        'limit',
        'occurredFrom',
        'occurredTo',
        'programmeId',
        'recordedFrom',
        'recordedTo',
        'stream',
        'type',
      ].sort(),
    );
    expect(route.parameters.every((p: { required?: boolean }) => p.required !== true)).toBe(true);
    expect(route.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/AuditEventsPageDto',
    );
    expect(route.responses['200'].content['application/x-ndjson'].schema.$ref).toBe(
      '#/components/schemas/AuditEventDto',
    );
    const schema = body.components.schemas.AuditEventDto;
    expect(Object.keys(schema.properties).sort()).toEqual(
      [
        'position',
        'stream',
        'revision',
        'id',
        'type',
        'schemaVersion',
        'occurredAt',
        'recordedAt',
        'data',
        'metadata',
        'hash',
        'prevHash',
      ].sort(),
    );
  });
});
