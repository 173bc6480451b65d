import { EVENT_STORE, type EventStore } from '@app/event-store';
import { createLedgerProjections, GovernanceQueries, ReplayService } from '@app/projections';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nomination, programmeBoard } from '../../../../test/support/fixtures.js';
import { bearer, startTestLedger, type TestLedger } from '../../../../test/support/test-ledger.js';

const json = { 'content-type': 'application/json' };
interface Line {
  position: number;
  type: string;
  line: string;
  occurredAt: string | null;
}
const ndjson = (text: string): Line[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

describe('history: timeline, replay, live events', () => {
  let ledger: TestLedger;
  let store: EventStore;
  let seated: number;
  let vacated: number;

  beforeAll(async () => {
    ledger = await startTestLedger();
    store = ledger.app.get(EVENT_STORE);
    const post = async (path: string, body: unknown) =>
      (
        await ledger
          .http()
          .post(path)
          .set(json)
          .send(body as object)
          .expect(201)
      ).body as { position: number };
    await post('/v1/groups', programmeBoard());
    await post('/v1/partners/nominations', nomination('ann', 'Ann Example'));
    await post('/v1/partners/ann/appointment', {
      body: 'advisory-group',
      occurredAt: '2013-12-01',
    });
    await post('/v1/partners/nominations', nomination('bob', 'Bob Example'));
    seated = (
      await post('/v1/groups/programme-board/seats', {
        seatId: 's1',
        partnerId: 'ann',
        constituency: 'lay',
        occurredAt: '2014-01-10',
      })
    ).position;
    vacated = (
      await post('/v1/groups/programme-board/seats/s1/vacate', {
        reason: 'time commitment',
        occurredAt: '2014-09-30',
      })
    ).position;
    await ledger
      .http()
      .get('/v1/governance')
      .query({ minPosition: String(vacated) })
      .expect(200);
  });
  afterAll(() => ledger.destroy());

  it('streams the timeline as NDJSON with a plain-language line per event', async () => {
    const response = await ledger.http().get('/v1/timeline').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = ndjson(response.text);
    expect(lines).toHaveLength((await store.readAll()).length);
    expect(lines.map((l) => l.line)).toEqual([
      'Programme Board established (programme-board, programme level)',
      'Ann Example nominated by Healthwatch Ealing',
      'Ann Example appointed to the Lay Partners Advisory Group',
      'Bob Example nominated by Healthwatch Ealing',
      'Lay partner Ann Example took a lay seat on Programme Board',
      'Ann Example left Programme Board (time commitment)',
    ]);
  });

  it('filters by partner, type and business time, and pages by position without gaps', async () => {
    const ann = ndjson(
      (await ledger.http().get('/v1/timeline').query({ partnerId: 'ann' }).expect(200)).text,
    );
    expect(ann.map((l) => l.type)).toEqual([
      'PartnerNominated',
      'PartnerAppointed',
      'SeatAllocated',
      'SeatVacated',
    ]);
    const seats = ndjson(
      (
        await ledger
          .http()
          .get('/v1/timeline')
          .query({ type: 'SeatAllocated,SeatVacated', since: '2014-06-01' })
          .expect(200)
      ).text,
    );
    expect(seats.map((l) => l.type)).toEqual(['SeatVacated']);

    // A misspelt type is an error naming the valid ones, not an empty page.
    const misspelt = await ledger
      .http()
      .get('/v1/timeline')
      .query({ type: 'SeatAllocated,SeatAlocated' })
      .expect(400);
    expect(misspelt.body.code).toBe('unknown_event_type');
    expect(misspelt.body.details.unknown).toEqual(['SeatAlocated']);
    expect(misspelt.body.details.validTypes).toContain('SeatVacated');

    const seen: number[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const response = await ledger
        .http()
        .get('/v1/timeline')
        .query({ limit: 4, ...(after ? { after } : {}) })
        .expect(200);
      seen.push(...ndjson(response.text).map((l) => l.position));
      after = response.headers['x-next-after'];
      if (!after) break;
    }
    const all = (await store.readAll()).map((e) => Number(e.position));
    expect(seen).toEqual(all);
  });

  it('replays the whole state at a position or a time', async () => {
    const atSeat = await ledger
      .http()
      .get('/v1/replay')
      .query({ until: String(seated) })
      .expect(200);
    const board = atSeat.body.groups.find(
      (g: { groupId: string }) => g.groupId === 'programme-board',
    );
    expect(board.seats.map((s: { seatId: string }) => s.seatId)).toEqual(['s1']);
    expect(atSeat.body.position).toBe(seated);

    const before = await ledger
      .http()
      .get('/v1/replay')
      .query({ until: String(seated - 1) })
      .expect(200);
    expect(before.body.groups[0].seats).toEqual([]);

    const now = await ledger
      .http()
      .get('/v1/replay')
      .query({ until: new Date().toISOString() })
      .expect(200);
    expect(now.body.position).toBe(vacated);
    await ledger.http().get('/v1/replay').expect(400);
    await ledger.http().get('/v1/replay').query({ until: 'yesterday' }).expect(400);
  });

  it('starts later replays from snapshots and answers the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-snapshots-'));
    const replays = new ReplayService(store, createLedgerProjections, dir, 2);
    const head = (await store.headPosition())!;
    const first = await replays.replay(head);
    const firstView = new GovernanceQueries(first.db).governance({
      asOf: '2014-03-01T00:00:00.000Z',
      knownAt: Number.MAX_SAFE_INTEGER,
    });
    first.db.close();
    expect(first.fromSnapshot).toBeNull();
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    const second = await replays.replay(head);
    expect(second.fromSnapshot).not.toBeNull();
    expect(second.position).toBe(head);
    const secondView = new GovernanceQueries(second.db).governance({
      asOf: '2014-03-01T00:00:00.000Z',
      knownAt: Number.MAX_SAFE_INTEGER,
    });
    second.db.close();
    expect(secondView).toEqual(firstView);
  });

  it('sends live events as Server-Sent Events, resuming after a position', async () => {
    await ledger.app.listen(0, '127.0.0.1');
    const abort = new AbortController();
    const response = await fetch(`${await ledger.app.getUrl()}/v1/events/live?after=${seated}`, {
      signal: abort.signal,
      headers: bearer('auditor'),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes(`id: ${vacated}`)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
    }
    abort.abort();
    expect(text).toContain(`event: SeatVacated\nid: ${vacated}\ndata: `);
    expect(text).not.toContain(`id: ${seated}\n`);
  });

  it('ends live streams on shutdown, so a listening client never holds the process up', async () => {
    const own = await startTestLedger();
    await own.app.listen(0, '127.0.0.1');
    const response = await fetch(`${await own.app.getUrl()}/v1/events/live`, {
      headers: bearer('auditor'),
    });
    expect(response.status).toBe(200);
    const ended = response.text();
    await own.destroy();
    await expect(ended).resolves.toMatch(/^\s*$/); // the stream ended, with nothing after the preamble
  });
});
