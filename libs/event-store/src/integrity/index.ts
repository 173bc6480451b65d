export * from './event-hash.js';
export * from './hash-chaining-event-store.js';
export * from './ledger-verifier.js';
