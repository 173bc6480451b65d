import { MappingEventStore } from '../delegating-event-store.js';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  RecordedEvent,
} from '../event-store.port.js';
import type { PersonalDataCipher } from './personal-data-cipher.js';

/**
 * Personal fields are encrypted on their way into the log and decrypted on
 * their way out; once a person's key is destroyed they read as "[erased]".
 * The log itself never holds them in clear.
 */
export class EncryptingEventStore extends MappingEventStore {
  constructor(
    inner: EventStore,
    private readonly cipher: PersonalDataCipher,
  ) {
    super(inner);
  }

  override async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    await this.cipher.prefetch(events, true);
    return this.inner.appendToStream(
      streamId,
      events.map((event) => ({
        ...event,
        data: this.cipher.encrypt(event.type, event.id.toLowerCase(), event.data),
      })),
      options,
    );
  }

  protected override prepare(events: readonly RecordedEvent[]): Promise<void> | undefined {
    return this.cipher.prefetch(events, false);
  }

  protected map(event: RecordedEvent): RecordedEvent {
    const data = this.cipher.decrypt(event.type, event.id, event.data);
    return data === event.data ? event : { ...event, data };
  }
}
