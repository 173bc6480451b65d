import { generateKeyPairSync } from 'node:crypto';
import { InMemoryEventStore } from '../../../../test/support/in-memory-event-store.js';
import { eventHash } from './event-hash.js';
import { withHashChain } from './hash-chaining-event-store.js';
import {
  GENESIS_SEAL,
  generateSigningKeyPem,
  parsePublicKey,
  parseSignedHead,
  parseSigningKey,
  SealSigner,
  sealLink,
  signatureValid,
  signedHeadToJson,
} from './ledger-seal.js';
import { LedgerSealer } from './ledger-sealer.js';
import { LedgerVerifier } from './ledger-verifier.js';
import { SealStore } from './seal-store.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const signer = () => new SealSigner(parseSigningKey(generateSigningKeyPem()));

describe('the whole-ledger seal', () => {
  const event = { position: 7n, recordedAt: new Date('2014-01-10T00:00:00.000Z') };

  it('chains position, recordedAt and the event hash: each one changes the link', () => {
    const link = sealLink(GENESIS_SEAL, event, 'a'.repeat(64));
    expect(link).toMatch(/^[0-9a-f]{64}$/);
    expect(sealLink(GENESIS_SEAL, event, 'a'.repeat(64))).toBe(link);
    expect(sealLink(GENESIS_SEAL, { ...event, position: 8n }, 'a'.repeat(64))).not.toBe(link);
    expect(sealLink(GENESIS_SEAL, { ...event, recordedAt: new Date(1) }, 'a'.repeat(64))).not.toBe(
      link,
    );
    expect(sealLink(GENESIS_SEAL, event, 'b'.repeat(64))).not.toBe(link);
    expect(sealLink(link, event, 'a'.repeat(64))).not.toBe(link);
  });

  it('signs a head that survives JSON and base64url, and detects any change to it', () => {
    const key = signer();
    const head = key.sign({
      position: 41n,
      count: 12,
      hash: 'c'.repeat(64),
      recordedAt: new Date('2014-02-01T00:00:00.000Z'),
      sealedAt: new Date('2014-02-01T00:00:01.000Z'),
    });
    const json = JSON.stringify(signedHeadToJson(head));
    const parsed = parseSignedHead(json);
    expect(signatureValid(parsed, key.publicKey)).toBe(true);
    expect(
      signatureValid(parseSignedHead(Buffer.from(json).toString('base64url')), key.publicKey),
    ).toBe(true);
    expect(signatureValid(parsed, parsePublicKey(key.publicKeyPem))).toBe(true);
    for (const change of [
      { position: 42n },
      { count: 13 },
      { hash: 'd'.repeat(64) },
      { recordedAt: new Date('2014-02-01T00:00:00.001Z') },
      { sealedAt: new Date('2015-01-01T00:00:00.000Z') },
    ]) {
      expect(signatureValid({ ...parsed, ...change }, key.publicKey)).toBe(false);
    }
    // Signed by another key: refused under this one, whatever key id it claims.
    const other = signer().sign({ ...head });
    expect(signatureValid(other, key.publicKey)).toBe(false);
    expect(signatureValid({ ...other, keyId: key.keyId }, key.publicKey)).toBe(false);
  });

  it('refuses texts that are not signed heads, and keys that are not Ed25519', () => {
    expect(() => parseSignedHead('nonsense')).toThrow(/JSON/);
    expect(() => parseSignedHead('{"format":"ledger-head-v1"}')).toThrow(/keyId/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() =>
      parseSigningKey(rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    ).toThrow(/Ed25519/);
    expect(() => parseSigningKey('not a key')).toThrow();
  });
});

describe('LedgerSealer and incremental verification', () => {
  let seals: SealStore;
  beforeEach(() => {
    seals = new SealStore(':memory:');
  });
  afterEach(() => seals.close());

  it('seals every committed event once, signs the head, and verifies only what is new', async () => {
    const store = withHashChain(new InMemoryEventStore());
    const key = signer();
    const sealer = new LedgerSealer(store, seals, key, { pageSize: 2 });
    const empty = await sealer.seal();
    expect(empty).toMatchObject({ position: null, count: 0, hash: GENESIS_SEAL });

    for (let i = 1; i <= 5; i++) {
      await store.appendToStream(`s-${i % 2}`, [{ id: id(i), type: 'T', data: { i } }]);
    }
    const head = (await sealer.seal())!;
    const events = await store.readAll();
    expect(head).toMatchObject({ position: events.at(-1)!.position, count: 5 });
    expect(head.hash).toBe(events.reduce((s, e) => sealLink(s, e, eventHash(e)), GENESIS_SEAL));
    expect(signatureValid(head, key.publicKey)).toBe(true);
    // Nothing new: the same head, not a new signature.
    expect(await sealer.seal()).toEqual(head);

    const verifier = new LedgerVerifier(store, { sealRecords: seals, pageSize: 2 });
    const first = await verifier.verifyIncrementally();
    expect(first).toMatchObject({ ok: true, checkedEvents: 5, readEvents: 5 });
    expect(first.seal).toEqual({
      hash: head.hash,
      count: 5,
      sealedThrough: head.position,
      unsealedEvents: 0,
    });

    await store.appendToStream('s-9', [{ id: id(9), type: 'T', data: {} }]);
    const unsealed = await verifier.verifyIncrementally();
    expect(unsealed).toMatchObject({ ok: true, checkedEvents: 6, readEvents: 1 });
    expect(unsealed.seal.unsealedEvents).toBe(1);

    const against = await verifier.verify({ signedHead: head, publicKey: key.publicKey });
    expect(against).toMatchObject({ ok: true, checkedEvents: 6 });
    const forged = await verifier.verify({
      signedHead: { ...head, count: 4 },
      publicKey: key.publicKey,
    });
    expect(forged.firstBroken).toMatchObject({
      reason: 'signature_invalid',
      position: head.position,
    });
  });
});
