export * from './core/decider.js';
export * from './core/domain-error.js';
export * from './core/business-time.js';
export * from './core/streams.js';
export * from './core/upcasting.js';
export * from './core/command-declaration.js';
export * from './commands.js';
export * from './command-table.js';
export * from './shared/vocabulary.js';
export * from './programme/programme.events.js';
export * from './programme/programme.decider.js';
export * from './programme/programme.commands.js';
export * from './partner/partner.events.js';
export * from './partner/partner.decider.js';
export * from './partner/partner.commands.js';
export * from './partner/partner.upcasters.js';
export * from './group/group.events.js';
export * from './group/group.decider.js';
export * from './group/group.commands.js';
export * from './group/group.upcasters.js';
export * from './election/election.events.js';
export * from './election/election.decider.js';
export * from './election/election.commands.js';
export * from './feedback/feedback.events.js';
export * from './feedback/feedback.decider.js';
export * from './feedback/feedback.commands.js';

import { UpcasterRegistry } from './core/upcasting.js';
import { groupUpcasters } from './group/group.upcasters.js';
import { partnerUpcasters } from './partner/partner.upcasters.js';

/** Every upcaster the ledger knows: the one registry readers and writers share. */
export const ledgerUpcasters = (): UpcasterRegistry =>
  new UpcasterRegistry([...partnerUpcasters, ...groupUpcasters]);
