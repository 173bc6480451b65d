import {
  generateSigningKeyPem,
  LedgerSealer,
  LedgerVerifier,
  parseSigningKey,
  SealSigner,
  SealStore,
  StoreUnavailableError,
  type EventStore,
  type SignedHead,
} from '@app/event-store';
import { Inject, Injectable, Logger, type Provider } from '@nestjs/common';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LEDGER_CONFIG, type LedgerConfig } from '../config/ledger-config.js';
import { RAW_EVENT_STORE } from './tokens.js';

/** The public key of a signing key generated at this start: printed once by main. */
export const ISSUED_SIGNING_KEY = Symbol('ISSUED_SIGNING_KEY');

export interface IssuedSigningKey {
  file: string;
  keyId: string;
  publicKey: string;
}

/** The signing key: configured, read from its file, or generated into it (mode 0600) if absent. */
function loadSigner(config: LedgerConfig): { signer: SealSigner; issued: IssuedSigningKey | null } {
  if (config.signingKey)
    return { signer: new SealSigner(parseSigningKey(config.signingKey)), issued: null };
  const file = config.signingKeyFile;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, generateSigningKeyPem(), { mode: 0o600, flag: 'wx' });
      const signer = new SealSigner(parseSigningKey(readFileSync(file, 'utf8')));
      return { signer, issued: { file, keyId: signer.keyId, publicKey: signer.publicKeyPem } };
    } catch (error) {
      // Another process created it first: use that one.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return { signer: new SealSigner(parseSigningKey(readFileSync(file, 'utf8'))), issued: null };
}

const LOADED_SIGNER = Symbol('LOADED_SIGNER');
const SEAL_PAGE = 250;

/**
 * Seals the log on an interval (`LEDGER_SEAL_INTERVAL_MS`) and on demand, and
 * verifies it incrementally from the last verified point (ADR 0004).
 */
@Injectable()
export class LedgerSeal {
  private readonly logger = new Logger('Seal');
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private running: Promise<unknown> | null = null;
  readonly sealer: LedgerSealer;
  readonly verifier: LedgerVerifier;

  constructor(
    @Inject(RAW_EVENT_STORE) readonly store: EventStore,
    readonly seals: SealStore,
    readonly signer: SealSigner,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {
    // Small pages: between two of them, requests are served (a page stalls the loop ≈ 50 ms).
    this.sealer = new LedgerSealer(store, seals, signer, { pageSize: SEAL_PAGE });
    this.verifier = new LedgerVerifier(store, { sealRecords: seals, pageSize: SEAL_PAGE });
  }

  start(): void {
    if (this.config.sealIntervalMs === 0 || this.timer) return;
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.seal()
        .catch((error: unknown) =>
          this.logger.warn(
            `sealing failed: ${error instanceof Error ? error.message : String(error)}`,
          ),
        )
        .finally(() => (this.running = null));
    }, this.config.sealIntervalMs);
    this.timer.unref();
  }

  /** Seals every event committed so far; answers the latest signed head. */
  async seal(): Promise<SignedHead> {
    if (this.stopped) throw new Error('The ledger is shutting down');
    return (await this.sealer.seal())!;
  }

  /**
   * Seals what can be sealed before a verification. A log the sealer cannot
   * read through (an event that is no longer JSON) is for the verification to
   * report, not a failure of the request; an unreachable store still is.
   */
  async sealBeforeVerifying(): Promise<void> {
    try {
      await this.seal();
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      this.logger.warn(
        `sealing stopped: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** The latest signed head, sealing first; the last one signed if the log cannot be read further. */
  async digest(): Promise<SignedHead> {
    try {
      return await this.seal();
    } catch (error) {
      const latest = this.sealer.latestHead();
      if (error instanceof StoreUnavailableError || !latest) throw error;
      this.logger.warn(
        `sealing stopped, answering the last signed head: ${error instanceof Error ? error.message : String(error)}`,
      );
      return latest;
    }
  }

  /** Stops the interval and waits for a run in progress; closes the seal store. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    await this.sealer.seal().catch(() => undefined);
    this.seals.close();
  }
}

export const sealProviders: Provider[] = [
  {
    provide: LOADED_SIGNER,
    inject: [LEDGER_CONFIG],
    useFactory: (config: LedgerConfig) => loadSigner(config),
  },
  {
    provide: SealSigner,
    inject: [LOADED_SIGNER],
    useFactory: (loaded: { signer: SealSigner }) => loaded.signer,
  },
  {
    provide: ISSUED_SIGNING_KEY,
    inject: [LOADED_SIGNER],
    useFactory: (loaded: { issued: IssuedSigningKey | null }) => loaded.issued,
  },
  {
    provide: SealStore,
    inject: [LEDGER_CONFIG],
    useFactory: (config: LedgerConfig) => new SealStore(join(config.dataDir, 'seal.sqlite')),
  },
  LedgerSeal,
];
