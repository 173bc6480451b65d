import { depthExceeds } from './body-depth.js';

describe('depthExceeds', () => {
  const nested = (levels: number): unknown => JSON.parse('['.repeat(levels) + ']'.repeat(levels));

  it('accepts scalars and bodies up to the limit', () => {
    expect(depthExceeds(undefined, 2)).toBe(false);
    expect(depthExceeds('text', 0)).toBe(false);
    expect(depthExceeds({ a: [1, { b: 2 }] }, 3)).toBe(false);
    expect(depthExceeds(nested(32), 32)).toBe(false);
  });

  it('refuses bodies beyond the limit, objects and arrays alike', () => {
    expect(depthExceeds({ a: [1, { b: 2 }] }, 2)).toBe(true);
    expect(depthExceeds(nested(33), 32)).toBe(true);
  });

  it('measures very deep bodies without recursion', () => {
    expect(depthExceeds(nested(200_000), 32)).toBe(true);
  });
});
