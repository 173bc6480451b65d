import { StoreUnavailableError, type EventStore, type RecordedEvent } from '@app/event-store';
import type { ProjectionRunner } from '@app/projections';
import { jest } from '@jest/globals';
import { ReadLag } from './read-lag.js';

/** A store whose head and reachability the test sets, and a runner whose checkpoint it sets. */
function fixture() {
  const state = {
    reachable: true,
    head: 10n as bigint | null,
    checkpoint: 10n as bigint | null,
    /** recordedAt of the event after the checkpoint. */
    nextRecordedAt: new Date(0),
  };
  const down = () => new StoreUnavailableError('event-store', 'connection refused');
  const store = {
    ping: async () => {
      if (!state.reachable) throw down();
    },
    headPosition: async () => {
      if (!state.reachable) throw down();
      return state.head;
    },
    readAll: async () =>
      [
        { position: state.checkpoint ?? 0n, recordedAt: new Date(0) },
        { position: (state.checkpoint ?? 0n) + 1n, recordedAt: state.nextRecordedAt },
      ] as RecordedEvent[],
  } as unknown as EventStore;
  const runner = {
    get checkpoint() {
      return state.checkpoint;
    },
  } as unknown as ProjectionRunner;
  return { state, readLag: new ReadLag(store, runner) };
}

describe('ReadLag: how far behind the store the read models are', () => {
  let now = 1_000_000;
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it('is 0 when the read models hold the store’s head', async () => {
    const { readLag } = fixture();
    const measured = await readLag.measure();
    expect(measured).toMatchObject({ reachable: true, head: 10n, checkpoint: 10n, lagSeconds: 0 });
    expect(await readLag.headers()).toEqual({
      'ledger-read-position': '10',
      'ledger-store': 'reachable',
      'ledger-read-lag': '0.000',
    });
  });

  it('is the age of the oldest event not yet applied', async () => {
    const { state, readLag } = fixture();
    state.head = 12n;
    state.nextRecordedAt = new Date(now - 2_500);
    expect((await readLag.measure()).lagSeconds).toBe(2.5);
  });

  it('grows from the last answer of the store while it is unreachable', async () => {
    const { state, readLag } = fixture();
    state.head = 12n;
    state.nextRecordedAt = new Date(now - 1_000);
    await readLag.measure(); // reachable, 1 s behind
    state.reachable = false;
    now += 4_000;
    const measured = await readLag.measure();
    expect(measured).toMatchObject({ reachable: false, lagSeconds: null });
    expect(measured.error).toContain('connection refused');
    expect(readLag.lagSecondsAt(now)).toBe(5);
    now += 500;
    expect(await readLag.headers()).toEqual({
      'ledger-read-position': '10',
      'ledger-store': 'unreachable',
      'ledger-read-lag': '5.500',
    });
  });

  it('says nothing of the lag when the store never answered, only where the read models are', async () => {
    const { state, readLag } = fixture();
    state.reachable = false;
    await readLag.measure();
    expect(await readLag.headers()).toEqual({
      'ledger-read-position': '10',
      'ledger-store': 'unreachable',
    });
  });

  it('measures again after a second, or at once after invalidate()', async () => {
    const { state, readLag } = fixture();
    await readLag.measure();
    state.reachable = false;
    expect((await readLag.headers())['ledger-store']).toBe('reachable'); // cached
    readLag.invalidate();
    expect((await readLag.headers())['ledger-store']).toBe('unreachable');
    state.reachable = true;
    now += 1_001;
    expect((await readLag.headers())['ledger-store']).toBe('reachable');
  });
});
