import { jest } from '@jest/globals';

/**
 * Default per-test and per-hook timeout of the tier (jest.config.mjs sets
 * `TIER_TIMEOUT_MS`), sized for a busy two-core machine: Jest's 5 s default
 * failed e2e hooks under load. Tests that spawn processes or generate large
 * ledgers still set their own.
 */
const timeout = (globalThis as { TIER_TIMEOUT_MS?: number }).TIER_TIMEOUT_MS ?? 30_000;
jest.setTimeout(timeout);
