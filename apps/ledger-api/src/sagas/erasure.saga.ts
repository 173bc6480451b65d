import type { PersonalDataErased } from '@app/domain';
import { PersonKeys, type RecordedEvent } from '@app/event-store';
import { truncateWal } from '@app/projections';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ICommand } from '@nestjs/cqrs';
import type Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { defer, filter, ignoreElements, mergeMap, type Observable } from 'rxjs';
import { LEDGER_CONFIG, type LedgerConfig } from '../config/ledger-config.js';
import { READ_DB } from '../infrastructure/tokens.js';
import type { LedgerSaga } from './saga.js';

/**
 * Completes an erasure wherever the person's data could linger: the key is
 * destroyed (again, if the handler already did: idempotent), the read
 * store's WAL is checkpointed and truncated once the projections have
 * forgotten the name, and replay snapshots taken before are deleted.
 * Runs from the checkpointed subscription, so a crash mid-way is finished
 * on restart.
 */
@Injectable()
export class ErasureSaga implements LedgerSaga {
  readonly name = 'erasure';
  readonly reactsTo = new Set(['PersonalDataErased']);
  private readonly logger = new Logger('ErasureSaga');

  constructor(
    private readonly keys: PersonKeys,
    @Inject(READ_DB) private readonly readDb: Database.Database,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  react(events: Observable<RecordedEvent>): Observable<ICommand> {
    return events.pipe(
      filter(
        (event): event is RecordedEvent<'PersonalDataErased', PersonalDataErased['data']> =>
          event.type === 'PersonalDataErased',
      ),
      mergeMap((event) =>
        defer(async () => {
          // On a cluster every replica's saga does this: the shared key is gone (idempotent),
          // and this replica drops its own copy and its local traces.
          await this.keys.destroy(event.data.partnerId);
          // Without blocking commands while a reader thread's read is open (reads/read-pool.ts).
          if (!(await truncateWal(this.readDb)))
            this.logger.warn(
              "the read store's WAL could not be truncated after an erasure: reads kept it busy for 30 s; the next checkpoint overwrites it",
            );
          rmSync(join(this.config.dataDir, 'snapshots'), { recursive: true, force: true });
        }).pipe(ignoreElements()),
      ),
    );
  }
}
