export * from './observed-event-store.js';
export * from './ledger-event-store.js';
