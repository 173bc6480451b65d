import {
  parsePublicKey,
  parseSignedHead,
  parseSigningKey,
  generateSigningKeyPem,
  SealSigner,
  signatureValid,
  signedHeadToJson,
} from '@app/event-store';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/ledger-config.js';
import { nomination, programmeBoard } from '../../../../test/support/fixtures.js';
import {
  startTestLedger,
  TEST_SIGNING_KEY,
  type TestLedger,
} from '../../../../test/support/test-ledger.js';

const json = { 'content-type': 'application/json' };

describe('signed digests: GET /v1/audit/digest, /public-key and verify?digest=', () => {
  let ledger: TestLedger;

  const post = (path: string, body: unknown) =>
    ledger
      .http()
      .post(path)
      .set(json)
      .send(body as object)
      .expect(201);
  const verify = (query: Record<string, string> = {}) =>
    ledger.http('auditor').get('/v1/audit/verify').query(query);

  beforeAll(async () => {
    // Sealing on demand only: every digest below is taken when the test asks.
    ledger = await startTestLedger(undefined, { LEDGER_SEAL_INTERVAL_MS: '0' });
    await post('/v1/groups', programmeBoard());
    for (const id of ['ann', 'bob']) {
      await post('/v1/partners/nominations', nomination(id, `${id} Example`));
    }
  });
  afterAll(() => ledger.destroy());

  it('answers the latest signed head, signed with the configured key, to every role', async () => {
    const { body } = await ledger.http('evaluator').get('/v1/audit/digest').expect(200);
    const key = new SealSigner(parseSigningKey(TEST_SIGNING_KEY));
    expect(body).toEqual({
      format: 'ledger-head-v1',
      keyId: key.keyId,
      position: expect.any(Number),
      count: 3,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      recordedAt: expect.any(String),
      sealedAt: expect.any(String),
      signature: expect.any(String),
      publicKey: key.publicKeyPem,
    });
    expect(signatureValid(parseSignedHead(JSON.stringify(body)), key.publicKey)).toBe(true);
    const published = await ledger.http('auditor').get('/v1/audit/public-key').expect(200);
    expect(published.body).toEqual({
      algorithm: 'Ed25519',
      keyId: key.keyId,
      publicKey: key.publicKeyPem,
    });
    expect(
      signatureValid(
        parseSignedHead(JSON.stringify(body)),
        parsePublicKey(published.body.publicKey),
      ),
    ).toBe(true);
    await ledger.anonymous().get('/v1/audit/digest').expect(401);
    // Nothing new: the same head.
    expect((await ledger.http().get('/v1/audit/digest').expect(200)).body).toEqual(body);
  });

  it('verifies the log against an earlier signed digest, as JSON or base64url', async () => {
    const { body: earlier } = await ledger.http().get('/v1/audit/digest').expect(200);
    await post('/v1/partners/nominations', nomination('cat', 'Cat Example'));
    const asJson = await verify({ digest: JSON.stringify(earlier) }).expect(200);
    expect(asJson.body).toMatchObject({ ok: true, checkedEvents: 4, firstBroken: null });
    const asBase64 = await verify({
      digest: Buffer.from(JSON.stringify(earlier)).toString('base64url'),
    }).expect(200);
    expect(asBase64.body.ok).toBe(true);

    const forged = { ...earlier, count: earlier.count - 1 };
    const refused = await verify({ digest: JSON.stringify(forged) }).expect(200);
    expect(refused.body).toMatchObject({
      ok: false,
      firstBroken: { reason: 'signature_invalid', position: earlier.position },
    });
    // Under another public key, the ledger's own digest is not genuine.
    const other = new SealSigner(parseSigningKey(generateSigningKeyPem()));
    const elsewhere = await verify({
      digest: JSON.stringify(earlier),
      publicKey: other.publicKeyPem,
    }).expect(200);
    expect(elsewhere.body.firstBroken).toMatchObject({ reason: 'signature_invalid' });
    // A digest another key signed checks out under that key, and shows what differs.
    const foreign = signedHeadToJson(
      other.sign({ ...parseSignedHead(JSON.stringify(earlier)), hash: 'a'.repeat(64) }),
    );
    const mismatch = await verify({
      digest: JSON.stringify(foreign),
      publicKey: other.publicKeyPem,
    }).expect(200);
    expect(mismatch.body.firstBroken).toMatchObject({
      reason: 'digest_mismatch',
      position: earlier.position,
    });
  });

  it('refuses what is not a signed digest or a public key with 400 invalid_digest', async () => {
    for (const query of <Array<Record<string, string>>>[
      { digest: 'not-a-digest' },
      { digest: '{"format":"ledger-head-v1"}' },
      { digest: '{}', publicKey: 'nope' },
      { full: 'yes' },
      { publicKey: 'x' },
    ]) {
      const response = await verify(query).expect(400);
      expect(response.body).toMatchObject({ code: 'invalid_digest', details: expect.anything() });
    }
  });

  it('verifies incrementally; full=true reads everything again and finds what changed since', async () => {
    const first = await verify({ full: 'true' }).expect(200);
    expect(first.body).toMatchObject({ ok: true, incremental: false });
    await post('/v1/partners/nominations', nomination('dee', 'Dee Example'));
    const next = await verify().expect(200);
    expect(next.body).toMatchObject({
      ok: true,
      incremental: true,
      readEvents: 1,
      checkedEvents: first.body.checkedEvents + 1,
    });

    // Someone with the data directory moves an old event's recordedAt.
    const db = new Database(join(ledger.dataDir, 'events.sqlite'));
    db.prepare('UPDATE events SET recorded_at = ? WHERE position = 2').run(
      Date.parse('2100-01-01'),
    );
    db.close();
    // Read before: the incremental check does not read it again ...
    expect((await verify().expect(200)).body).toMatchObject({ ok: true, readEvents: 0 });
    // ... the full one, and any signed digest, do.
    const full = await verify({ full: 'true' }).expect(200);
    expect(full.body).toMatchObject({
      ok: false,
      firstBroken: { position: 2, reason: 'recorded_at_changed' },
    });
  });
});

describe('a log the sealer cannot read through', () => {
  it('is reported by verify (200, unreadable) while digest answers the last head signed', async () => {
    const ledger = await startTestLedger(undefined, { LEDGER_SEAL_INTERVAL_MS: '0' });
    try {
      const office = ledger.http();
      await office.post('/v1/groups').set(json).send(programmeBoard()).expect(201);
      const { body: before } = await office.get('/v1/audit/digest').expect(200);
      await office
        .post('/v1/partners/nominations')
        .set(json)
        .send(nomination('eve', 'Eve Example'))
        .expect(201);
      const db = new Database(join(ledger.dataDir, 'events.sqlite'));
      db.prepare(`UPDATE events SET data = '{"broken' WHERE position = ?`).run(before.position + 1);
      db.close();
      expect((await office.get('/v1/audit/digest').expect(200)).body).toEqual(before);
      const verified = await ledger.http('auditor').get('/v1/audit/verify').expect(200);
      expect(verified.body).toMatchObject({
        ok: false,
        firstBroken: { position: before.position + 1, reason: 'unreadable' },
      });
    } finally {
      await ledger.destroy();
    }
  });
});

describe('the signing key', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('is generated once beside the data directory (mode 0600) and kept across restarts', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ledger-key-'));
    dirs.push(root);
    const dataDir = join(root, 'data');
    const file = join(root, 'ledger-signing.key');
    const env = { LEDGER_SIGNING_KEY_FILE: file };
    const first = await startTestLedger(dataDir, env);
    const { body } = await first.http().get('/v1/audit/public-key').expect(200);
    await first.close();
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain('PRIVATE KEY');
    const again = await startTestLedger(dataDir, env);
    expect((await again.http().get('/v1/audit/public-key').expect(200)).body).toEqual(body);
    await again.destroy();
  });

  it('refuses to start with a bad key, a key file inside the data directory, or a bad interval', () => {
    expect(() => loadConfig({ LEDGER_SIGNING_KEY: 'not-a-key' })).toThrow(/LEDGER_SIGNING_KEY/);
    expect(() =>
      loadConfig({ LEDGER_DATA_DIR: '/srv/ledger', LEDGER_SIGNING_KEY_FILE: '/srv/ledger/k.key' }),
    ).toThrow(/outside the data directory/);
    expect(() =>
      loadConfig({ LEDGER_SIGNING_KEY: TEST_SIGNING_KEY, LEDGER_SIGNING_KEY_FILE: '/tmp/k' }),
    ).toThrow(/not both/);
    expect(() => loadConfig({ LEDGER_SEAL_INTERVAL_MS: '-1' })).toThrow(/LEDGER_SEAL_INTERVAL_MS/);
    expect(loadConfig({ LEDGER_DATA_DIR: '/srv/ledger/data' }).signingKeyFile).toBe(
      '/srv/ledger/ledger-signing.key',
    );
    // LEDGER_SIGNING_KEY may name a key file instead.
    const root = mkdtempSync(join(tmpdir(), 'ledger-key-'));
    dirs.push(root);
    const file = join(root, 'signing.pem');
    writeFileSync(file, generateSigningKeyPem(), { mode: 0o600 });
    expect(
      loadConfig({ LEDGER_DATA_DIR: join(root, 'data'), LEDGER_SIGNING_KEY: file }),
    ).toMatchObject({
      signingKey: null,
      signingKeyFile: file,
    });
  });
});
