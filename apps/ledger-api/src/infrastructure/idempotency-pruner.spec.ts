import { loadConfig } from '../config/ledger-config.js';
import { IdempotencyPruner, pruneInterval } from './idempotency-pruner.js';
import { IdempotencyStore } from './idempotency.store.js';

describe('idempotency records are kept for the retention window, then pruned', () => {
  it('deletes only what is older than the window', async () => {
    const store = new IdempotencyStore(':memory:');
    const config = loadConfig({ LEDGER_IDEMPOTENCY_RETENTION: '24h' });
    const response = { requestHash: 'h', status: 201, body: { id: 'g' } };
    const realNow = Date.now;
    try {
      Date.now = () => realNow() - 25 * 3_600_000;
      await store.put('programme-office:old', response);
      Date.now = () => realNow() - 23 * 3_600_000;
      await store.put('programme-office:recent', response);
    } finally {
      Date.now = realNow;
    }
    const pruner = new IdempotencyPruner(store, config);
    expect(await pruner.pruneOnce()).toBe(1);
    expect(await store.get('programme-office:old')).toBeNull();
    expect(await store.get('programme-office:recent')).toEqual(response);
    // An hour later the other one has aged out too.
    pruner.now = () => realNow() + 3_600_000;
    expect(await pruner.pruneOnce()).toBe(1);
    store.close();
  });

  it('never throws from the background: a failed pass answers 0', async () => {
    const failing = {
      prune: () => Promise.reject(new Error('down')),
    } as unknown as IdempotencyStore;
    const pruner = new IdempotencyPruner(failing, loadConfig({}));
    expect(await pruner.pruneOnce()).toBe(0);
  });

  it('prunes every tenth of the window, between 5 s and 10 min', () => {
    expect(pruneInterval(24 * 3_600_000)).toBe(600_000);
    expect(pruneInterval(60_000)).toBe(6_000);
    expect(pruneInterval(10_000)).toBe(5_000);
  });
});
