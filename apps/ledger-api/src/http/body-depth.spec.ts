import { depthExceeds, illFormedStringAt } from './body-depth.js';

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

describe('illFormedStringAt', () => {
  it('accepts well-formed text, surrogate pairs (emoji) included', () => {
    expect(illFormedStringAt({ name: 'Ann 😀', tags: ['ü', 'שלום'], n: 1 })).toBeNull();
    expect(illFormedStringAt(undefined)).toBeNull();
  });

  it('names the first string holding a lone surrogate, in values and in keys', () => {
    expect(illFormedStringAt({ email: '\ud800@example.org' })).toBe('email');
    expect(illFormedStringAt({ a: [{ b: 'ok' }, { c: 'x\udfff' }] })).toBe('a[1].c');
    expect(illFormedStringAt({ ['k\ud83d']: 1 })).toBe('k\ud83d (a key)');
  });
});
