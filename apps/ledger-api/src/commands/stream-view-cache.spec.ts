import { newStreamView, StreamViewCache, type StreamView } from './stream-view-cache.js';

const counter = { initialState: () => 0 };
const other = { initialState: () => 0 };

const viewWith = (state: number, commandIds: string[]): StreamView<number> => ({
  ...newStreamView(counter),
  state,
  revision: BigInt(commandIds.length - 1),
  applied: new Map(
    commandIds.map((id, n) => [
      id,
      { revision: BigInt(n), position: BigInt(n), recordedAt: new Date(n) },
    ]),
  ),
});

describe('StreamViewCache', () => {
  it('guesses a stream it does not hold is new', () => {
    const cache = new StreamViewCache();
    expect(cache.guess('s-1', counter)).toEqual({
      decider: counter,
      state: 0,
      revision: null,
      position: -1n,
      recordedAt: null,
      applied: new Map(),
    });
  });

  it('hands back the view it keeps, only to the decider that folded it', () => {
    const cache = new StreamViewCache();
    cache.keep('s-1', viewWith(7, ['c-1']));
    expect(cache.guess('s-1', counter).state).toBe(7);
    expect(cache.guess('s-1', other).revision).toBeNull();
    cache.forget('s-1');
    expect(cache.guess('s-1', counter).revision).toBeNull();
  });

  it('drops the least recently used stream beyond its stream limit', () => {
    const cache = new StreamViewCache(2, 100);
    cache.keep('s-1', viewWith(1, ['a']));
    cache.keep('s-2', viewWith(2, ['b']));
    cache.guess('s-1', counter); // s-2 is now the least recently used
    cache.keep('s-3', viewWith(3, ['c']));
    expect(cache.size).toBe(2);
    expect(cache.guess('s-1', counter).state).toBe(1);
    expect(cache.guess('s-2', counter).revision).toBeNull();
    expect(cache.guess('s-3', counter).state).toBe(3);
  });

  it('drops streams beyond its applied-command limit, counting a re-kept stream once', () => {
    const cache = new StreamViewCache(10, 4);
    cache.keep('s-1', viewWith(1, ['a', 'b']));
    cache.keep('s-1', viewWith(1, ['a', 'b', 'c']));
    expect(cache.size).toBe(1);
    cache.keep('s-2', viewWith(2, ['d', 'e']));
    expect(cache.size).toBe(1);
    expect(cache.guess('s-1', counter).revision).toBeNull();
    expect(cache.guess('s-2', counter).state).toBe(2);
  });
});
