import { parseStream } from '@app/domain';
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * What evaluators see pseudonymised: people, and every id the programme
 * office chooses as free text for something that belongs to or names a
 * person (the demo's seat and claim ids embed partner ids). Each kind has its
 * own prefix. Groups and programmes are organisations, not people: their ids
 * stay as recorded (ADR 0010).
 */
export const PSEUDONYM_PREFIXES = {
  partner: 'P',
  seat: 'S',
  claim: 'C',
  payment: 'I',
  election: 'E',
  meeting: 'M',
  decision: 'D',
  feedback: 'F',
  response: 'R',
  workshop: 'W',
} as const;
export type PseudonymKind = keyof typeof PSEUDONYM_PREFIXES;

/** Fields whose values are ids of a kind (camelCase in JSON, snake_case in Popolo). */
const ID_FIELDS: Record<string, PseudonymKind> = {
  partnerId: 'partner',
  raisedBy: 'partner',
  respondedBy: 'partner',
  voterId: 'partner',
  candidateId: 'partner',
  electedPartnerId: 'partner',
  person_id: 'partner',
  seatId: 'seat',
  claimId: 'claim',
  paymentId: 'payment',
  electionId: 'election',
  rerunOf: 'election',
  rerunBy: 'election',
  meetingId: 'meeting',
  decisionId: 'decision',
  feedbackId: 'feedback',
  responseId: 'response',
  workshopId: 'workshop',
};
/** Lists of ids. */
const ID_LIST_FIELDS: Record<string, PseudonymKind> = {
  attendees: 'partner',
  apologies: 'partner',
  layMembersPresent: 'partner',
  electorate: 'partner',
  influencedBy: 'feedback',
  feedbackIds: 'feedback',
  openPastTargetFeedbackIds: 'feedback',
};
/** Stream names (`<category>-<id>`) whose id is pseudonymised. */
const STREAM_FIELDS = new Set(['stream', 'streamId']);
const STREAM_KINDS: Record<string, PseudonymKind> = {
  partner: 'partner',
  feedback: 'feedback',
  election: 'election',
};
/** Fields holding a person's name: replaced by the person's pseudonym. */
const NAME_FIELDS = new Set(['partnerName', 'name_of_person']);
/** Personal detail evaluators never see. */
const DROPPED_FIELDS = new Set(['email', 'phone', 'note', 'contact']);
/**
 * Free text written by the office (and the plain-language lines built from
 * it): known names and ids quoted in it become pseudonyms (`redact`).
 */
const FREE_TEXT_FIELDS = new Set([
  'summary',
  'rationale',
  'reason',
  'endReason',
  'how',
  'reportedBackHow',
  'course',
  'campaign',
  'description',
  'line',
  'message',
]);
/** Runs of id characters: the tokens free text is searched by. */
const TOKEN = /[A-Za-z0-9_-]+/g;
const ID_CHAR = /[A-Za-z0-9_-]/;

/** Pseudonyms remembered for reverse lookup; the ledger's ids, so bounded by its size. */
const MEMO_LIMIT = 500_000;

/**
 * Ids an evaluator may pass back (path parameters, filters), as the read
 * models know them now: the source of reverse lookups after a restart or on
 * another replica. `version` changes when the ids may have changed.
 */
export interface PseudonymCatalogue {
  version(): string;
  ids(): Iterable<readonly [PseudonymKind, string]>;
  /** Partners' names (partner id, name), looked for in free text. */
  names?(): Iterable<readonly [string, string]>;
}

export interface ScrubOptions {
  /**
   * The value may echo what the evaluator sent (an error's details): free
   * text is left alone, as `redact` would turn a guessed raw id into its
   * pseudonym and so confirm the guess.
   */
  echoes?: boolean;
}

/** What free text is searched for, as of one version of the catalogue. */
interface TextIndex {
  version: string;
  /** Raw id → pseudonym. */
  ids: Map<string, string>;
  /** A name's first token → the names starting with it and their pseudonyms, longest first. */
  names: Map<string, Array<[string, string]>>;
}
export const PSEUDONYM_CATALOGUE = Symbol('PSEUDONYM_CATALOGUE');

/**
 * Stable, keyed pseudonyms (HMAC-SHA-256 under a secret kept outside the
 * log): the same person (seat, claim …) is always the same pseudonym, and
 * without the key a pseudonym cannot be turned back into an id or checked
 * against a guess. The ledger itself turns pseudonyms it has issued back
 * into ids (`resolve`), so evaluators can use what they read.
 */
export class Pseudonyms {
  private readonly forward = new Map<string, string>();
  private readonly reverse = new Map<string, { kind: PseudonymKind; id: string }>();
  private catalogueVersion: string | null = null;
  private textIndex: TextIndex | null = null;

  constructor(
    private readonly key: Buffer,
    private readonly catalogue?: PseudonymCatalogue,
  ) {}

  /** Loads the key from `path`, creating it (0600) on first use. */
  static fromKeyFile(path: string, catalogue?: PseudonymCatalogue): Pseudonyms {
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, randomBytes(32), { mode: 0o600 });
    }
    chmodSync(path, 0o600);
    return new Pseudonyms(readFileSync(path), catalogue);
  }

  /** A person's pseudonym, `P-…`. */
  of(personId: string): string {
    return this.idOf('partner', personId);
  }

  /** The pseudonym of an id of a kind: `S-…` for a seat, `C-…` for a claim, and so on. */
  idOf(kind: PseudonymKind, id: string): string {
    const memoKey = `${kind}:${id}`;
    const known = this.forward.get(memoKey);
    if (known !== undefined) return known;
    // People keep the HMAC input they always had, so their pseudonyms do not change.
    const input = kind === 'partner' ? `person:${id}` : memoKey;
    const digest = createHmac('sha256', this.key).update(input).digest('base64url');
    const pseudonym = `${PSEUDONYM_PREFIXES[kind]}-${digest.slice(0, 12)}`;
    if (this.forward.size >= MEMO_LIMIT) {
      this.forward.clear();
      this.reverse.clear();
      this.catalogueVersion = null;
    }
    this.forward.set(memoKey, pseudonym);
    this.reverse.set(pseudonym, { kind, id });
    return pseudonym;
  }

  /** A stream name as evaluators see it: `partner-P-…`, `feedback-F-…`, `election-E-…`. */
  stream(streamId: string): string {
    const { category, id } = parseStream(streamId);
    const kind = STREAM_KINDS[category];
    return kind && id && !this.issued(kind, id) ? `${category}-${this.idOf(kind, id)}` : streamId;
  }

  /** Whether `value` is a pseudonym of this kind the ledger issued. */
  private issued(kind: PseudonymKind, value: string): boolean {
    return this.reverse.get(value)?.kind === kind;
  }

  /**
   * The id behind a pseudonym of this kind that the ledger issued, or
   * undefined (never a guess: raw ids are not pseudonyms, so they do not resolve).
   */
  resolve(kind: PseudonymKind, pseudonym: string): string | undefined {
    const hit = this.reverse.get(pseudonym);
    if (hit) return hit.kind === kind ? hit.id : undefined;
    if (!this.catalogue || !pseudonym.startsWith(`${PSEUDONYM_PREFIXES[kind]}-`)) return undefined;
    // Issued by another replica or before a restart: pseudonymise what the read models know,
    // once per version of them (a stream of unknown pseudonyms costs one scan per change).
    if (this.catalogue.version() === this.catalogueVersion) return undefined;
    this.index();
    const found = this.reverse.get(pseudonym);
    return found?.kind === kind ? found.id : undefined;
  }

  /** Every id and name the catalogue knows, pseudonymised; rebuilt when its version changes. */
  private index(): TextIndex | null {
    if (!this.catalogue) return null;
    const version = this.catalogue.version();
    if (this.textIndex?.version === version && this.catalogueVersion === version)
      return this.textIndex;
    const ids = new Map<string, string>();
    for (const [kind, id] of this.catalogue.ids()) {
      const pseudonym = this.idOf(kind, id);
      if (!ids.has(id)) ids.set(id, pseudonym);
    }
    const names = new Map<string, Array<[string, string]>>();
    for (const [partnerId, name] of this.catalogue.names?.() ?? []) {
      const first = new RegExp(TOKEN.source).exec(name)?.[0];
      if (!first) continue;
      const list = names.get(first) ?? [];
      list.push([name, this.of(partnerId)]);
      names.set(first, list);
    }
    for (const list of names.values()) list.sort((a, b) => b[0].length - a[0].length);
    this.catalogueVersion = version;
    this.textIndex = { version, ids, names };
    return this.textIndex;
  }

  /**
   * Free text for evaluators: every partner's name and every id of a
   * pseudonymised kind the read models know, quoted in it (as a whole token,
   * or a dash-separated part of one: `board-lp-01` quotes `lp-01`), becomes
   * its pseudonym. Without a catalogue the text is returned as is.
   */
  redact(text: string): string {
    const index = this.index();
    if (!index || text === '') return text;
    let out = '';
    let last = 0;
    const tokens = new RegExp(TOKEN.source, 'g');
    for (let match = tokens.exec(text); match; match = tokens.exec(text)) {
      const at = match.index;
      const name = index.names
        .get(match[0])
        ?.find(([n]) => text.startsWith(n, at) && !ID_CHAR.test(text[at + n.length] ?? ' '));
      if (name) {
        out += text.slice(last, at) + name[1];
        last = at + name[0].length;
        tokens.lastIndex = last;
        continue;
      }
      const replaced = this.redactToken(match[0], index.ids);
      if (replaced !== match[0]) {
        out += text.slice(last, at) + replaced;
        last = at + match[0].length;
      }
    }
    return last === 0 ? text : out + text.slice(last);
  }

  /** A token, or its dash-separated parts, replaced where they are known ids (longest first). */
  private redactToken(token: string, ids: ReadonlyMap<string, string>): string {
    const whole = ids.get(token);
    if (whole !== undefined) return whole;
    if (!token.includes('-')) return token;
    const parts = token.split('-');
    const out: string[] = [];
    for (let from = 0; from < parts.length;) {
      let to = parts.length;
      let found: string | undefined;
      for (; to > from; to--) {
        found = ids.get(parts.slice(from, to).join('-'));
        if (found !== undefined) break;
      }
      if (found !== undefined) {
        out.push(found);
        from = to;
      } else {
        out.push(parts[from]!);
        from++;
      }
    }
    return out.join('-');
  }

  /**
   * A copy of a response body fit for evaluators: person ids and the ids of
   * seats, claims, elections, meetings, decisions, feedback, responses and
   * workshops replaced by pseudonyms (in stream names too), names replaced
   * by the person's pseudonym, contact details and free-text notes removed.
   * Objects that describe a person (a `partnerId` with a `name`) lose the name too.
   * `replaced`, when given, collects every id replaced (id → pseudonym).
   */
  scrub(value: unknown, replaced?: Map<string, string>, options: ScrubOptions = {}): unknown {
    if (Array.isArray(value)) return value.map((item) => this.scrub(item, replaced, options));
    if (value === null || typeof value !== 'object') return value;
    const source = value as Record<string, unknown>;
    const personRecord = typeof source.partnerId === 'string' && 'name' in source;
    const pseudonym = (kind: PseudonymKind, id: string) => {
      if (this.issued(kind, id)) return id; // scrubbed already (a live event, say)
      const p = this.idOf(kind, id);
      replaced?.set(id, p);
      return p;
    };
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(source)) {
      if (DROPPED_FIELDS.has(key)) continue;
      const kind = ID_FIELDS[key];
      const listKind = ID_LIST_FIELDS[key];
      if (kind && typeof field === 'string') out[key] = pseudonym(kind, field);
      else if (listKind && Array.isArray(field)) {
        out[key] = field.map((item) =>
          typeof item === 'string'
            ? pseudonym(listKind, item)
            : this.scrub(item, replaced, options),
        );
      } else if (NAME_FIELDS.has(key) || (personRecord && key === 'name')) {
        out[key] =
          typeof source.partnerId === 'string'
            ? pseudonym('partner', source.partnerId)
            : 'redacted';
      } else if (STREAM_FIELDS.has(key) && typeof field === 'string') {
        const shown = this.stream(field);
        if (shown !== field) replaced?.set(field, shown);
        out[key] = shown;
      } else if (key === 'decisions' && typeof field === 'string') {
        // The influence export's `group/decision;…` cell.
        out[key] = field
          .split(';')
          .map((cell) => {
            const slash = cell.indexOf('/');
            return slash < 0
              ? cell
              : `${cell.slice(0, slash)}/${pseudonym('decision', cell.slice(slash + 1))}`;
          })
          .join(';');
      } else if (FREE_TEXT_FIELDS.has(key) && typeof field === 'string' && !options.echoes) {
        out[key] = this.redact(field);
      } else out[key] = this.scrub(field, replaced, options);
    }
    return out;
  }

  /**
   * An error message for evaluators: every id in `replaced` (those this
   * request named by pseudonym, or its details name) that appears as a whole
   * token becomes its pseudonym. Not `redact`: an error may echo what the
   * evaluator sent, and turning a guessed raw id into its pseudonym would
   * confirm the guess.
   */
  scrubText(text: string, replaced: ReadonlyMap<string, string>): string {
    let out = text;
    const ids = [...replaced.keys()]
      .filter((id) => id.length > 0)
      .sort((a, b) => b.length - a.length);
    for (const id of ids) {
      const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      out = out.replace(
        new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_-])`, 'g'),
        replaced.get(id)!,
      );
    }
    return out;
  }
}
