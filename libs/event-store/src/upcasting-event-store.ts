import { MappingEventStore } from './delegating-event-store.js';
import type { EventStore, RecordedEvent } from './event-store.port.js';

/** Maps a stored event to its current shape (schema upcasting). */
export type EventUpcast = (event: RecordedEvent) => RecordedEvent;

/**
 * An EventStore whose reads and subscriptions hand out events in their
 * current shape: every consumer (deciders, projections, sagas) sees one
 * schema, and stored events are never rewritten.
 */
export class UpcastingEventStore extends MappingEventStore {
  constructor(
    inner: EventStore,
    private readonly upcast: EventUpcast,
  ) {
    super(inner);
  }

  protected map(event: RecordedEvent): RecordedEvent {
    return this.upcast(event);
  }
}
