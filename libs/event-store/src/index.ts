export * from './event-store.port.js';
export * from './errors.js';
export * from './pulling-subscription.js';
export * from './sqlite/sqlite-event-store.js';
export * from './eventstoredb/eventstoredb-event-store.js';
export * from './create-event-store.js';
export * from './upcasting-event-store.js';
