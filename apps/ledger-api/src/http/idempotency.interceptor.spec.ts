import { canonicalJson } from './idempotency.interceptor.js';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    const a = { b: 1, a: { d: [{ y: 2, x: 1 }, 3], c: null } };
    const b = { a: { c: null, d: [{ x: 1, y: 2 }, 3] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":null,"d":[{"x":1,"y":2},3]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(canonicalJson({ d: [3, { x: 1, y: 2 }] })).not.toBe(
      canonicalJson({ d: [{ x: 1, y: 2 }, 3] }),
    );
  });

  it('writes scalars and null as JSON does', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson('x')).toBe('"x"');
    expect(canonicalJson([2, 1])).toBe('[2,1]');
  });
});
