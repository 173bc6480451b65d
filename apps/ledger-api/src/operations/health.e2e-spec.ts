import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { rmSync } from 'node:fs';
import request from 'supertest';
import { TEST_API_KEYS, tempDataDir } from '../../../../test/support/test-ledger.js';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../config/ledger-config.js';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness.js';

/** A dependency provided under READINESS_CHECKS (as PostgreSQL is in cluster mode) gates readiness, never liveness. */
describe('readiness checks of further dependencies', () => {
  const dataDir = tempDataDir();
  let reachable = true;
  const postgres: ReadinessCheck = {
    name: 'postgres',
    check: () => (reachable ? Promise.resolve() : Promise.reject(new Error('connection refused'))),
  };

  let app: NestFastifyApplication;
  beforeAll(async () => {
    const config = loadConfig({ LEDGER_DATA_DIR: dataDir, LEDGER_API_KEYS: TEST_API_KEYS });
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot(config)],
    })
      // the core module provides the cluster's PostgreSQL check here; none in embedded mode
      .overrideProvider(READINESS_CHECKS)
      .useValue([postgres])
      .compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: false,
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports the dependency and is unready, but live, while it fails', async () => {
    const ready = await request(app.getHttpServer()).get('/health/ready').expect(200);
    expect(ready.body.details.postgres).toEqual({ status: 'up' });
    reachable = false;
    const unready = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(unready.body.error.postgres).toEqual({ status: 'down', message: 'connection refused' });
    expect(unready.body.details.store.status).toBe('up');
    await request(app.getHttpServer()).get('/health').expect(503);
    await request(app.getHttpServer()).get('/health/live').expect(200);
    reachable = true;
    await request(app.getHttpServer()).get('/health/ready').expect(200);
  });
});
