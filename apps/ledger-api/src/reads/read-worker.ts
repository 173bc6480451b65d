import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { openReadContext } from '@app/projections';
import { runReadJob, type ReadJobArgs, type ReadJobName } from './read-jobs.js';
import {
  describeFailure,
  type ReaderData,
  type ReadRequest,
  type ReadResponse,
} from './reader-protocol.js';

/**
 * A reader thread: the read store opened read-only (WAL lets it read while
 * the app's thread commits), answering the reads of READ_JOBS for the
 * programme office's staff. Each read runs in one read transaction, so it
 * sees one committed state of every read model, and states the position it
 * read; the app only sends a read once the position it waited for is
 * committed, so reading your own writes still holds.
 */
const { path, checkpointName } = workerData as ReaderData;
const db = new Database(path, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
// As the app's connection: SQLite's 2 MB page cache (see ledger-store.providers.ts).
db.pragma('cache_size = -2000');
const context = openReadContext(db, checkpointName);
const inSnapshot = db.transaction((request: ReadRequest): unknown =>
  runReadJob(context, request.job, request.args as ReadJobArgs<ReadJobName>),
);

parentPort!.on('message', (request: ReadRequest) => {
  let response: ReadResponse;
  try {
    const body = inSnapshot(request);
    response =
      typeof body === 'string'
        ? { id: request.id, ok: true, text: body }
        : { id: request.id, ok: true, json: JSON.stringify(body) };
  } catch (error) {
    response = { id: request.id, ok: false, error: describeFailure(error) };
  }
  parentPort!.postMessage(response);
});
