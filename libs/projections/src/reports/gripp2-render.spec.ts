import { gripp2Html, gripp2Markdown, gripp2Value, type Gripp2Document } from './gripp2-render.js';
import {
  GRIPP2_EVALUATOR_NOTE,
  GRIPP2_FROM_LEDGER,
  GRIPP2_LONG_FORM,
  GRIPP2_SHORT_FORM,
  type Gripp2Figure,
} from './gripp2.js';

const figure = (overrides: Partial<Gripp2Figure>): Gripp2Figure => ({
  key: 'heard',
  label: 'Feedback heard',
  value: 8,
  unit: 'count',
  query: '/v1/reports/response-clock?programmeId=p',
  evidence: { auditQuery: '/v1/audit/events?programmeId=p&type=FeedbackHeard', positions: [3, 5] },
  ...overrides,
});

function doc(figures: Gripp2Figure[]): Gripp2Document {
  return {
    asOf: '2015-06-30T23:59:59.999Z',
    knownAt: '2016-01-01T00:00:00.000Z',
    readPosition: 42,
    programmeId: 'p',
    programmeName: 'Ours <& "theirs">',
    from: null,
    to: null,
    shortForm: GRIPP2_SHORT_FORM.map((item) => ({
      ...item,
      longForm: [...item.longForm],
      fromLedger: [],
      source: 'evaluator' as const,
    })),
    longForm: GRIPP2_LONG_FORM.map((item) =>
      item.id === '5b'
        ? { ...item, source: 'ledger' as const, basis: 'From the clock.', figures }
        : { ...item, source: 'evaluator' as const, basis: GRIPP2_EVALUATOR_NOTE, figures: [] },
    ),
    digest: {
      format: 'ledger-head-v1',
      keyId: 'k',
      position: 42,
      count: 42,
      hash: 'a'.repeat(64),
      recordedAt: null,
      sealedAt: '2016-01-01T00:00:00.000Z',
      signature: 'sig',
      publicKey: 'pem',
      verifyQuery: '/v1/audit/verify?digest=abc',
    },
  };
}

describe('GRIPP2 items and exports', () => {
  it('lists the long form by section, each id once, and the short form’s five items', () => {
    const ids = GRIPP2_LONG_FORM.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...new Set(GRIPP2_LONG_FORM.map((i) => i.section.split(' ')[0]))]).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);
    expect(GRIPP2_SHORT_FORM.map((i) => i.topic)).toEqual([
      'Aim',
      'Methods',
      'Study results',
      'Discussion and conclusions',
      'Reflections / critical perspective',
    ]);
    for (const id of GRIPP2_FROM_LEDGER) expect(ids).toContain(id);
  });

  it('prints each unit with the number first', () => {
    expect(gripp2Value(figure({ value: 15000, unit: 'pence' }))).toBe('15000 pence (£150.00)');
    expect(gripp2Value(figure({ value: 123456, unit: 'pence' }))).toBe('123456 pence (£1,234.56)');
    expect(gripp2Value(figure({ value: 5.45, unit: 'hours' }))).toBe('5.45 h');
    expect(gripp2Value(figure({ value: 0.875, unit: 'share' }))).toBe('0.875 (87.5 %)');
    expect(gripp2Value(figure({ value: null, unit: 'days' }))).toBe('—');
    expect(gripp2Value(figure({ value: null, unit: 'date', at: '2013-10-01' }))).toBe('2013-10-01');
  });

  it('escapes Markdown table cells and HTML text', () => {
    const f = figure({
      label: 'a | b <script>alert(1)</script>',
      breakdown: { 'x|y': 1, '<b>': 2 },
    });
    const md = gripp2Markdown(doc([f]));
    expect(md).toContain(
      '| a \\| b &lt;script&gt;alert(1)&lt;/script&gt; | 8 | x\\|y: 1; &lt;b&gt;: 2 |',
    );
    const html = gripp2Html(doc([f]));
    expect(html).not.toContain('<script>');
    expect(html).toContain('a | b &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain(
      '<title>GRIPP2 report — Ours &lt;&amp; &quot;theirs&quot;&gt; (p)</title>',
    );
    expect(html).toContain('href="/v1/audit/events?programmeId=p&amp;type=FeedbackHeard"');
  });

  it('marks the evaluator’s items and shows a long list of positions in part', () => {
    const many = figure({
      evidence: { auditQuery: '/v1/audit/events', positions: [...Array(20).keys()] },
    });
    const md = gripp2Markdown(doc([many]));
    expect(
      md.match(/> Not recorded in the ledger — to be written by the evaluator\./g),
    ).toHaveLength(GRIPP2_LONG_FORM.length - 1);
    expect(md).toContain('positions 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … (20 in all)');
    expect(
      gripp2Markdown(doc([figure({ evidence: { auditQuery: 'q', positions: null } })])),
    ).toContain('positions: see the query');
    const html = gripp2Html(doc([many]));
    expect(html.match(/class="evaluator"/g)).toHaveLength(GRIPP2_LONG_FORM.length - 1);
    expect(html).toContain('<tr data-figure="5b.heard">');
  });
});
