import { EXPORT_FILES } from '@app/projections';
import fc from 'fast-check';
import {
  operationsOf,
  resolver,
  type OpenApiDocument,
  type Operation,
  type Parameter,
  type Schema,
} from './openapi-operations.js';

/**
 * Hostile requests for every operation of an OpenAPI document, generated
 * from each operation's parameters and body schema: mostly valid requests
 * with one to three things made hostile (so the hostile value travels past
 * the first check), whole bodies that are not what they claim to be, path
 * tricks, bad headers and keys, and malformed HTTP no client library would
 * send. Request `i` of seed `s` is a pure function of (s, i, the document,
 * the world the setup created): a failure is reproduced by its seed and index.
 * One module for both the bounded test and `npm run fuzz`.
 */

export type Role = 'programme-office' | 'auditor' | 'evaluator';
export type Caller = Role | 'none' | 'wrong-key' | 'malformed-auth';

/** What the set-up created and what the generator draws valid values from. */
export interface FuzzWorld {
  keys: Record<Role, string>;
  programmes: string[];
  groups: string[];
  partners: string[];
  elections: string[];
  feedback: string[];
  claims: string[];
  seats: string[];
  /** The head of `$all` after the set-up: a `minPosition` above it would wait (503 by design). */
  head: number;
  /** A `recordedAt` of the set-up: a `knownAt` at which the ledger knew things. */
  knownAt: string;
}

export interface FuzzRequest {
  index: number;
  /** The document's operation (`POST /v1/groups/{id}/seats`), or `raw: …` for malformed HTTP. */
  operation: string;
  method: string;
  /** The request target exactly as sent (never normalised). */
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
  /** Bytes written to a socket as they are, for requests an HTTP client refuses to send. */
  raw?: Buffer;
  caller: Caller;
  /** What was made hostile: `body.occurredAt:date`, `header:if-match`, … */
  mutations: string[];
  /** The unique X-Correlation-Id sent, if a valid one was: events are attributed by it. */
  correlationId?: string;
  /** The answer is an endless stream (Server-Sent Events): read the head, then hang up. */
  stream: boolean;
}

/** mulberry32: small, fast, good enough to choose inputs, and identical on every platform. */
export class Prng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** The seed of request `index`: each request draws from its own stream. */
export function requestSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** JSON text written as is (1e309, -0, deep nesting): JSON.stringify cannot say these. */
export class RawJson {
  constructor(readonly text: string) {}
}

export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${toJsonText(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** encodeURIComponent, except that a lone surrogate is written as its (invalid) UTF-8 bytes. */
export function percentEncode(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    out +=
      code >= 0xd800 && code <= 0xdfff
        ? [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
            .map((byte) => `%${byte.toString(16).toUpperCase()}`)
            .join('')
        : encodeURIComponent(char);
  }
  return out;
}

// ---------------------------------------------------------------- hostile values

const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$';

/** Strings that break naive handling of text. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\t\n',
  '\u202Eevil\u202C', // right-to-left override
  '\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627', // Hebrew and Arabic
  'a\u0000b', // NUL
  '\u0000',
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  'x\uDC00y\uD800',
  '\u{1F469}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}', // family emoji (ZWJ sequence)
  '\u{1F4A9}'.repeat(300),
  'e' + '\u0301'.repeat(500), // combining marks
  'Z\u0351\u0360\u0334\u0337\u0308\u030A'.repeat(40),
  '\u200B\u200C\u200D\uFEFF', // zero-width and BOM
  '\uFFFE\uFFFF',
  '\uFF41\uFF42\uFF43', // fullwidth letters
  '\u0661\u0662\u0663', // Arabic-Indic digits
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '%2e%2e%2f',
  "'; DROP TABLE events; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'null',
  'undefined',
  'NaN',
  'true',
  '-',
  '_',
  'a\r\nInjected: header',
  'a'.repeat(100), // the longest valid id
  'a'.repeat(101), // one over
  'x'.repeat(2_001),
  'x'.repeat(100_000),
];

/** Dates that do not exist, or barely exist, or are not dates. */
export const HOSTILE_DATES: readonly string[] = [
  '2019-02-30',
  '2014-02-29',
  '2016-02-29', // valid: a leap day
  '2014-13-01',
  '2014-00-10',
  '2014-04-31',
  '0000-01-01',
  '0001-01-01',
  '-000001-01-01',
  '+002014-03-01',
  '275760-09-13',
  '+275760-09-13T00:00:00.000Z', // the last instant a Date can hold
  '+275760-09-13T00:00:00.001Z',
  '275761-01-01',
  '9999-12-31',
  '9999-12-31T23:59:59.999999999Z',
  '2999-01-01',
  '1900-01-01',
  '1969-12-31T23:59:59Z',
  '2014-03-01T24:00Z',
  '2014-03-01T25:00Z',
  '2014-03-01T10:60Z',
  '2014-03-01T10:00:60Z',
  '2014-03-01T10:00:00.0000000001Z',
  '2014-03-01T10:00+25:00',
  '2014-03-01T10:00+14:01',
  '2014-03-01T10:00-99:99',
  '2014-03-01T10:00:00 Europe/London',
  '2014-03-01T10:00:00[Europe/London]',
  '2014-03-01T10:00:00 GMT',
  '2014-03-01T10:00:00z',
  '2014-03-01 10:00',
  '2014-3-1',
  '20140301',
  '2014-W09-6',
  '2014-060',
  '\uFF12\uFF10\uFF11\uFF14-03-01', // fullwidth digits
  '2014-03-01\n',
  ' 2014-03-01',
  'now',
  'today',
  'Sat, 01 Mar 2014 10:00:00 GMT',
  '1393668000000',
];

/** Numbers as JSON text: what JSON.parse turns into Infinity, -0, lost precision. */
export const HOSTILE_NUMBERS: readonly string[] = [
  '0',
  '-0',
  '-1',
  '1.5',
  '1e309',
  '-1e309',
  '1e-400',
  '4.9e-324',
  '1e21',
  '9007199254740993',
  '12345678901234567890123456789',
  '-9223372036854775809',
  '2147483648',
  '1E3',
  '0.1e1',
];

/** The same, as they appear in a query string or a header. */
export const HOSTILE_NUMBER_STRINGS: readonly string[] = [
  ...HOSTILE_NUMBERS,
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '0b1',
  '1_000',
  '00',
  '+1',
  ' 1',
  '1 ',
  '999999999999999999', // the largest the position patterns accept
  '9223372036854775807', // int64's largest
  '18446744073709551616',
  '9'.repeat(40),
  '\u0661',
  '1n',
];

/** Path segments that try to leave their place. */
export const PATH_TRICKS: readonly string[] = [
  '..',
  '.',
  '%2e%2e',
  '%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
  '..%2f..%2f',
  '%252e%252e',
  '%00',
  'a%00b',
  '%2F',
  '%252F',
  'a%2Fb',
  'a/b',
  '%5C..%5C',
  '%',
  '%zz',
  '%C0%AE%C0%AE', // overlong UTF-8 for '..'
  '%ED%A0%80', // an encoded lone surrogate: invalid UTF-8
  '%FF%FE',
  '%F0%9F%92%A9',
  '%E2%80%AE',
  '%20',
  '+',
  '~',
  '*',
  ';',
  ';jsessionid=1',
  '%3F',
  '%23',
  'NaN',
  '-1',
  'CON',
  '__proto__',
  'constructor',
  'a'.repeat(101),
  'a'.repeat(300),
  'a'.repeat(5_000),
  'a'.repeat(20_000),
];

const CONTENT_TYPES: readonly (string | undefined)[] = [
  undefined,
  '',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=',
  'APPLICATION/JSON',
  'application/json, text/plain',
  'application/merge-patch+json',
  'application/x-ndjson',
  'application/xml',
  'application/octet-stream',
  'application/jsonx',
  'json',
  '*/*',
  ';;;',
];

const IDEMPOTENCY_KEYS: readonly string[] = [
  '',
  ' ',
  'a b',
  'k'.repeat(256),
  '\u00e9t\u00e9', // latin-1 bytes
  'tab\there',
  '"quoted"',
];

const IF_MATCH: readonly string[] = [
  '-2',
  '-1',
  'abc',
  '"',
  '""',
  '1,2',
  'W/',
  'W/"x"',
  '99999999999999999999',
  '999999999999999999',
  '1.0',
  '0x1',
  '*',
  ' 0 ',
  '',
];

const CORRELATION_IDS: readonly string[] = [
  '',
  'a b',
  'x'.repeat(129),
  '\u00e9',
  '<script>',
  '../..',
  'a/b',
];

const ACCEPTS: readonly string[] = [
  'application/json',
  'application/x-ndjson',
  'text/csv',
  'text/event-stream',
  '*/*',
  'text/html',
  'application/xml',
  'image/png;q=0.1, nothing/else',
  ';;;',
  'a'.repeat(2_000),
];

const EVENT_TYPES = [
  'SeatAllocated',
  'PartnerNominated',
  'GroupEstablished',
  'SeatAllocated,PartnerAppointed',
  'FeedbackHeard',
] as const;

const EXPORT_NAMES = EXPORT_FILES;

/** Query values the document types only as `string`: what the names ask for. */
const NAMED_VALUES: Record<string, readonly string[]> = {
  category: ['programme', 'partner', 'group', 'election', 'feedback'],
  interval: ['month'],
  by: ['campaign', 'organisationKind', 'organisation'],
  kind: ['lay', 'professional'],
  status: ['nominated', 'appointed', 'withdrawn', 'open', 'responded', 'reported-back'],
  channel: ['forum', 'advisory-group', 'working-group', 'survey', 'individual'],
};

// ---------------------------------------------------------------- valid values

type Pool = keyof Pick<
  FuzzWorld,
  'programmes' | 'groups' | 'partners' | 'elections' | 'feedback' | 'claims' | 'seats'
>;

/** Which set-up ids a field or parameter name refers to. */
function poolOf(name: string): Pool | undefined {
  if (/^(partnerId|voterId|candidateId|raisedBy|electorate)$/.test(name)) return 'partners';
  if (/^(groupId|parentGroupId|decisionGroupId)$/.test(name)) return 'groups';
  if (name === 'programmeId') return 'programmes';
  if (name === 'electionId') return 'elections';
  if (name === 'feedbackId') return 'feedback';
  if (name === 'claimId') return 'claims';
  if (name === 'seatId') return 'seats';
  return undefined;
}

/** A path parameter's pool: `{id}` takes the collection named before it. */
function pathPool(path: string, name: string): Pool | undefined {
  if (name !== 'id') return poolOf(name);
  const collection = /\/v1\/([a-z-]+)\/\{id\}/.exec(path)?.[1];
  const pools: Record<string, Pool> = {
    programmes: 'programmes',
    partners: 'partners',
    groups: 'groups',
    elections: 'elections',
    feedback: 'feedback',
  };
  return collection ? pools[collection] : undefined;
}

function freshId(rng: Prng): string {
  return `fz${rng.int(36 ** 6).toString(36)}`;
}

function idFor(name: string, world: FuzzWorld, rng: Prng, pool = poolOf(name)): string {
  const known = pool ? world[pool] : [];
  return known.length > 0 && rng.chance(0.6) ? rng.pick(known) : freshId(rng);
}

/** A business date in the programme's years, mostly a day, sometimes an instant. */
function validDate(rng: Prng): string {
  const day = new Date(Date.UTC(2013, 9, 1) + rng.int(820) * 86_400_000);
  const date = day.toISOString().slice(0, 10);
  return rng.pick([date, date, date, `${date}T10:30:00Z`, `${date}T09:15+01:00`]);
}

function isInstant(schema: Schema): boolean {
  return schema.pattern?.startsWith('^\\d{4}-\\d{2}-\\d{2}') === true;
}

function isPosition(schema: Schema): boolean {
  return schema.pattern === '^\\d{1,18}$' || schema.pattern === '^(0|[1-9][0-9]{0,17})$';
}

interface Context {
  world: FuzzWorld;
  rng: Prng;
  resolve: (schema: Schema) => Schema;
}

function validValue(schema: Schema, name: string, ctx: Context, depth = 0): unknown {
  const s = ctx.resolve(schema);
  const { rng } = ctx;
  if (s.enum && s.enum.length > 0) return rng.pick(s.enum);
  if (s.type === 'integer' || s.type === 'number') {
    const min = s.minimum ?? 0;
    const max = Math.min(s.maximum ?? 1_000, min + 1_000);
    return min + rng.int(max - min + 1);
  }
  if (s.type === 'boolean') return rng.chance(0.5);
  if (s.type === 'array' || s.items) {
    const min = s.minItems ?? 0;
    const count = min + rng.int(Math.max(1, Math.min(s.maxItems ?? 3, 3) - min + 1));
    return Array.from({ length: count }, () => validValue(s.items ?? {}, name, ctx, depth + 1));
  }
  if (s.type === 'object' || s.properties) {
    if (depth > 4) return {};
    const required = new Set(s.required ?? []);
    return Object.fromEntries(
      Object.entries(s.properties ?? {})
        .filter(([key]) => required.has(key) || rng.chance(0.5))
        .map(([key, child]) => [key, validValue(child, key, ctx, depth + 1)]),
    );
  }
  return validString(s, name, ctx);
}

function validString(s: Schema, name: string, ctx: Context): string {
  const { rng, world } = ctx;
  if (s.pattern === ID_PATTERN) return idFor(name, world, rng);
  if (isInstant(s)) return validDate(rng);
  if (isPosition(s)) return String(rng.int(world.head + 1));
  if (s.pattern === '^[0-9a-f]{64}$') {
    return Array.from({ length: 64 }, () => rng.int(16).toString(16)).join('');
  }
  if (s.pattern?.startsWith('^(programme|partner|group|election|feedback)-')) {
    return rng.pick([
      `group-${idFor('groupId', world, rng)}`,
      `partner-${idFor('partnerId', world, rng)}`,
    ]);
  }
  if (s.pattern?.startsWith('^[A-Z]')) return rng.pick(EVENT_TYPES);
  if (s.format === 'email') return `${freshId(rng)}@example.org`;
  if (s.pattern?.includes('[0-9 ()-]')) return '+44 20 7946 0018';
  if (s.format === 'uuid') return '6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d';
  if (s.format === 'date-time') return world.knownAt;
  const text = rng.pick(['Fuzz text', 'Ealing', 'A decision about discharge', 'x']);
  return text.slice(0, s.maxLength ?? text.length).padEnd(s.minLength ?? 0, 'x');
}

/** A query parameter's valid value: typed by schema where the document says, by name where not. */
function validQueryValue(param: Parameter, op: Operation, ctx: Context): string {
  const { rng, world } = ctx;
  const { name, schema } = param;
  if (name === 'knownAt') return rng.chance(0.5) ? world.knownAt : validDate(rng);
  if (schema.enum) return String(rng.pick(schema.enum));
  if (
    isInstant(schema) ||
    /^(asOf|since|from|to|occurred(From|To)|recorded(From|To))$/.test(name)
  ) {
    return validDate(rng);
  }
  if (name === 'until') {
    return op.path.includes('replay') && rng.chance(0.6)
      ? String(1 + rng.int(world.head))
      : validDate(rng);
  }
  if (isPosition(schema) || /^(minPosition|after|fromPosition|position)$/.test(name)) {
    return String(rng.int(world.head + 1));
  }
  if (name === 'limit' || schema.type === 'integer') {
    return String((schema.minimum ?? 1) + rng.int(Math.min(schema.maximum ?? 100, 100)));
  }
  if (name === 'digest') return validString({ pattern: '^[0-9a-f]{64}$' }, name, ctx);
  if (name === 'type') return rng.pick(EVENT_TYPES);
  if (name === 'stream') {
    return validString({ pattern: '^(programme|partner|group|election|feedback)-x' }, name, ctx);
  }
  const named = NAMED_VALUES[name];
  if (named) return rng.pick(named);
  if (poolOf(name)) return idFor(name, world, rng);
  return String(validValue(schema, name, ctx));
}

// ---------------------------------------------------------------- hostile values by kind

function deepNesting(rng: Prng): RawJson {
  const depth = rng.pick([31, 32, 33, 40, 64, 512, 2_000, 20_000]);
  return rng.chance(0.5)
    ? new RawJson('['.repeat(depth) + ']'.repeat(depth))
    : new RawJson('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
}

function arbitrary<T>(arb: fc.Arbitrary<T>, rng: Prng): T {
  return fc.sample(arb, { seed: rng.int(0x7fffffff), numRuns: 1 })[0]!;
}

/** A hostile value for a body field, and a label saying what kind. */
function hostileValue(schema: Schema, name: string, ctx: Context): [unknown, string] {
  const s = ctx.resolve(schema);
  const { rng } = ctx;
  const kind = rng.pick([
    'type',
    'type',
    'string',
    'string',
    'date',
    'number',
    'huge',
    'deep',
    'unicode',
    'arbitrary',
  ] as const);
  switch (kind) {
    case 'type':
      return [
        rng.pick<unknown>([
          null,
          true,
          false,
          0,
          -1,
          1.5,
          '',
          [],
          {},
          [validValue(s, name, ctx)],
          { value: validValue(s, name, ctx) },
          s.type === 'string' ? 123 : 'a string',
          new RawJson('-0'),
        ]),
        'type',
      ];
    case 'string':
      return [rng.pick(HOSTILE_STRINGS), 'string'];
    case 'date':
      return [rng.pick(HOSTILE_DATES), 'date'];
    case 'number':
      return [
        rng.chance(0.7) ? new RawJson(rng.pick(HOSTILE_NUMBERS)) : rng.pick(HOSTILE_NUMBER_STRINGS),
        'number',
      ];
    case 'huge':
      return rng.chance(0.5)
        ? [rng.pick(['x', '\u{1F4A9}', 'e\u0301']).repeat(rng.pick([201, 2_001, 150_000])), 'huge']
        : [
            Array.from({ length: rng.pick([1_001, 20_000, 100_000]) }, () =>
              validValue(s.items ?? { type: 'string', pattern: ID_PATTERN }, name, ctx),
            ),
            'huge-array',
          ];
    case 'deep':
      return [deepNesting(rng), 'deep'];
    case 'unicode': {
      const valid = String(validValue(s, name, ctx));
      const odd = rng.pick(HOSTILE_STRINGS.filter((x) => x.length < 50));
      return [rng.chance(0.5) ? valid + odd : odd + valid, 'unicode'];
    }
    case 'arbitrary':
      return [arbitrary(fc.jsonValue({ maxDepth: 3 }), rng), 'arbitrary'];
  }
}

/** Bodies that are not the JSON object they claim to be. */
function hostileBody(rng: Prng, valid: unknown): [Buffer, string] {
  const text = (value: string): Buffer => Buffer.from(value, 'utf8');
  const validText = toJsonText(valid);
  const choices: Array<() => [Buffer, string]> = [
    () => [text(''), 'empty'],
    () => [text('{'), 'truncated'],
    () => [text(validText.slice(0, Math.max(1, validText.length - 3))), 'truncated'],
    () => [text('{"a":1,}'), 'trailing-comma'],
    () => [text("{'occurredAt':'2014-01-01'}"), 'single-quotes'],
    () => [text('NaN'), 'nan'],
    () => [text('\uFEFF' + validText), 'bom'],
    () => [text(validText + validText), 'two-documents'],
    () => [text(rng.pick(['null', 'true', '0', '"text"', '[]', '[{}]', '1e309'])), 'not-object'],
    () => [text('{"__proto__":{"polluted":true},"occurredAt":"2014-01-01"}'), 'proto'],
    () => [text('{"constructor":{"prototype":{"polluted":true}}}'), 'constructor'],
    () => [
      text(validText.replace(/^\{/, '{"occurredAt":"2999-01-01",')), // a duplicated key
      'duplicate-key',
    ],
    () => [text(toJsonText(deepNesting(rng))), 'deep'],
    () => [
      text(
        `{${Array.from({ length: rng.pick([200, 5_000]) }, (_, i) => `"k${i}":${i}`).join(',')}}`,
      ),
      'many-keys',
    ],
    () => [text(`{"a":"${'x'.repeat(1_100_000)}"}`), 'over-limit'],
    () => [Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 'bad-utf8'],
    () => [
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
      'utf8-surrogate',
    ],
    () => [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(validText, 'utf16le')]), 'utf16'],
    () => [text(JSON.stringify(arbitrary(fc.jsonValue({ maxDepth: 4 }), rng))), 'arbitrary'],
    () => [text(arbitrary(fc.string({ unit: 'binary', maxLength: 200 }), rng)), 'arbitrary-text'],
  ];
  return rng.pick(choices)();
}

// ---------------------------------------------------------------- raw HTTP

function rawRequest(rng: Prng, world: FuzzWorld, correlationId: string): [Buffer, string] {
  const auth = `Authorization: Bearer ${world.keys['programme-office']}`;
  const head = (lines: string[]) =>
    `${lines.join('\r\n')}\r\nHost: localhost\r\nX-Correlation-Id: ${correlationId}\r\nConnection: close\r\n\r\n`;
  const body = '{"name":"Raw","boroughs":[],"occurredAt":"2014-01-01"}';
  const cases: Array<() => [string | Buffer, string]> = [
    () => [head(['GET /v1/governance HTTP/1.1', auth, 'X-Nul: a\u0000b']), 'nul-in-header'],
    () => [
      `GET /v1/governance HTTP/1.1\nHost: localhost\n${auth}\nConnection: close\n\n`,
      'bare-lf',
    ],
    () => [head(['GET /v1/governance HTTP/1.1', auth, 'no colon here']), 'header-without-colon'],
    () => [head(['GET /v1/governance HTTP/1.1', auth, 'Bad Name: x']), 'space-in-header-name'],
    () => [head(['GET /v1/governance HTTP/1.1', auth, 'X-Folded: a', ' continued']), 'obs-fold'],
    () => [head(['GET /v1/governance HTTP/9.9', auth]), 'http-9.9'],
    () => [head(['GET /v1/governance', auth]), 'no-version'],
    () => [head(['GET  /v1/governance  HTTP/1.1', auth]), 'extra-spaces'],
    () => [head(['get /v1/governance HTTP/1.1', auth]), 'lowercase-method'],
    () => [head(['BREW /v1/governance HTTP/1.1', auth]), 'unknown-method'],
    () => [head(['OPTIONS * HTTP/1.1', auth]), 'asterisk'],
    () => [head(['GET http://evil.example/v1/me HTTP/1.1', auth]), 'absolute-form'],
    () => [
      head([`GET /v1/groups/${'a'.repeat(rng.pick([9_000, 70_000]))} HTTP/1.1`, auth]),
      'long-url',
    ],
    () => [
      head(['GET /v1/me HTTP/1.1', auth, `X-Big: ${'b'.repeat(rng.pick([17_000, 70_000]))}`]),
      'big-header',
    ],
    () => [
      head([
        'GET /v1/me HTTP/1.1',
        auth,
        ...Array.from({ length: 2_500 }, (_, i) => `X-H${i}: ${i}`),
      ]),
      'many-headers',
    ],
    () => [
      Buffer.concat([
        Buffer.from('GET /v1/groups/'),
        Buffer.from([0xff, 0xc3, 0x28]),
        Buffer.from(` HTTP/1.1\r\nHost: x\r\n${auth}\r\nConnection: close\r\n\r\n`),
      ]),
      'raw-bytes-in-path',
    ],
    () => [
      head([
        'POST /v1/programmes HTTP/1.1',
        auth,
        'Content-Type: application/json',
        `Content-Length: ${body.length}`,
        'Transfer-Encoding: chunked',
      ]) + body,
      'cl-and-te',
    ],
    () => [
      head([
        'POST /v1/programmes HTTP/1.1',
        auth,
        'Content-Type: application/json',
        'Transfer-Encoding: chunked',
      ]) + 'zz\r\n{}\r\n0\r\n\r\n',
      'bad-chunk',
    ],
    () => [
      head([
        'POST /v1/programmes HTTP/1.1',
        auth,
        'Content-Type: application/json',
        `Content-Length: ${rng.pick(['abc', '-1', '1e3', '0x10'])}`,
      ]) + body,
      'bad-content-length',
    ],
    () => [
      head([
        'POST /v1/programmes HTTP/1.1',
        auth,
        'Content-Type: application/json',
        `Content-Length: ${body.length}`,
        'Content-Length: 2',
      ]) + body,
      'two-content-lengths',
    ],
    () => [
      head([
        'POST /v1/programmes HTTP/1.1',
        auth,
        'Content-Type: application/json',
        'Content-Length: 10',
      ]) + body,
      'short-content-length',
    ],
    () => [
      head(['GET /v1/governance HTTP/1.0', auth]).replace('Host: localhost\r\n', ''),
      'http-1.0',
    ],
    () => [
      head(['GET /v1/governance HTTP/1.1', auth, auth.replace('Bearer ', 'Bearer x')]),
      'two-authorizations',
    ],
  ];
  const [request, label] = rng.pick(cases)();
  return [typeof request === 'string' ? Buffer.from(request, 'latin1') : request, label];
}

// ---------------------------------------------------------------- requests

const MUTATIONS = [
  'field',
  'field',
  'field',
  'drop-required',
  'extra-field',
  'body',
  'body',
  'path',
  'path',
  'path-shape',
  'query-value',
  'query-value',
  'query-shape',
  'content-type',
  'idempotency-key',
  'if-match',
  'correlation-id',
  'auth',
  'auth',
  'accept',
  'method',
] as const;
type Mutation = (typeof MUTATIONS)[number];

export interface Generator {
  operations: Operation[];
  request(index: number): FuzzRequest;
}

/**
 * The generator for one document, seed and world; `undocumented` adds routes
 * the document leaves out on purpose (metrics, the page, the document itself).
 */
export function hostileRequests(
  doc: OpenApiDocument,
  seed: number,
  world: FuzzWorld,
  undocumented: Operation[] = [],
): Generator {
  const operations = [...operationsOf(doc), ...undocumented];
  const resolve = resolver(doc);
  return {
    operations,
    request: (index) => {
      const rng = new Prng(requestSeed(seed, index));
      const correlationId = `fz-${seed}-${index}`;
      // Every operation in turn, so a run of at least as many requests as operations covers all of them.
      const op = operations[index % operations.length]!;
      if (rng.chance(0.04)) {
        const [raw, label] = rawRequest(rng, world, correlationId);
        return {
          index,
          operation: `raw: ${label}`,
          method: 'RAW',
          path: '',
          headers: {},
          raw,
          caller: 'programme-office',
          mutations: [`raw:${label}`],
          correlationId,
          stream: false,
        };
      }
      return requestFor(op, { rng, world, resolve }, index, correlationId);
    },
  };
}

function callerFor(op: Operation, rng: Prng): Caller {
  if (!op.secured) return rng.pick(['none', 'none', 'auditor', 'wrong-key'] as const);
  return op.method === 'GET'
    ? rng.pick(['programme-office', 'auditor', 'evaluator'] as const)
    : 'programme-office';
}

function requestFor(
  op: Operation,
  ctx: Context,
  index: number,
  correlationId: string,
): FuzzRequest {
  const { rng, world } = ctx;
  const count = rng.chance(0.25) ? 0 : 1 + rng.int(3);
  const mutations = new Set<Mutation>(Array.from({ length: count }, () => rng.pick(MUTATIONS)));
  const labels: string[] = [];
  let caller = callerFor(op, rng);
  let method: string = op.method;
  let stream = op.path.endsWith('/events/live');

  // Path parameters.
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const hostilePath =
    mutations.has('path') && pathParams.length > 0 ? rng.pick(pathParams) : undefined;
  let path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (hostilePath?.name === name) {
      const trick = rng.chance(0.8)
        ? rng.pick(PATH_TRICKS)
        : percentEncode(rng.pick(HOSTILE_STRINGS)).slice(0, 30_000);
      labels.push(`path.${name}`);
      return trick;
    }
    if (name === 'name' && op.path.includes('/exports/')) return rng.pick(EXPORT_NAMES);
    return encodeURIComponent(idFor(name, world, rng, pathPool(op.path, name)));
  });
  if (mutations.has('path-shape')) {
    const shape = rng.pick([
      'trailing-slash',
      'double-slash',
      'dot-dot',
      'encoded-dot-dot',
      'case',
      'suffix',
      'fragment',
    ] as const);
    labels.push(`path:${shape}`);
    path = {
      'trailing-slash': `${path}/`,
      'double-slash': path.replace('/v1/', '//v1//'),
      'dot-dot': `${path}/../..${path}`,
      'encoded-dot-dot': `${path}/%2e%2e/%2E%2E/x`,
      case: path.toUpperCase(),
      suffix: `${path}/x`,
      fragment: `${path}#frag`,
    }[shape];
  }

  // Query.
  const query: Array<[string, string]> = [];
  for (const param of op.parameters.filter((p) => p.in === 'query')) {
    if (param.name === 'minPosition' && !param.required && rng.chance(0.6)) continue;
    if (param.required || rng.chance(0.4))
      query.push([param.name, validQueryValue(param, op, ctx)]);
  }
  if (mutations.has('query-value')) {
    const params = op.parameters.filter((p) => p.in === 'query');
    const param = params.length > 0 ? rng.pick(params) : undefined;
    const name = param?.name ?? rng.pick(['asOf', 'limit', 'after']);
    const value = rng.pick([
      ...HOSTILE_DATES,
      ...HOSTILE_NUMBER_STRINGS,
      ...HOSTILE_STRINGS.filter((x) => x.length < 3_000),
    ]);
    // A valid position above the head would make the route wait its full time and answer 503 by design.
    const safe = /^(minPosition)$/.test(name) && /^\s*\+?\d+\s*$/.test(value) ? `${value}x` : value;
    const at = query.findIndex(([key]) => key === name);
    if (at >= 0) query[at] = [name, safe];
    else query.push([name, safe]);
    labels.push(`query.${name}`);
  }
  let rawQuery: string | undefined;
  if (mutations.has('query-shape')) {
    const shape = rng.pick([
      'unknown',
      'repeated',
      'bracket',
      'empty-name',
      'no-value',
      'many',
      'proto',
      'raw-percent',
      'long',
    ] as const);
    labels.push(`query:${shape}`);
    const first = query[0]?.[0] ?? 'asOf';
    switch (shape) {
      case 'unknown':
        query.push([rng.pick(['foo', 'asof', 'ASOF', 'as_of', 'minposition', 'limit ']), '1']);
        break;
      case 'repeated':
        query.push([first, query[0]?.[1] ?? '2014-01-01'], [first, '2014-02-01']);
        break;
      case 'bracket':
        query.push([`${first}[]`, '1'], [`${first}[a][b]`, '2']);
        break;
      case 'empty-name':
        query.push(['', 'x']);
        break;
      case 'no-value':
        rawQuery = `${first}&&=&`;
        break;
      case 'many':
        for (let i = 0; i < 300; i++) query.push([`p${i}`, String(i)]);
        break;
      case 'proto':
        query.push(['__proto__', 'x'], ['constructor[prototype][x]', '1']);
        break;
      case 'raw-percent':
        rawQuery = `${first}=%&${first}=%zz&x=%00`;
        break;
      case 'long':
        query.push([first, 'q'.repeat(rng.pick([4_000, 12_000]))]);
        break;
    }
  }
  const search = [
    ...query.map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`),
    ...(rawQuery ? [rawQuery] : []),
  ].join('&');
  if (search) path += `${path.includes('?') ? '&' : '?'}${search}`;

  // Headers.
  const headers: Record<string, string | string[]> = {};
  for (const param of op.parameters.filter((p) => p.in === 'header')) {
    const name = param.name.toLowerCase();
    if (name === 'idempotency-key' && rng.chance(0.3)) {
      // A few shared keys: replays of the same request, and other requests under a used key.
      headers[name] = rng.chance(0.5) ? `fz-${index}` : `fz-shared-${rng.int(6)}`;
    } else if (name === 'if-match' && rng.chance(0.2)) {
      headers[name] = String(rng.int(4));
    } else if (name === 'last-event-id' && (param.required || rng.chance(0.5))) {
      headers[name] = String(rng.int(world.head + 1));
    }
  }
  if (mutations.has('idempotency-key')) {
    headers['idempotency-key'] = rng.chance(0.15)
      ? ['fz-dup-a', 'fz-dup-b']
      : rng.pick(IDEMPOTENCY_KEYS);
    labels.push('header:idempotency-key');
  }
  if (mutations.has('if-match')) {
    headers['if-match'] = rng.pick(IF_MATCH);
    labels.push('header:if-match');
  }
  if (stream && rng.chance(0.2)) {
    headers['last-event-id'] = rng.pick([
      ...HOSTILE_NUMBER_STRINGS,
      ...HOSTILE_STRINGS.filter((x) => x.length < 200),
    ]);
    labels.push('header:last-event-id');
  }
  let sentCorrelation: string | undefined = correlationId;
  if (mutations.has('correlation-id')) {
    sentCorrelation = undefined;
    headers['x-correlation-id'] = rng.pick(CORRELATION_IDS);
    labels.push('header:x-correlation-id');
  } else {
    headers['x-correlation-id'] = correlationId;
  }
  if (mutations.has('accept')) {
    headers.accept = rng.pick(ACCEPTS);
    labels.push('header:accept');
    if (headers.accept === 'text/event-stream') stream = true;
  }
  if (mutations.has('auth')) {
    caller = rng.pick([
      'none',
      'wrong-key',
      'malformed-auth',
      'auditor',
      'evaluator',
      'programme-office',
    ] as const);
    labels.push(`auth:${caller}`);
  }
  switch (caller) {
    case 'none':
      break;
    case 'wrong-key':
      headers.authorization = `Bearer ${rng.pick(['wrong', world.keys['programme-office'] + 'x', world.keys.auditor.slice(0, -1), 'test-key-evaluator-000000000'])}`;
      break;
    case 'malformed-auth':
      headers.authorization = rng.pick([
        'Bearer',
        'Bearer ',
        `bearer ${world.keys['programme-office']}`,
        `Bearer  ${world.keys['programme-office']}`,
        `Bearer ${world.keys['programme-office']} extra`,
        'Basic dXNlcjpwYXNz',
        `Bearer ${'k'.repeat(rng.pick([1_000, 12_000]))}`,
        `Bearer \u00e9\u00e8`,
        [
          `Bearer ${world.keys['programme-office']}`,
          `Bearer ${world.keys.evaluator}`,
        ] as unknown as string,
      ]);
      break;
    default:
      headers.authorization = `Bearer ${world.keys[caller]}`;
  }
  if (mutations.has('method')) {
    method = rng.pick([
      'PUT',
      'PATCH',
      'DELETE',
      'HEAD',
      'OPTIONS',
      op.method === 'GET' ? 'POST' : 'GET',
    ]);
    labels.push(`method:${method}`);
    if (method === 'HEAD') stream = false;
  }

  // Body.
  let body: Buffer | undefined;
  if (op.body) {
    const valid = validValue(op.body, '', ctx) as Record<string, unknown>;
    const schema = ctx.resolve(op.body);
    const properties = Object.entries(schema.properties ?? {});
    if (mutations.has('field') && properties.length > 0) {
      for (let n = 1 + rng.int(2); n > 0; n--) {
        const [key, child] = rng.pick(properties);
        const nested = ctx.resolve(child);
        if (nested.properties && rng.chance(0.5)) {
          const [inner, innerSchema] = rng.pick(Object.entries(nested.properties));
          const [value, kind] = hostileValue(innerSchema, inner, ctx);
          valid[key] = { ...(validValue(nested, key, ctx) as object), [inner]: value };
          labels.push(`body.${key}.${inner}:${kind}`);
        } else {
          const [value, kind] = hostileValue(child, key, ctx);
          valid[key] = value;
          labels.push(`body.${key}:${kind}`);
        }
      }
    }
    if (mutations.has('drop-required') && (schema.required?.length ?? 0) > 0) {
      const key = rng.pick(schema.required!);
      delete valid[key];
      labels.push(`body-missing.${key}`);
    }
    if (mutations.has('extra-field')) {
      const key = rng.pick([
        'extra',
        '__proto__',
        'constructor',
        'id',
        'position',
        'revision',
        'OccurredAt',
        '',
      ]);
      Object.defineProperty(valid, key, {
        value: rng.pick<unknown>([1, 'x', {}, { polluted: true }]),
        enumerable: true,
        configurable: true,
        writable: true,
      });
      labels.push(`body-extra.${key}`);
    }
    body = Buffer.from(toJsonText(valid), 'utf8');
    if (mutations.has('body')) {
      const [hostile, kind] = hostileBody(rng, valid);
      body = hostile;
      labels.push(`body:${kind}`);
    }
  } else if (mutations.has('body')) {
    const [hostile, kind] = hostileBody(rng, {});
    body = hostile;
    labels.push(`body-on-${op.method}:${kind}`);
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (mutations.has('content-type')) {
    const type = rng.pick(CONTENT_TYPES);
    if (type === undefined) delete headers['content-type'];
    else headers['content-type'] = type;
    labels.push(`content-type:${type ?? 'none'}`);
  }
  if (method === 'HEAD' || method === 'GET' || method === 'OPTIONS') {
    if (!mutations.has('body')) body = undefined;
  }

  return {
    index,
    operation: op.key,
    method,
    path,
    headers,
    body,
    caller,
    mutations: labels,
    correlationId: sentCorrelation,
    stream: stream && method === 'GET',
  };
}
