import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import {
  hostileRequests,
  type FuzzRequest,
  type FuzzWorld,
  type Role,
} from './hostile-requests.js';
import type { OpenApiDocument, Operation } from './openapi-operations.js';

/**
 * Drives hostile requests at a running ledger over real HTTP, in batches,
 * and checks after every batch:
 * - no answer is a 5xx (there is no documented 503 a fuzzed request can reach:
 *   `minPosition` stays at or below the head, so reads never wait out their time);
 * - every error answer is `{code, message, details}` with `code` a string;
 * - no event was appended by a refused request: every event appended since the
 *   last check carries the X-Correlation-Id of a request answered 2xx (sagas
 *   carry their cause's), or sits at a position a 2xx command answered.
 * Batches never overlap a check, so an event and its request's answer are
 * always seen together.
 */

export interface FuzzOptions {
  baseUrl: string;
  keys: Record<Role, string>;
  seed: number;
  requests: number;
  /** The index of the first request (default 0): `--first 950 --requests 1` replays request 950 alone. */
  first?: number;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** Requests between two event checks (default 250). */
  batch?: number;
  /** A request not answered by then is a failure (default 30 s). */
  timeoutMs?: number;
  onBatch?: (done: number, report: FuzzReport) => void;
}

export interface Failure {
  index: number;
  operation: string;
  method: string;
  path: string;
  caller: string;
  mutations: string[];
  status: number | string;
  problem: string;
  body: string;
}

export interface FuzzReport {
  seed: number;
  requests: number;
  operations: number;
  operationsCovered: number;
  byStatusClass: Record<string, number>;
  byStatus: Record<string, number>;
  /** Status classes per operation: which ones the valid requests got through. */
  byOperation: Record<string, Record<string, number>>;
  serverErrors: number;
  badErrorBodies: number;
  timeouts: number;
  eventsAppended: number;
  eventsFromRefusals: number;
  acceptedCommands: number;
  durationMs: number;
  requestsPerSecond: number;
  failures: Failure[];
}

interface Answer {
  /** `unreadable`: what came back is not valid HTTP for this request (a body after a HEAD, say). */
  status: number | 'timeout' | 'no-answer' | 'unreadable';
  contentType: string;
  body: Buffer;
}

const KEEP_FAILURES = 50;

/** Routes the OpenAPI document leaves out on purpose (operations, the page, the document): fuzzed too. */
const UNDOCUMENTED: Operation[] = [
  ['/metrics', true],
  ['/docs-json', false],
  ['/docs', false],
  ['/', false],
  ['/assets/app.js', false],
].map(([path, secured]) => ({
  key: `GET ${String(path)}`,
  method: 'GET',
  path: String(path),
  parameters: [],
  secured: secured === true,
}));

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const base = new URL(options.baseUrl);
  const target = { host: base.hostname, port: Number(base.port) };
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency ?? 8 });
  const doc = (await json(options.baseUrl, '/docs-json')) as OpenApiDocument;
  const world = await setUpWorld(options.baseUrl, options.keys);
  const generator = hostileRequests(doc, options.seed, world, UNDOCUMENTED);
  const events = new EventLedger(options.baseUrl, options.keys.auditor);
  await events.scan(); // the set-up's events
  events.reset();

  const report: FuzzReport = {
    seed: options.seed,
    requests: 0,
    operations: generator.operations.length,
    operationsCovered: 0,
    byStatusClass: {},
    byStatus: {},
    byOperation: {},
    serverErrors: 0,
    badErrorBodies: 0,
    timeouts: 0,
    eventsAppended: 0,
    eventsFromRefusals: 0,
    acceptedCommands: 0,
    durationMs: 0,
    requestsPerSecond: 0,
    failures: [],
  };
  const covered = new Set<string>();
  const started = Date.now();
  const batch = options.batch ?? 250;
  const concurrency = options.concurrency ?? 8;
  // This batch's requests by the X-Correlation-Id they sent (valid or not), to name a leak's request.
  const sent = new Map<string, { request: FuzzRequest; status: Answer['status'] }>();

  const first = options.first ?? 0;
  const last = first + options.requests;
  for (let from = first; from < last; from += batch) {
    const to = Math.min(last, from + batch);
    let next = from;
    const worker = async () => {
      while (next < to) {
        const request = generator.request(next++);
        const answer = await send(target, agent, request, options.timeoutMs ?? 30_000);
        record(report, request, answer, events, covered);
        const correlation = request.headers['x-correlation-id'];
        if (typeof correlation === 'string')
          sent.set(correlation, { request, status: answer.status });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const leaks = await events.scan();
    for (const leak of leaks) {
      const cause = leak.correlationId === undefined ? undefined : sent.get(leak.correlationId);
      fail(report, {
        index: cause?.request.index ?? -1,
        operation: cause?.request.operation ?? '?',
        method: cause?.request.method ?? '?',
        path: (cause?.request.path ?? '').slice(0, 300),
        caller: cause?.request.caller ?? '?',
        mutations: cause?.request.mutations ?? [],
        status: cause?.status ?? '?',
        problem: `event ${leak.type} at position ${leak.position} appended by a refused request (correlationId ${leak.correlationId ?? 'none'})`,
        body: '',
      });
    }
    report.eventsFromRefusals += leaks.length;
    sent.clear();
    report.operationsCovered = covered.size;
    report.durationMs = Date.now() - started;
    report.requestsPerSecond = Math.round((report.requests / report.durationMs) * 1_000);
    report.eventsAppended = events.appended;
    options.onBatch?.(to - first, report);
  }
  agent.destroy();
  report.durationMs = Date.now() - started;
  report.requestsPerSecond = Math.round((report.requests / Math.max(1, report.durationMs)) * 1_000);
  report.eventsAppended = events.appended;
  return report;
}

function fail(report: FuzzReport, failure: Failure): void {
  if (report.failures.length < KEEP_FAILURES) report.failures.push(failure);
}

function record(
  report: FuzzReport,
  request: FuzzRequest,
  answer: Answer,
  events: EventLedger,
  covered: Set<string>,
): void {
  report.requests++;
  const status = answer.status;
  const statusClass = typeof status === 'number' ? `${Math.floor(status / 100)}xx` : status;
  report.byStatusClass[statusClass] = (report.byStatusClass[statusClass] ?? 0) + 1;
  report.byStatus[String(status)] = (report.byStatus[String(status)] ?? 0) + 1;
  if (!request.raw) {
    covered.add(request.operation);
    const counts = (report.byOperation[request.operation] ??= {});
    counts[statusClass] = (counts[statusClass] ?? 0) + 1;
  }
  if (request.correlationId) events.answered(request.correlationId, status);
  const problem = problemWith(request, answer);
  if (typeof status === 'number' && status >= 200 && status < 300 && request.method === 'POST') {
    report.acceptedCommands++;
    const position = positionOf(answer.body);
    if (position !== undefined) events.acceptPosition(position);
  }
  if (!problem) return;
  if (typeof status === 'number' && status >= 500) report.serverErrors++;
  else if (status === 'timeout') report.timeouts++;
  else report.badErrorBodies++;
  fail(report, {
    index: request.index,
    operation: request.operation,
    method: request.method,
    path: request.path.slice(0, 300),
    caller: request.caller,
    mutations: request.mutations,
    status,
    problem,
    body: answer.body.toString('utf8').slice(0, 500),
  });
}

/** What is wrong with an answer, if anything. */
function problemWith(request: FuzzRequest, answer: Answer): string | undefined {
  const { status } = answer;
  if (status === 'timeout') return 'no answer within the time limit';
  if (status === 'unreadable')
    return `the answer is not valid HTTP: ${answer.body.toString('utf8')}`;
  if (status === 'no-answer') {
    // The connection closed without an answer: acceptable only for bytes that are not HTTP.
    return request.raw ? undefined : 'the connection closed without an answer';
  }
  if (status >= 500) return `answered ${status}`;
  if (status < 400 || request.method === 'HEAD') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(answer.body.toString('utf8'));
  } catch {
    return `error answer is not JSON (${answer.contentType || 'no content type'})`;
  }
  const shape = body as { code?: unknown; message?: unknown; details?: unknown };
  if (typeof shape?.code !== 'string' || shape.code === '')
    return 'error answer has no string `code`';
  if (typeof shape.message !== 'string') return 'error answer has no string `message`';
  if (typeof shape.details !== 'object' || shape.details === null) {
    return 'error answer has no `details` object';
  }
  return undefined;
}

function positionOf(body: Buffer): bigint | undefined {
  try {
    const position = (JSON.parse(body.toString('utf8')) as { position?: unknown }).position;
    return typeof position === 'number' || typeof position === 'string'
      ? BigInt(position)
      : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- events

interface StoredEvent {
  id: string;
  position: number | string;
  type: string;
  metadata?: { correlationId?: unknown; causationId?: unknown };
}

interface Leak {
  position: string;
  type: string;
  correlationId?: string;
}

/**
 * Reads `$all` from where it last stopped (`GET /v1/audit/events`) and
 * attributes each new event to the request whose correlation id it carries.
 */
class EventLedger {
  private from = 0n;
  private readonly accepted = new Set<string>();
  private readonly acceptedPositions = new Set<bigint>();
  appended = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly auditorKey: string,
  ) {}

  answered(correlationId: string, status: number | string): void {
    if (typeof status === 'number' && status >= 200 && status < 300) {
      this.accepted.add(correlationId);
    }
  }

  acceptPosition(position: bigint): void {
    this.acceptedPositions.add(position);
  }

  reset(): void {
    this.appended = 0;
  }

  /** The events appended since the last scan that no accepted request accounts for. */
  async scan(): Promise<Leak[]> {
    const fresh: StoredEvent[] = [];
    for (;;) {
      const page = (await json(
        this.baseUrl,
        `/v1/audit/events?fromPosition=${this.from}&limit=5000`,
        this.auditorKey,
      )) as { events: StoredEvent[]; next: number | string | null };
      fresh.push(...page.events);
      if (page.events.length > 0) {
        this.from = BigInt(page.events[page.events.length - 1]!.position) + 1n;
      }
      if (page.next === null || page.events.length === 0) break;
    }
    this.appended += fresh.length;
    // An answered position vouches for its whole append (the events sharing its correlation id).
    for (const event of fresh) {
      const correlation = event.metadata?.correlationId;
      if (this.acceptedPositions.has(BigInt(event.position)) && typeof correlation === 'string') {
        this.accepted.add(correlation);
      }
    }
    const leaks: Leak[] = [];
    for (const event of fresh) {
      const correlation = event.metadata?.correlationId;
      const causation = event.metadata?.causationId;
      const vouched =
        (typeof correlation === 'string' && this.accepted.has(correlation)) ||
        (typeof causation === 'string' && this.accepted.has(causation)) ||
        this.acceptedPositions.has(BigInt(event.position));
      if (vouched) {
        this.accepted.add(event.id); // a saga's event may name this one as its cause
        continue;
      }
      leaks.push({
        position: String(event.position),
        type: event.type,
        correlationId: typeof correlation === 'string' ? correlation : undefined,
      });
    }
    return leaks;
  }
}

// ---------------------------------------------------------------- HTTP

async function json(baseUrl: string, path: string, key?: string): Promise<unknown> {
  const response = await fetch(new URL(path, baseUrl), {
    headers: key ? { authorization: `Bearer ${key}` } : {},
  });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Sends one request; bytes an HTTP client would refuse go down a socket as they are. */
async function send(
  target: { host: string; port: number },
  agent: Agent,
  request: FuzzRequest,
  timeoutMs: number,
): Promise<Answer> {
  if (request.raw) return sendRaw(target, request.raw, Math.min(timeoutMs, 5_000), 'no-answer');
  // A server may answer 413 before reading a body over its limit and close the connection;
  // Node's client then reports EPIPE instead of the answer, so such bodies go down a socket.
  if ((request.body?.length ?? 0) > 1_000_000) {
    return sendRaw(target, rawBytesOf(request), timeoutMs, 'timeout');
  }
  try {
    return await sendHttp(target, agent, request, timeoutMs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (
      /^ERR_(INVALID_CHAR|UNESCAPED_CHARACTERS|INVALID_HTTP_TOKEN|HTTP_INVALID_HEADER_VALUE)$/.test(
        code,
      )
    ) {
      return sendRaw(target, rawBytesOf(request), timeoutMs, 'timeout');
    }
    throw error;
  }
}

function sendHttp(
  target: { host: string; port: number },
  agent: Agent,
  request: FuzzRequest,
  timeoutMs: number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (answer: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const headers = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = String(request.body.length);
    const outgoing = httpRequest({
      ...target,
      // A HEAD gets a connection of its own: bytes after its answer must not reach another request.
      agent: request.method === 'HEAD' ? false : agent,
      method: request.method,
      path: request.path,
      headers,
    });
    const timer = setTimeout(() => {
      outgoing.destroy();
      done({ status: 'timeout', contentType: '', body: Buffer.alloc(0) });
    }, timeoutMs);
    outgoing.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const contentType = String(response.headers['content-type'] ?? '');
      if (request.stream && status === 200 && contentType.startsWith('text/event-stream')) {
        // An endless stream that started: that is the answer.
        response.destroy();
        done({ status, contentType, body: Buffer.alloc(0) });
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done({ status, contentType, body: Buffer.concat(chunks) }));
      response.on('error', () => done({ status, contentType, body: Buffer.concat(chunks) }));
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
        done({ status: 'no-answer', contentType: '', body: Buffer.from(error.message) });
      } else if (error.code?.startsWith('HPE_')) {
        done({ status: 'unreadable', contentType: '', body: Buffer.from(error.message) });
      } else {
        clearTimeout(timer);
        settled = true;
        reject(error);
      }
    });
    outgoing.end(request.body);
  });
}

/** The request as bytes, header values as UTF-8, for what `http.request` refuses to write. */
function rawBytesOf(request: FuzzRequest): Buffer {
  const lines = [
    `${request.method} ${request.path} HTTP/1.1`,
    'Host: localhost',
    'Connection: close',
  ];
  for (const [name, value] of Object.entries(request.headers)) {
    for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}`);
  }
  if (request.body !== undefined) lines.push(`Content-Length: ${request.body.length}`);
  return Buffer.concat([
    Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'),
    request.body ?? Buffer.alloc(0),
  ]);
}

function sendRaw(
  target: { host: string; port: number },
  bytes: Buffer,
  timeoutMs: number,
  silence: 'no-answer' | 'timeout',
): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect(target);
    const chunks: Buffer[] = [];
    let settled = false;
    const done = (answer: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => {
      // Bytes that never complete a request (a short Content-Length, say) may get no answer at all.
      const parsed = parseRaw(Buffer.concat(chunks));
      done(parsed ?? { status: silence, contentType: '', body: Buffer.alloc(0) });
    }, timeoutMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const finish = () =>
      done(
        parseRaw(Buffer.concat(chunks)) ?? {
          status: 'no-answer',
          contentType: '',
          body: Buffer.alloc(0),
        },
      );
    // An error writing (EPIPE after an early answer) is followed by 'close': read what came first.
    socket.on('error', () => undefined);
    socket.on('close', finish);
  });
}

/** The first HTTP answer in the bytes, if there is one. */
function parseRaw(bytes: Buffer): Answer | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const head = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1];
  if (!status) return undefined;
  const header = (name: string) =>
    head
      .find((line) => line.toLowerCase().startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim();
  let body = bytes.subarray(end + 4);
  const length = header('content-length');
  if (length !== undefined) body = body.subarray(0, Number(length));
  else if (header('transfer-encoding')?.toLowerCase() === 'chunked') body = dechunk(body);
  return { status: Number(status), contentType: header('content-type') ?? '', body };
}

function dechunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------- set-up

/**
 * A small programme through the API, so that valid ids exist and hostile
 * values reach the deciders: a programme, two groups, three partners (two
 * appointed and seated), an election, feedback and an expense claim.
 */
export async function setUpWorld(baseUrl: string, keys: Record<Role, string>): Promise<FuzzWorld> {
  let head = 0;
  let knownAt = '';
  let step = 0;
  const post = async (path: string, body: Record<string, unknown>): Promise<{ id: string }> => {
    const response = await fetch(new URL(path, baseUrl), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${keys['programme-office']}`,
        'content-type': 'application/json',
        'x-correlation-id': `fz-setup-${step++}`,
      },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as { id: string; position: number; recordedAt: string };
    if (response.status !== 201) {
      throw new Error(`set-up POST ${path}: ${response.status} ${JSON.stringify(answer)}`);
    }
    head = Math.max(head, Number(answer.position));
    knownAt = answer.recordedAt;
    return answer;
  };
  const group = (groupId: string, extra: Record<string, unknown>) =>
    post('/v1/groups', {
      groupId,
      name: `Group ${groupId}`,
      kind: 'workstream',
      level: 'programme',
      cadence: 'monthly',
      laySeats: { min: 1, max: 4 },
      coChairConstituencies: ['lay', 'ccg'],
      programmeId: 'fz-programme',
      occurredAt: '2013-10-01',
      ...extra,
    });
  const partners = ['ann', 'bob', 'cat'];
  await post('/v1/programmes', {
    programmeId: 'fz-programme',
    name: 'Fuzz programme',
    boroughs: ['Ealing', 'Brent'],
    occurredAt: '2013-09-01',
  });
  await group('board', { kind: 'programme-board' });
  await group('ws-1', { parentGroupId: 'board', occurredAt: '2013-11-01' });
  for (const partnerId of partners) {
    await post('/v1/partners/nominations', {
      partnerId,
      name: `Partner ${partnerId}`,
      email: `${partnerId}@example.org`,
      nominatedBy: { organisation: 'Healthwatch Ealing', organisationKind: 'healthwatch' },
      programmeId: 'fz-programme',
      occurredAt: '2013-11-15',
    });
  }
  for (const partnerId of ['ann', 'bob']) {
    await post(`/v1/partners/${partnerId}/appointment`, {
      body: 'advisory-group',
      occurredAt: '2013-12-01',
    });
  }
  await post('/v1/groups/board/seats', {
    seatId: 'lay-1',
    partnerId: 'ann',
    constituency: 'lay',
    occurredAt: '2014-01-10',
  });
  await post('/v1/groups/board/seats', {
    seatId: 'lay-2',
    partnerId: 'bob',
    constituency: 'lay',
    occurredAt: '2014-01-10',
  });
  const election = await post('/v1/groups/board/elections', {
    electionId: 'fz-election',
    constituency: 'lay',
    electorate: ['ann', 'bob'],
    occurredAt: '2014-02-01',
  });
  const feedback = await post('/v1/feedback', {
    feedbackId: 'fz-feedback',
    channel: 'forum',
    kind: 'idea',
    summary: 'Hold meetings in the evening',
    groupId: 'board',
    raisedBy: 'ann',
    occurredAt: '2014-02-10',
  });
  await post('/v1/partners/ann/expenses', {
    claimId: 'claim-1',
    amountPence: 1234,
    category: 'travel',
    incurredOn: '2014-02-01',
    occurredAt: '2014-02-02',
  });
  return {
    keys,
    programmes: ['fz-programme'],
    groups: ['board', 'ws-1'],
    partners,
    elections: [election.id],
    feedback: [feedback.id],
    claims: ['claim-1'],
    seats: ['lay-1', 'lay-2'],
    head,
    knownAt,
  };
}
