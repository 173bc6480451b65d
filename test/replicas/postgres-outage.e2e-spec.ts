import { StoreUnavailableError, type LedgerPostgres } from '@app/event-store';
import { jest } from '@jest/globals';
import { SHARED_POSTGRES } from '../../apps/ledger-api/src/infrastructure/tokens.js';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { EsdbDouble } from '../eventstoredb/double/esdb-double.js';
import { nomination } from '../support/fixtures.js';
import {
  dropSchema,
  freshSchema,
  postgresReachable,
  TEST_POSTGRES_URL,
} from '../support/postgres.js';
import { startTestLedger, type TestLedger } from '../support/test-ledger.js';

/** An app, the double and a proxy in this process: a minute is ample even on a busy machine. */
jest.setTimeout(120_000);

const reachable = await postgresReachable('PostgreSQL outage (test/replicas/postgres-outage)');
const describePg = reachable ? describe : describe.skip;

/** A TCP proxy to PostgreSQL that the test can cut, as a network partition would. */
class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;
  port = 0;

  constructor(private readonly target: URL) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(Number(this.target.port || 5432), this.target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Every connection reset, new ones refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
  }
}

describePg('PostgreSQL out of reach on a cluster replica', () => {
  const schema = freshSchema('outage');
  const target = new URL(TEST_POSTGRES_URL);
  const proxy = new CuttableProxy(target);
  let double: EsdbDouble;
  let ledger: TestLedger;

  beforeAll(async () => {
    await proxy.open();
    double = await EsdbDouble.start();
    const viaProxy = new URL(TEST_POSTGRES_URL);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    ledger = await startTestLedger(undefined, {
      LEDGER_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: double.connectionString,
      LEDGER_POSTGRES_URL: viaProxy.toString(),
      LEDGER_POSTGRES_SCHEMA: schema,
      LEDGER_PSEUDONYM_KEY: 'a-pseudonym-secret-of-32-characters!',
    });
  });

  afterAll(async () => {
    await ledger?.destroy();
    await double?.close();
    await proxy.cut();
    await dropSchema(schema);
  });

  it('answers commands 503 store_unavailable with Retry-After, never 500, and reads from its read models', async () => {
    const written = await ledger
      .http()
      .post('/v1/partners/nominations')
      .send(nomination('nia', 'Nia Example'))
      .expect(201);
    const postgres = ledger.app.get<LedgerPostgres>(SHARED_POSTGRES);
    await postgres.ping();
    await proxy.cut();
    await expect(postgres.ping()).rejects.toBeInstanceOf(StoreUnavailableError);

    // A new person needs a key from PostgreSQL.
    const command = await ledger
      .http()
      .post('/v1/partners/nominations')
      .send(nomination('noor', 'Noor Example'));
    expect({ status: command.status, code: command.body.code }).toEqual({
      status: 503,
      code: 'store_unavailable',
    });
    expect(Number(command.headers['retry-after'])).toBeGreaterThan(0);

    // An Idempotency-Key needs the shared records.
    const keyed = await ledger
      .http()
      .post('/v1/groups')
      .set('idempotency-key', 'during-the-outage')
      .send({
        groupId: 'g',
        name: 'G',
        kind: 'forum',
        level: 'programme',
        cadence: 'monthly',
        laySeats: { min: 0, max: 2 },
        coChairConstituencies: ['lay'],
        occurredAt: '2013-10-01',
      });
    expect({ status: keyed.status, code: keyed.body.code }).toEqual({
      status: 503,
      code: 'store_unavailable',
    });

    // Reads answer from the replica's own read models.
    const partner = await ledger
      .http('auditor')
      .get(`/v1/partners/nia?minPosition=${written.body.position}`)
      .expect(200);
    expect(partner.body.name).toBe('Nia Example');
  });
});
