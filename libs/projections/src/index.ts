export * from './core/read-store.js';
export * from './core/projection.js';
export * from './core/projection-runner.js';
export * from './governance/governance.projection.js';
export * from './governance/governance.queries.js';
export * from './ledger-projections.js';
export * from './timeline/describe-event.js';
export * from './replay/replay.service.js';
