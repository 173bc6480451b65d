import { createHash } from 'node:crypto';

// RFC 4122 §4.3 name-based UUID (v5, SHA-1) under a namespace of our own.
const LEDGER_NAMESPACE = Buffer.from('6f1c2a0e9d7b4c1e8a3f5b2d4e6a8c0f', 'hex');

/**
 * The same name always gives the same UUID. Event ids derive from the
 * command id, so a retried or redelivered command re-appends the same ids
 * and the store's idempotence makes the retry a no-op.
 */
export function deterministicUuid(name: string): string {
  const hash = createHash('sha1').update(LEDGER_NAMESPACE).update(name).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
