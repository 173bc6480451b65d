import { EVENT_STORE, type EventStore } from '@app/event-store';
import { READ_DB } from '../../apps/ledger-api/src/infrastructure/tokens.js';
import { CommandBus } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { CommandResult } from '../../apps/ledger-api/src/commands/command-metadata.js';
import { ExecuteElectionCommand } from '../../apps/ledger-api/src/elections/election-command.handler.js';
import { ExecuteGroupCommand } from '../../apps/ledger-api/src/groups/group-command.handler.js';
import { ExecutePartnerCommand } from '../../apps/ledger-api/src/partners/partner-command.handler.js';
import { nomination, programmeBoard, workstream } from '../support/fixtures.js';
import { startTestLedger, type TestLedger } from '../support/test-ledger.js';

const json = { 'content-type': 'application/json' };
const office = () => ({
  commandId: randomUUID(),
  correlationId: randomUUID(),
  causationId: randomUUID(),
  actor: 'programme-office',
});

interface GroupBody {
  groupId: string;
  seats: Array<{ seatId: string; partnerId: string }>;
  coChairs: Array<{ partnerId: string; constituency: string; electionId: string | null }>;
}

describe('sagas: withdrawal and election results', () => {
  let ledger: TestLedger;
  let bus: CommandBus;
  let store: EventStore;

  const post = (path: string, body: unknown) =>
    ledger
      .http()
      .post(path)
      .set(json)
      .send(body as object)
      .expect(201);
  const exec = (command: ExecuteGroupCommand | ExecutePartnerCommand | ExecuteElectionCommand) =>
    bus.execute(command) as Promise<CommandResult>;
  const group = async (groupId: string, minPosition: bigint | number): Promise<GroupBody> => {
    const response = await ledger
      .http()
      .get('/v1/governance')
      .query({ minPosition: String(minPosition) })
      .expect(200);
    return (response.body.groups as GroupBody[]).find((g) => g.groupId === groupId)!;
  };
  const eventsOfType = async (streamId: string, type: string) =>
    (await store.readStream(streamId)).filter((e) => e.type === type);

  beforeAll(async () => {
    ledger = await startTestLedger();
    bus = ledger.app.get(CommandBus);
    store = ledger.app.get(EVENT_STORE);
    await post('/v1/groups', programmeBoard({ laySeats: { min: 2, max: 4 } }));
    await post('/v1/groups', workstream('provider-networks', 'Provider Networks'));
    for (const id of ['ann', 'bob', 'cat']) {
      await post('/v1/partners/nominations', nomination(id, `${id} Example`));
      await post(`/v1/partners/${id}/appointment`, {
        body: 'advisory-group',
        occurredAt: '2013-12-01T00:00:00.000Z',
      });
    }
    for (const [groupId, id] of [
      ['programme-board', 'ann'],
      ['provider-networks', 'ann'],
      ['programme-board', 'bob'],
      ['programme-board', 'cat'],
    ] as const) {
      await post(`/v1/groups/${groupId}/seats`, {
        seatId: `${groupId}-${id}`,
        partnerId: id,
        constituency: 'lay',
        occurredAt: '2014-01-10T00:00:00.000Z',
      });
    }
  });
  afterAll(() => ledger.destroy());

  it('a withdrawal vacates every seat of the partner and stands them down as co-chair', async () => {
    await exec(
      new ExecuteGroupCommand(
        {
          type: 'AppointCoChair',
          data: {
            groupId: 'programme-board',
            partnerId: 'ann',
            constituency: 'lay',
            occurredAt: '2014-02-01T00:00:00.000Z',
          },
        },
        office(),
      ),
    );
    const withdrawal = await exec(
      new ExecutePartnerCommand(
        {
          type: 'Withdraw',
          data: {
            partnerId: 'ann',
            reason: 'time-commitment',
            occurredAt: '2014-09-30T00:00:00.000Z',
          },
        },
        office(),
      ),
    );
    const board = await group('programme-board', withdrawal.position);
    expect(board.seats.map((s) => s.partnerId).sort()).toEqual(['bob', 'cat']);
    expect(board.coChairs).toEqual([]);
    const providers = await group('provider-networks', withdrawal.position);
    expect(providers.seats).toEqual([]);

    const tenures = await ledger.http().get('/v1/groups/programme-board/tenures').expect(200);
    const annSeat = tenures.body.tenures.find(
      (t: { partnerId: string; role: string }) => t.partnerId === 'ann' && t.role === 'seat',
    );
    expect(annSeat).toMatchObject({
      to: '2014-09-30T00:00:00.000Z',
      endReason: 'partner-withdrew: time-commitment',
    });
    const annChair = tenures.body.tenures.find(
      (t: { partnerId: string; role: string }) => t.partnerId === 'ann' && t.role === 'co-chair',
    );
    expect(annChair).toMatchObject({ to: '2014-09-30T00:00:00.000Z', endReason: 'seat-vacated' });
  });

  it('a withdrawal is not backdated before a co-chair role began; dated after it, it ends the seat and the role', async () => {
    await post('/v1/partners/nominations', nomination('dan', 'Dan Example'));
    await post('/v1/partners/dan/appointment', {
      body: 'advisory-group',
      occurredAt: '2013-12-01',
    });
    await post('/v1/groups/provider-networks/seats', {
      seatId: 'pn-dan',
      partnerId: 'dan',
      constituency: 'lay',
      occurredAt: '2014-01-10',
    });
    await post('/v1/groups/provider-networks/co-chairs', {
      partnerId: 'dan',
      constituency: 'lay',
      occurredAt: '2014-03-01',
    });
    // Ending the seat on 1 February would leave a co-chair term with no seat under it.
    await expect(
      exec(
        new ExecutePartnerCommand(
          {
            type: 'Withdraw',
            data: { partnerId: 'dan', reason: 'health', occurredAt: '2014-02-01T00:00:00.000Z' },
          },
          office(),
        ),
      ),
    ).rejects.toMatchObject({
      code: 'withdrew_before_last_activity',
      details: { activity: 'co-chair of provider-networks' },
    });
    const withdrawn = await exec(
      new ExecutePartnerCommand(
        {
          type: 'Withdraw',
          data: { partnerId: 'dan', reason: 'health', occurredAt: '2014-03-15T00:00:00.000Z' },
        },
        office(),
      ),
    );
    const tenures = await ledger
      .http()
      .get('/v1/groups/provider-networks/tenures')
      .query({ minPosition: String(withdrawn.position) })
      .expect(200);
    const dans = tenures.body.tenures.filter((t: { partnerId: string }) => t.partnerId === 'dan');
    expect(dans).toHaveLength(2);
    for (const tenure of dans) expect(tenure.to).toBe('2014-03-15T00:00:00.000Z');
  });

  it('a redelivered withdrawal issues nothing twice', async () => {
    const before = (await store.readAll()).length;
    // Forget that the sagas saw anything, and restart: every event is delivered again.
    const dataDir = ledger.dataDir;
    (ledger.app.get(READ_DB) as Database.Database)
      .prepare(`DELETE FROM checkpoints WHERE name = 'sagas'`)
      .run();
    await ledger.close();
    ledger = await startTestLedger(dataDir);
    bus = ledger.app.get(CommandBus);
    store = ledger.app.get(EVENT_STORE);
    const head = (await store.headPosition())!;
    await group('programme-board', head);
    expect((await store.readAll()).length).toBe(before);
    expect(await eventsOfType('group-programme-board', 'SeatVacated')).toHaveLength(1);
    const vacated = await eventsOfType('group-provider-networks', 'SeatVacated');
    expect(
      vacated.filter((e) => (e.data as { partnerId: string }).partnerId === 'ann'),
    ).toHaveLength(1);
  });

  it('a closed election with a winner installs them as co-chair', async () => {
    const electionId = 'board-lay-co-chair-2014';
    await exec(
      new ExecuteElectionCommand(
        {
          type: 'OpenCoChairElection',
          data: {
            electionId,
            groupId: 'programme-board',
            constituency: 'lay',
            electorate: ['bob', 'cat'],
            occurredAt: '2014-10-01T00:00:00.000Z',
          },
        },
        office(),
      ),
    );
    for (const partnerId of ['bob', 'cat']) {
      await exec(
        new ExecuteElectionCommand(
          {
            type: 'NominateCandidate',
            data: { electionId, partnerId, occurredAt: '2014-10-02T00:00:00.000Z' },
          },
          office(),
        ),
      );
    }
    for (const voterId of ['bob', 'cat']) {
      await exec(
        new ExecuteElectionCommand(
          {
            type: 'CastBallot',
            data: {
              electionId,
              ballotId: randomUUID(),
              voterId,
              candidateId: 'cat',
              occurredAt: '2014-10-10T00:00:00.000Z',
            },
          },
          office(),
        ),
      );
    }
    const closed = await exec(
      new ExecuteElectionCommand(
        { type: 'CloseElection', data: { electionId, occurredAt: '2014-10-15T00:00:00.000Z' } },
        office(),
      ),
    );
    const board = await group('programme-board', closed.position);
    expect(board.coChairs).toEqual([
      expect.objectContaining({ partnerId: 'cat', constituency: 'lay', electionId }),
    ]);
    expect(await eventsOfType('group-programme-board', 'CoChairElected')).toHaveLength(1);
  });
});
