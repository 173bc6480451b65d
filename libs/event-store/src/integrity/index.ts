export * from './event-hash.js';
export * from './hash-chaining-event-store.js';
export * from './ledger-verifier.js';
export * from './ledger-seal.js';
export * from './ledger-sealer.js';
export * from './seal-store.js';
