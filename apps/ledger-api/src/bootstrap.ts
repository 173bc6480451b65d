import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import { AppModule } from './app.module.js';
import {
  createLogger,
  correlationIdOf,
  instrumentHttp,
  PinoNestLogger,
} from './operations/logging.js';
import { MetricsService } from './operations/metrics.service.js';
import { ReadLag, stampReadLag } from './operations/read-lag.js';
import type { LedgerConfig } from './config/ledger-config.js';
import { LedgerExceptionFilter } from './http/errors/ledger-exception.filter.js';
import { clientErrorHandler, frameworkErrors } from './http/errors/framework-errors.js';
import { ledgerValidationPipe } from './http/validation.js';
import { refuseDeepBodies } from './http/body-depth.js';
import { lingerOnRefusedBodies } from './http/lingering-close.js';
import { serveOpenApi } from './http/openapi/openapi.js';
import { harden } from './security/hardening.js';

/** The configured app, not yet listening: used by main and by the e2e suite. */
export async function createLedgerApp(
  config: LedgerConfig,
  options: { logger?: false } = {},
): Promise<NestFastifyApplication> {
  const logger = createLogger(options.logger === false ? 'silent' : config.logLevel);
  const maxParamLength = 2_048;
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    genReqId: correlationIdOf,
    // Request lines are ours (instrumentHttp), so Fastify's own are off.
    logController: new LogController({ disableRequestLogging: true }),
    // Long ids reach ParseIdPipe (400 invalid_id); beyond this, 414 param_too_long.
    routerOptions: { maxParamLength },
    // Errors answered before any route runs, in the ledger's error shape too.
    frameworkErrors: frameworkErrors(maxParamLength),
    clientErrorHandler,
    bodyLimit: config.bodyLimit,
    // Refuse prototype-pollution payloads outright rather than stripping them.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: options.logger === false ? false : new PinoNestLogger(logger),
    // During shutdown new requests get 503 while in-flight ones finish; live streams end
    // in HistoryController.onModuleDestroy. main.ts bounds the drain (operations/shutdown.ts).
    return503OnClosing: true,
  });
  instrumentHttp(app.getHttpAdapter().getInstance(), app.get(MetricsService));
  stampReadLag(app.getHttpAdapter().getInstance(), app.get(ReadLag));
  await harden(app, config);
  refuseDeepBodies(app.getHttpAdapter().getInstance());
  lingerOnRefusedBodies(app.getHttpAdapter().getInstance());
  app.useGlobalPipes(ledgerValidationPipe);
  app.useGlobalFilters(new LedgerExceptionFilter());
  serveOpenApi(app);
  return app;
}
