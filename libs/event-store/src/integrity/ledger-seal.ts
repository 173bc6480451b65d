import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { RecordedEvent } from '../event-store.port.js';

/**
 * The whole-ledger seal (ADR 0004): a hash chain over every committed event
 * in `$all` order, extended after commit, and Ed25519-signed heads of it.
 *
 * SEAL CHAIN (`ledger-seal-v1`). With `field(s) = <UTF-8 byte length>:<s>\n`
 * as for the event hash,
 *
 *     seal(empty)  = SHA-256("ledger-seal-v1\ngenesis\n")
 *     seal(.., e)  = SHA-256("ledger-seal-v1\n" field(seal before e) field(position of e)
 *                            field(recordedAt of e, ms since the epoch) field(eventHash(e)))
 *
 * in lowercase hex. `eventHash` (ledger-event-v1) covers the stream,
 * revision, id, type, data as stored (ciphertext for personal fields; the
 * business time `occurredAt` lives in the data) and metadata (schema version,
 * actor, `prevHash`, …); the seal adds what only the store assigns at commit:
 * the `$all` position, `recordedAt`, and the order of the whole log.
 */
export const SEAL_VERSION = 'ledger-seal-v1';
export const SIGNED_HEAD_VERSION = 'ledger-head-v1';

function field(value: string): string {
  return `${Buffer.byteLength(value, 'utf8')}:${value}\n`;
}

/** The seal of the empty ledger. */
export const GENESIS_SEAL = createHash('sha256').update(`${SEAL_VERSION}\ngenesis\n`).digest('hex');

/** The seal after `event`, whose event hash is `eventHash`, given the seal before it. */
export function sealLink(
  previous: string,
  event: Pick<RecordedEvent, 'position' | 'recordedAt'>,
  eventHash: string,
): string {
  return createHash('sha256')
    .update(
      `${SEAL_VERSION}\n` +
        field(previous) +
        field(event.position.toString(10)) +
        field(String(event.recordedAt.getTime())) +
        field(eventHash),
    )
    .digest('hex');
}

/** A head of the seal chain: what a signature covers. */
export interface SealHead {
  /** Position of the last sealed event; `null`: nothing sealed yet. */
  position: bigint | null;
  /** Events sealed (the whole log up to and including `position`). */
  count: number;
  /** The seal chain's value after the last sealed event. */
  hash: string;
  /** The last sealed event's `recordedAt`; `null` for the empty ledger. */
  recordedAt: Date | null;
  /** When the head was signed. */
  sealedAt: Date;
}

/** A head signed with the ledger's key: the digest a programme publishes. */
export interface SignedHead extends SealHead {
  format: typeof SIGNED_HEAD_VERSION;
  /** SHA-256 (hex) of the signing key's public key, DER (SPKI). */
  keyId: string;
  /** Ed25519 signature over `signedHeadBytes`, base64url. */
  signature: string;
}

/** JSON shape of a signed head: what `GET /v1/audit/digest` and `ledger digest` print. */
export interface SignedHeadJson {
  format: typeof SIGNED_HEAD_VERSION;
  keyId: string;
  position: number | null;
  count: number;
  hash: string;
  recordedAt: string | null;
  sealedAt: string;
  signature: string;
}

/**
 * The bytes signed (`ledger-head-v1`):
 *
 *     "ledger-head-v1\n" field(keyId) field(position, or "none") field(count)
 *     field(hash) field(recordedAt ISO 8601, or "none") field(sealedAt ISO 8601)
 */
export function signedHeadBytes(head: SealHead & { keyId: string }): Buffer {
  return Buffer.from(
    `${SIGNED_HEAD_VERSION}\n` +
      field(head.keyId) +
      field(head.position === null ? 'none' : head.position.toString(10)) +
      field(String(head.count)) +
      field(head.hash) +
      field(head.recordedAt ? head.recordedAt.toISOString() : 'none') +
      field(head.sealedAt.toISOString()),
    'utf8',
  );
}

/** The ledger's signing key and what others need to check its signatures. */
export class SealSigner {
  readonly publicKey: KeyObject;
  readonly keyId: string;

  constructor(private readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') {
      throw new Error(`The signing key must be Ed25519, not ${privateKey.asymmetricKeyType}`);
    }
    this.publicKey = createPublicKey(privateKey);
    this.keyId = keyIdOf(this.publicKey);
  }

  /** The public key as PEM (SPKI), to publish beside the digests. */
  get publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  sign(head: SealHead): SignedHead {
    const unsigned = { ...head, keyId: this.keyId };
    return {
      format: SIGNED_HEAD_VERSION,
      ...unsigned,
      signature: sign(null, signedHeadBytes(unsigned), this.privateKey).toString('base64url'),
    };
  }
}

/** SHA-256 (hex) of a public key's DER (SPKI) encoding. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** A new Ed25519 private key, PEM (PKCS#8). */
export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** An Ed25519 private key from PEM or base64 (PKCS#8 DER). Throws on anything else. */
export function parseSigningKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN')
    ? createPrivateKey(trimmed)
    : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`the signing key must be Ed25519, not ${key.asymmetricKeyType}`);
  }
  return key;
}

/** An Ed25519 public key from PEM or base64/base64url (SPKI DER). Throws on anything else. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN')
    ? createPublicKey(trimmed)
    : createPublicKey({
        key: Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64'),
        format: 'der',
        type: 'spki',
      });
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`the public key must be Ed25519, not ${key.asymmetricKeyType}`);
  }
  return key;
}

/** Does `head` carry a valid signature by `publicKey` (and name that key)? */
export function signatureValid(head: SignedHead, publicKey: KeyObject): boolean {
  if (head.keyId !== keyIdOf(publicKey)) return false;
  try {
    return verify(null, signedHeadBytes(head), publicKey, Buffer.from(head.signature, 'base64url'));
  } catch {
    return false;
  }
}

export function signedHeadToJson(head: SignedHead): SignedHeadJson {
  return {
    format: head.format,
    keyId: head.keyId,
    position: head.position === null ? null : Number(head.position),
    count: head.count,
    hash: head.hash,
    recordedAt: head.recordedAt ? head.recordedAt.toISOString() : null,
    sealedAt: head.sealedAt.toISOString(),
    signature: head.signature,
  };
}

/** Why a text is not a signed head. */
export class InvalidSignedHeadError extends Error {
  override readonly name = 'InvalidSignedHeadError';
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * A signed head from its JSON, or from that JSON in base64url (handy in a
 * query string). Checks the shape only; `signatureValid` checks the signature.
 */
export function parseSignedHead(text: string): SignedHead {
  const trimmed = text.trim();
  let value: unknown;
  try {
    value = JSON.parse(
      trimmed.startsWith('{') ? trimmed : Buffer.from(trimmed, 'base64url').toString('utf8'),
    );
  } catch {
    throw new InvalidSignedHeadError('a signed digest must be its JSON, or that JSON in base64url');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidSignedHeadError('a signed digest must be a JSON object');
  }
  const o = value as Record<string, unknown>;
  const problems: string[] = [];
  if (o.format !== SIGNED_HEAD_VERSION) problems.push(`format must be '${SIGNED_HEAD_VERSION}'`);
  if (typeof o.keyId !== 'string' || !HEX64.test(o.keyId)) problems.push('keyId: 64 hex digits');
  if (o.position !== null && !(Number.isSafeInteger(o.position) && (o.position as number) >= 0))
    problems.push('position: a non-negative integer or null');
  if (!Number.isSafeInteger(o.count) || (o.count as number) < 0)
    problems.push('count: a non-negative integer');
  if (typeof o.hash !== 'string' || !HEX64.test(o.hash)) problems.push('hash: 64 hex digits');
  const recordedAt = o.recordedAt === null ? null : instant(o.recordedAt);
  if (recordedAt === undefined) problems.push('recordedAt: an ISO 8601 instant or null');
  const sealedAt = instant(o.sealedAt);
  if (!sealedAt) problems.push('sealedAt: an ISO 8601 instant');
  if (typeof o.signature !== 'string' || !/^[A-Za-z0-9_-]{86}$/.test(o.signature))
    problems.push('signature: 64 bytes, base64url');
  if ((o.position === null) !== (o.count === 0))
    problems.push('position is null exactly when count is 0');
  if (problems.length > 0) {
    throw new InvalidSignedHeadError(`not a signed digest: ${problems.join('; ')}`);
  }
  return {
    format: SIGNED_HEAD_VERSION,
    keyId: o.keyId as string,
    position: o.position === null ? null : BigInt(o.position as number),
    count: o.count as number,
    hash: o.hash as string,
    recordedAt: recordedAt ?? null,
    sealedAt: sealedAt!,
    signature: o.signature as string,
  };
}

function instant(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || new Date(ms).toISOString() !== value) return undefined;
  return new Date(ms);
}
