import type {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventStore,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
  Subscription,
} from '../event-store.port.js';
import type { PersonalDataCipher } from './personal-data-cipher.js';

/**
 * Personal fields are encrypted on their way into the log and decrypted on
 * their way out; once a person's key is destroyed they read as "[erased]".
 * The log itself never holds them in clear.
 */
export class EncryptingEventStore implements EventStore {
  constructor(
    readonly inner: EventStore,
    private readonly cipher: PersonalDataCipher,
  ) {}

  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    return this.inner.appendToStream(
      streamId,
      events.map((event) => ({
        ...event,
        data: this.cipher.encrypt(event.type, event.id.toLowerCase(), event.data),
      })),
      options,
    );
  }

  private open = (event: RecordedEvent): RecordedEvent => {
    const data = this.cipher.decrypt(event.type, event.id, event.data);
    return data === event.data ? event : { ...event, data };
  };

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(streamId, options)).map(this.open);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return (await this.inner.readAll(options)).map(this.open);
  }

  subscribeToAll(handler: EventHandler, options: SubscribeToAllOptions): Subscription {
    return this.inner.subscribeToAll((event) => handler(this.open(event)), options);
  }

  headPosition(): Promise<bigint | null> {
    return this.inner.headPosition();
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
