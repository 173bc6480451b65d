import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import type { PersonKeys } from './person-keys.js';

/** What an erased field reads as. */
export const ERASED = '[erased]';
const PREFIX = 'enc:v1:';

/** Event types whose personal fields are encrypted, and which fields. */
export const PERSONAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  PartnerNominated: ['name', 'email', 'phone'],
  PartnerRegistered: ['name', 'email', 'phone'],
  PartnerWithdrew: ['note'],
};

/**
 * AES-256-GCM over each personal field, under the person's own key. The IV
 * is derived from the key, the event id and the field, so re-encrypting the
 * same event gives the same bytes (an idempotent re-append stays identical)
 * while no two fields or events share an IV under one key.
 */
export class PersonalDataCipher {
  constructor(private readonly keys: PersonKeys) {}

  /**
   * Loads the keys `encrypt` (`create`) or `decrypt` will need for these
   * events; undefined when there is nothing to wait for.
   */
  prefetch(
    events: ReadonlyArray<{ type: string; data: unknown }>,
    create: boolean,
  ): Promise<void> | undefined {
    const personIds: string[] = [];
    for (const { type, data } of events) {
      const partnerId = (data as Record<string, unknown> | null)?.partnerId;
      if (PERSONAL_FIELDS[type] && typeof partnerId === 'string') personIds.push(partnerId);
    }
    return personIds.length === 0 ? undefined : this.keys.prefetch(personIds, create);
  }

  encrypt(type: string, eventId: string, data: unknown): unknown {
    const fields = PERSONAL_FIELDS[type];
    const record = data as Record<string, unknown> | null;
    if (!fields || !record || typeof record.partnerId !== 'string') return data;
    const key = this.keys.keyFor(record.partnerId);
    const out = { ...record };
    for (const field of fields) {
      const value = record[field];
      if (typeof value !== 'string' || value.startsWith(PREFIX)) continue;
      // No key: the person was erased already; their new personal data is not kept.
      out[field] = key ? seal(key, `${eventId}/${field}`, value) : ERASED;
    }
    return out;
  }

  decrypt(type: string, eventId: string, data: unknown): unknown {
    const fields = PERSONAL_FIELDS[type];
    const record = data as Record<string, unknown> | null;
    if (!fields || !record || typeof record.partnerId !== 'string') return data;
    let key: Buffer | null | undefined;
    const out = { ...record };
    for (const field of fields) {
      const value = record[field];
      if (typeof value !== 'string' || !value.startsWith(PREFIX)) continue;
      key ??= this.keys.existingKey(record.partnerId);
      out[field] = key ? tryOpen(key, `${eventId}/${field}`, value) : ERASED;
    }
    return out;
  }
}

function ivFor(key: Buffer, context: string): Buffer {
  return createHmac('sha256', key).update(`iv:${context}`).digest().subarray(0, 12);
}

function seal(key: Buffer, context: string, plaintext: string): string {
  const iv = ivFor(key, context);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

/** A field that fails authentication was altered in the log: say so rather than stop every reader. */
export const UNREADABLE = '[unreadable]';

function tryOpen(key: Buffer, context: string, sealed: string): string {
  try {
    return open(key, context, sealed);
  } catch {
    return UNREADABLE;
  }
}

function open(key: Buffer, context: string, sealed: string): string {
  const bytes = Buffer.from(sealed.slice(PREFIX.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}
