import { toCsv, toNdjson } from './csv.js';

describe('CSV and NDJSON exports', () => {
  it('quotes commas, quotes and newlines as RFC 4180 says', () => {
    expect(
      toCsv(
        ['a', 'b', 'c'],
        [
          { a: 'plain', b: 'with, comma', c: 'say "hi"\nbye' },
          { a: null, b: 3, c: ['x'] },
        ],
      ),
    ).toBe('a,b,c\r\nplain,"with, comma","say ""hi""\nbye"\r\n,3,"[""x""]"\r\n');
  });

  it('writes one JSON document per line', () => {
    expect(toNdjson([{ a: 1 }, { b: 'x' }])).toBe('{"a":1}\n{"b":"x"}\n');
    expect(toNdjson([])).toBe('');
  });
});
