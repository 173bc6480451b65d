import { PersonKeyStore } from '@app/event-store';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult } from '../../apps/ledger-api/src/commands/command-metadata.js';
import { ExecutePartnerCommand } from '../../apps/ledger-api/src/partners/partner-command.handler.js';
import { SagaRunner } from '../../apps/ledger-api/src/sagas/saga-runner.js';
import { nomination, programmeBoard } from '../support/fixtures.js';
import { startTestLedger, type TestLedger } from '../support/test-ledger.js';

const json = { 'content-type': 'application/json' };
const NAME = 'Zebedee Quibblesworth';
const EMAIL = 'zebedee.quibblesworth@example.org';
const PHONE = '+44 20 7946 0999';
const NOTE = 'Zebedee is moving to Penzance';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every data file that contains `needle`, as bytes. */
const containing = (dir: string, needle: Buffer) =>
  filesUnder(dir).filter((file) => readFileSync(file).includes(needle));

describe('crypto-shredding: erasure destroys the person’s key', () => {
  let ledger: TestLedger;

  afterAll(() => ledger.destroy());

  it('keeps personal data out of the log, and after erasure out of every data file, while seats keep their structure', async () => {
    ledger = await startTestLedger();
    const dataDir = ledger.dataDir;
    const post = async (path: string, body: unknown) =>
      (
        await ledger
          .http()
          .post(path)
          .set(json)
          .send(body as object)
          .expect(201)
      ).body as { position: number };
    const exec = (command: ExecutePartnerCommand['command']) =>
      ledger.app.get(CommandBus).execute(
        new ExecutePartnerCommand(command, {
          commandId: randomUUID(),
          correlationId: randomUUID(),
          causationId: randomUUID(),
          actor: 'programme-office',
        }),
      ) as Promise<CommandResult>;

    await post('/v1/groups', programmeBoard());
    await post('/v1/partners/nominations', {
      partnerId: 'zq',
      name: NAME,
      email: EMAIL,
      phone: PHONE,
      nominatedBy: { organisation: 'Healthwatch Ealing', organisationKind: 'healthwatch' },
      occurredAt: '2013-11-01',
    });
    await post('/v1/partners/zq/appointment', { body: 'advisory-group', occurredAt: '2013-12-01' });
    await post('/v1/groups/programme-board/seats', {
      seatId: 'zq-seat',
      partnerId: 'zq',
      constituency: 'lay',
      occurredAt: '2014-01-10',
    });
    const withdrawn = await exec({
      type: 'Withdraw',
      data: {
        partnerId: 'zq',
        reason: 'moved-away',
        note: NOTE,
        occurredAt: '2014-06-30T00:00:00.000Z',
      },
    });
    const before = await ledger
      .http()
      .get('/v1/groups/programme-board/tenures')
      .query({ minPosition: String(withdrawn.position) })
      .expect(200);
    expect(before.body.tenures[0]).toMatchObject({ partnerName: NAME });

    // Encrypted at rest from the start: the log never holds the name in clear.
    const eventFiles = filesUnder(dataDir).filter((f) => f.includes('events.sqlite'));
    for (const file of eventFiles)
      expect(readFileSync(file).includes(Buffer.from(NAME))).toBe(false);

    // The grep below can see plaintext: before erasure the read models hold the name.
    expect(containing(dataDir, Buffer.from(NAME)).some((file) => file.includes('readmodels'))).toBe(
      true,
    );

    const keys = new PersonKeyStore(join(dataDir, 'keys.sqlite'));
    const key = Buffer.from(keys.existingKey('zq')!);
    keys.close();
    expect(key).toHaveLength(32);

    const erased = await exec({
      type: 'ErasePersonalData',
      data: { partnerId: 'zq', occurredAt: '2014-07-01T00:00:00.000Z' },
    });
    const after = await ledger
      .http()
      .get('/v1/groups/programme-board/tenures')
      .query({ minPosition: String(erased.position) })
      .expect(200);
    expect(after.body.tenures).toEqual([
      expect.objectContaining({
        seatId: 'zq-seat',
        partnerId: 'zq',
        partnerName: '[erased]',
        to: '2014-06-30T00:00:00.000Z',
      }),
    ]);
    const timeline = await ledger.http().get('/v1/timeline').query({ partnerId: 'zq' }).expect(200);
    expect(timeline.text).not.toContain(NAME);
    expect(timeline.text).toContain('[erased] nominated by Healthwatch Ealing');

    await ledger.close();
    for (const needle of [NAME, EMAIL, PHONE, NOTE, 'Quibblesworth']) {
      expect({ needle, files: containing(dataDir, Buffer.from(needle)) }).toEqual({
        needle,
        files: [],
      });
    }
    expect(containing(dataDir, key)).toEqual([]);
    expect(containing(dataDir, Buffer.from(key.toString('base64')))).toEqual([]);
    expect(containing(dataDir, Buffer.from(key.toString('hex')))).toEqual([]);
  });
});

describe('replay after an erasure', () => {
  let ledger: TestLedger;

  afterAll(() => ledger.destroy());

  it('answers from the log once the erasure has deleted the snapshots, and snapshots again', async () => {
    ledger = await startTestLedger();
    const post = (path: string, body: object) =>
      ledger.http().post(path).set(json).send(body).expect(201);
    await post('/v1/partners/nominations', nomination('zq', NAME));
    await post('/v1/partners/zq/withdrawal', { reason: 'moved-away', occurredAt: '2014-06-30' });
    const erased = await post('/v1/partners/zq/erasure', { occurredAt: '2014-07-01' });
    const snapshots = join(ledger.dataDir, 'snapshots');
    await ledger.app.get(SagaRunner).waitFor(BigInt(erased.body.position));
    expect(existsSync(snapshots)).toBe(false);

    const replayed = await ledger.http().get('/v1/replay').query({ until: '1' });
    expect({ status: replayed.status, position: replayed.body.position }).toEqual({
      status: 200,
      position: 1,
    });
    await ledger
      .http()
      .get('/v1/replay')
      .query({ until: String(erased.body.position) })
      .expect(200);
  });
});
