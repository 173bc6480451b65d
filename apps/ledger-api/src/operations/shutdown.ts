import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** After the HTTP drain's deadline, closing the stores gets this long before the process exits anyway. */
export const STORE_CLOSE_GRACE_MS = 2_000;
/** A connection opened during the drain is closed after this long without a request. */
const NEW_CONNECTION_IDLE_MS = 1_000;

/**
 * Every connection of an HTTP server and how many requests are in flight on
 * it, so that a shutdown can close at once those with none — idle
 * keep-alive sockets, and sockets that never sent (all of) a request, which
 * Node's `closeIdleConnections()` leaves open — let the others finish their
 * requests, and cut whatever is left at a deadline.
 */
export class ConnectionDrain {
  private readonly inFlight = new Map<Socket, number>();
  private draining = false;

  constructor(server: Server) {
    server.on('connection', (socket: Socket) => {
      this.inFlight.set(socket, 0);
      socket.once('close', () => this.inFlight.delete(socket));
      // Answered with 503 and `Connection: close` if a request comes; else closed soon.
      if (this.draining) socket.setTimeout(NEW_CONNECTION_IDLE_MS);
    });
    server.on('request', (request: { socket: Socket }, response: NodeJS.EventEmitter) => {
      const socket = request.socket;
      this.inFlight.set(socket, (this.inFlight.get(socket) ?? 0) + 1);
      response.once('close', () => {
        const left = Math.max(0, (this.inFlight.get(socket) ?? 1) - 1);
        if (!this.inFlight.has(socket)) return;
        this.inFlight.set(socket, left);
        if (this.draining && left === 0) socket.destroySoon();
      });
    });
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Connections still open. */
  get open(): number {
    return this.inFlight.size;
  }

  /** Closes every connection with no request in flight; the others close after their last response. */
  start(): void {
    this.draining = true;
    for (const [socket, requests] of this.inFlight) if (requests === 0) socket.destroy();
  }

  /** Closes every connection left, requests in flight or not; answers how many. */
  forceClose(): number {
    const left = this.inFlight.size;
    for (const socket of this.inFlight.keys()) socket.destroy();
    return left;
  }
}

/**
 * SIGTERM and SIGINT shut the app down within a bound: new requests are
 * answered 503 (Nest's `return503OnClosing`), idle connections close at once,
 * requests in flight get until `timeoutMs` to finish (their answers carry
 * `Connection: close`), then every connection left is closed; the stores then
 * get {@link STORE_CLOSE_GRACE_MS} to close before the process exits anyway.
 * Exits 0 once the app has closed (connections cut at the deadline are
 * logged), 1 if closing failed or overran. A second signal exits at once.
 */
export function installGracefulShutdown(app: NestFastifyApplication, timeoutMs: number): void {
  const logger = new Logger('Shutdown');
  const drain = new ConnectionDrain(app.getHttpServer() as Server);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (_request, reply, payload) => {
      if (drain.isDraining) void reply.header('connection', 'close');
      return payload;
    });

  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      logger.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    shuttingDown = true;
    const startedAt = Date.now();
    logger.log(
      `${signal}: draining ${drain.open} connection(s), at most ${timeoutMs} ms before closing the rest`,
    );
    drain.start();
    const deadline = setTimeout(() => {
      const cut = drain.forceClose();
      if (cut > 0) logger.warn(`drain deadline (${timeoutMs} ms): closed ${cut} connection(s)`);
    }, timeoutMs);
    const overrun = setTimeout(() => {
      logger.error(
        `shutdown did not finish within ${timeoutMs + STORE_CLOSE_GRACE_MS} ms: exiting`,
      );
      process.exit(1);
    }, timeoutMs + STORE_CLOSE_GRACE_MS);
    overrun.unref();
    app.close().then(
      () => {
        clearTimeout(deadline);
        logger.log(`closed in ${Date.now() - startedAt} ms`);
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
