import type { ReadContext } from '@app/projections';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type Database from 'better-sqlite3';
import type { FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LEDGER_CONFIG, type LedgerConfig } from '../config/ledger-config.js';
import { ApiError } from '../http/errors/error-body.js';
import { ReadModels } from '../infrastructure/read-models.service.js';
import { READ_DB, READ_QUERIES } from '../infrastructure/tokens.js';
import type { AuthenticatedRequest } from '../security/auth.guard.js';
import { Pseudonyms } from '../security/pseudonyms.js';
import {
  runReadJob,
  type ReadJobArgs,
  type ReadJobName,
  type ReadJobResult,
  type TimeQuery,
} from './read-jobs.js';
import { viewerFor } from './viewer.js';
import {
  reviveFailure,
  type ReaderData,
  type ReadRequest,
  type ReadResponse,
} from './reader-protocol.js';

/** A read's answer: the body as the job returned it (in process), or as JSON text (a reader). */
export type ReadAnswer<T> = { value: T } | { json: string };

/** A read's time parameters as the request gave them. */
export interface ReadTime extends TimeQuery {
  minPosition?: string | undefined;
}

/** A job's own arguments: everything but the time point, which the pool passes on. */
type JobArgs<N extends ReadJobName> = Omit<ReadJobArgs<N>, 'when'>;

/** Readers lost in a row, none answering, before reads fall back to this thread. */
const MAX_FAILURES_IN_A_ROW = 3;

/** Reads waiting for a reader beyond this are refused (503 `readers_busy`), not queued without end. */
const MAX_QUEUED_READS = 1_000;

interface Pending {
  request: ReadRequest;
  resolve: (response: ReadResponse) => void;
  reject: (error: Error) => void;
}

interface Reader {
  worker: Worker;
  busy: Pending | null;
}

/**
 * Where the heavy reads run (ADR 0015). A read of READ_JOBS goes to a reader
 * thread with its own read-only connection to the read store, so a 0.1–0.7 s
 * report never holds up the thread that commits commands; the reader also
 * serialises the body. Reads for evaluators (whose bodies are pseudonymised
 * by functions of this thread), and every read when there are no readers
 * (`LEDGER_READ_WORKERS=0`, an in-memory read store, or the app run from its
 * TypeScript sources without asking for readers), run in process, with the
 * same code.
 */
@Injectable()
export class ReadPool implements OnModuleDestroy {
  private readonly logger = new Logger('Readers');
  private readonly script: string | null;
  private readonly size: number;
  private readonly readers: Reader[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** Readers lost in a row without answering: past a few, reads stay in process. */
  private failuresInARow = 0;

  constructor(
    @Inject(LEDGER_CONFIG) config: LedgerConfig,
    @Inject(READ_DB) private readonly db: Database.Database,
    @Inject(READ_QUERIES) private readonly local: ReadContext,
    private readonly readModels: ReadModels,
    private readonly pseudonyms: Pseudonyms,
  ) {
    this.script = readerScript(config.readWorkers !== null);
    // By default a reader for each core beyond the one that commits (at most 4): on two
    // cores one reader (a second measured no better in the soak, and cost ~100 MB).
    const wanted = config.readWorkers ?? Math.min(4, availableParallelism() - 1);
    this.size = db.memory || this.script === null ? 0 : wanted;
    this.logger.log(
      this.size === 0
        ? 'heavy reads are answered in process'
        : `heavy reads are answered by ${this.size} reader thread${this.size > 1 ? 's' : ''}`,
    );
  }

  /** Reader threads this app runs (0: every read in process). */
  get readerThreads(): number {
    return this.failuresInARow >= MAX_FAILURES_IN_A_ROW ? 0 : this.size;
  }

  /**
   * A heavy read for this request: its time point checked, `minPosition`
   * waited for (503 `projection_behind` after the timeout), then the job
   * run by a reader, or in process for an evaluator (whose body this thread
   * pseudonymises) or when there are no readers.
   */
  async read<N extends ReadJobName>(
    request: AuthenticatedRequest,
    job: N,
    time: ReadTime,
    args: JobArgs<N>,
  ): Promise<ReadAnswer<ReadJobResult<N>>> {
    const { asOf, knownAt, minPosition } = time;
    await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    const viewer = viewerFor(request, this.pseudonyms);
    const sent = { ...args, when: { asOf, knownAt } } as ReadJobArgs<N>;
    if (viewer || this.readerThreads === 0)
      return { value: runReadJob(this.local, job, sent, viewer) };
    const response = await this.dispatch({ id: this.nextId++, job, args: sent });
    if (!response.ok) throw reviveFailure(response.error);
    return 'json' in response
      ? { json: response.json }
      : { value: response.text as ReadJobResult<N> };
  }

  /**
   * A JSON route's body: the object itself (interceptors see it, as for every
   * route), or the reader's JSON text sent as it is.
   */
  async json<N extends ReadJobName>(
    request: AuthenticatedRequest,
    reply: FastifyReply,
    job: N,
    time: ReadTime,
    args: JobArgs<N>,
  ): Promise<ReadJobResult<N> | string> {
    const answer = await this.read(request, job, time, args);
    if ('value' in answer) return answer.value;
    void reply.header('content-type', 'application/json; charset=utf-8');
    return answer.json;
  }

  /** A text route's body (an export file), wherever it was made. */
  async text<N extends ReadJobName>(
    request: AuthenticatedRequest,
    job: N,
    time: ReadTime,
    args: JobArgs<N>,
  ): Promise<string> {
    const answer = await this.read(request, job, time, args);
    return 'value' in answer ? String(answer.value) : answer.json;
  }

  private dispatch(request: ReadRequest): Promise<ReadResponse> {
    if (this.closed) {
      return Promise.reject(new ApiError(503, 'shutting_down', 'The ledger is shutting down'));
    }
    if (this.queue.length >= MAX_QUEUED_READS) {
      return Promise.reject(
        new ApiError(503, 'readers_busy', 'Too many reads are waiting; try again shortly', {
          queued: this.queue.length,
        }),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const reader = this.readers.find((r) => r.busy === null) ?? this.spawn();
      if (!reader) return;
      const pending = this.queue.shift()!;
      reader.busy = pending;
      reader.worker.postMessage(pending.request);
    }
  }

  /** A new reader, while there are fewer than `size`; started on the first read, after the schema exists. */
  private spawn(): Reader | null {
    if (this.readers.length >= this.readerThreads) return null;
    const data: ReaderData = { path: this.db.name, checkpointName: 'ledger' };
    const worker = new Worker(this.script!, { workerData: data });
    const reader: Reader = { worker, busy: null };
    worker.on('message', (response: ReadResponse) => {
      const pending = reader.busy;
      reader.busy = null;
      this.failuresInARow = 0;
      if (pending && pending.request.id === response.id) pending.resolve(response);
      this.pump();
    });
    const lost = (why: string) => {
      const index = this.readers.indexOf(reader);
      if (index < 0) return;
      this.readers.splice(index, 1);
      const pending = reader.busy;
      reader.busy = null;
      pending?.reject(
        new ApiError(503, 'reader_failed', 'The read could not be answered; try again', {}),
      );
      if (this.closed) return;
      this.failuresInARow += 1;
      if (this.readerThreads > 0) {
        this.logger.error(`a reader thread stopped: ${why}; starting another`);
        this.pump();
        return;
      }
      this.logger.error(
        `reader threads keep stopping (${why}); heavy reads are answered in process`,
      );
      for (const waiting of this.queue.splice(0)) {
        waiting.reject(
          new ApiError(503, 'reader_failed', 'The read could not be answered; try again', {}),
        );
      }
    };
    worker.on('error', (error) => lost(error.stack ?? error.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    // A reader must not keep the process alive on its own.
    worker.unref();
    this.readers.push(reader);
    return reader;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) {
      pending.reject(new ApiError(503, 'shutting_down', 'The ledger is shutting down'));
    }
    await Promise.all(this.readers.map((reader) => reader.worker.terminate()));
  }
}

/**
 * The reader thread's script: beside this file in the build. Run from the
 * TypeScript sources (the tests), the build's copy is used only when readers
 * are asked for explicitly, since it may be older than the sources.
 */
function readerScript(asked: boolean): string | null {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return here.replace(/read-pool\.js$/, 'read-worker.js');
  if (!asked) return null;
  const built = here
    .replace(/([\\/])apps([\\/])ledger-api/, '$1dist$1apps$2ledger-api')
    .replace(/read-pool\.ts$/, 'read-worker.js');
  return existsSync(built) ? built : null;
}
