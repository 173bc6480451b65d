import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Fields naming a person: their values become pseudonyms for evaluators. */
const PERSON_ID_FIELDS = new Set([
  'partnerId',
  'raisedBy',
  'respondedBy',
  'voterId',
  'candidateId',
  'electedPartnerId',
  'person_id',
]);
/** Lists of people. */
const PERSON_LIST_FIELDS = new Set(['attendees', 'apologies', 'layMembersPresent', 'electorate']);
/** Fields holding a person's name: replaced by the person's pseudonym. */
const NAME_FIELDS = new Set(['partnerName', 'name_of_person']);
/** Personal detail evaluators never see. */
const DROPPED_FIELDS = new Set(['email', 'phone', 'note', 'contact']);

/**
 * Stable, keyed pseudonyms (HMAC-SHA-256 under a secret kept outside the
 * log): the same person is always the same pseudonym, and without the key a
 * pseudonym cannot be turned back into a person or checked against a guess.
 */
export class Pseudonyms {
  constructor(private readonly key: Buffer) {}

  /** Loads the key from `path`, creating it (0600) on first use. */
  static fromKeyFile(path: string): Pseudonyms {
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, randomBytes(32), { mode: 0o600 });
    }
    chmodSync(path, 0o600);
    return new Pseudonyms(readFileSync(path));
  }

  of(personId: string): string {
    const digest = createHmac('sha256', this.key).update(`person:${personId}`).digest('base64url');
    return `P-${digest.slice(0, 12)}`;
  }

  /**
   * A copy of a response body fit for evaluators: person ids replaced by
   * pseudonyms, names replaced by the same pseudonyms, contact details and
   * free-text notes removed. Objects that describe a person (a `kind` of lay
   * or professional with a `name`) lose the name too.
   */
  scrub(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.scrub(item));
    if (value === null || typeof value !== 'object') return value;
    const source = value as Record<string, unknown>;
    const personRecord = typeof source.partnerId === 'string' && 'name' in source;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(source)) {
      if (DROPPED_FIELDS.has(key)) continue;
      if (PERSON_ID_FIELDS.has(key) && typeof field === 'string') out[key] = this.of(field);
      else if (PERSON_LIST_FIELDS.has(key) && Array.isArray(field)) {
        out[key] = field.map((item) =>
          typeof item === 'string' ? this.of(item) : this.scrub(item),
        );
      } else if (NAME_FIELDS.has(key) || (personRecord && key === 'name')) {
        out[key] = typeof source.partnerId === 'string' ? this.of(source.partnerId) : 'redacted';
      } else out[key] = this.scrub(field);
    }
    return out;
  }
}
