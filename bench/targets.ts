/**
 * The figures issue 19 sets targets for, in the order the table shows them:
 * ratios to a limit measured in the same run first, then absolutes.
 */
export const FIGURE_TARGETS: ReadonlyArray<{
  key: string;
  label: string;
  /** `>=` or `<=` the target. */
  op: '>=' | '<=';
  target: number;
  kind: 'ratio' | 'absolute';
}> = [
  {
    key: 'append_ratio_to_floor_w1',
    label: 'appends, 1 writer ÷ fsync floor',
    op: '>=',
    target: 0.9,
    kind: 'ratio',
  },
  {
    key: 'append_ratio_to_ceiling_w256',
    label: 'appends, 256 writers ÷ batched ceiling',
    op: '>=',
    target: 0.5,
    kind: 'ratio',
  },
  {
    key: 'append_ratio_vs_emmett_w1',
    label: 'appends, 1 writer ÷ Emmett SQLite',
    op: '>=',
    target: 8,
    kind: 'ratio',
  },
  {
    key: 'rebuild_ratio_to_ledger_parse_ceiling',
    label: 'rebuild ÷ read + parse of the same ledger',
    op: '>=',
    target: 0.5,
    kind: 'ratio',
  },
  {
    key: 'http_command_ratio_to_bare_c16',
    label: 'POST /v1/feedback ÷ bare Fastify, 16 conn.',
    op: '>=',
    target: 0.6,
    kind: 'ratio',
  },
  {
    key: 'http_asof_scaling_c16',
    label: 'governance asOf req/s, 16 conn. ÷ 1',
    op: '>=',
    target: 1.6,
    kind: 'ratio',
  },
  {
    key: 'asof_p99_growth_1m_to_10m',
    label: 'asOf p99 at 10M ÷ at 1M events',
    op: '<=',
    target: 2,
    kind: 'ratio',
  },
  {
    key: 'rebuild_rss_growth_1m_to_10m',
    label: 'rebuild peak RSS at 10M ÷ at 1M events',
    op: '<=',
    target: 1.2,
    kind: 'ratio',
  },
  {
    key: 'http_command_p99_ms_c16',
    label: 'POST /v1/feedback p99, 16 conn. (ms)',
    op: '<=',
    target: 25,
    kind: 'absolute',
  },
  {
    key: 'decide_ms_5000_event_stream',
    label: 'one command on a 5,000-event group (ms)',
    op: '<=',
    target: 0.5,
    kind: 'absolute',
  },
  {
    key: 'rss_mb_1m_events',
    label: 'app RSS with the ledger loaded (MB; rss_events events)',
    op: '<=',
    target: 200,
    kind: 'absolute',
  },
  {
    key: 'soak_cmd_p99_ms_max_window',
    label: 'soak: command p99, worst window (ms)',
    op: '<=',
    target: 50,
    kind: 'absolute',
  },
  {
    key: 'soak_read_p99_ms_max_window',
    label: 'soak: read p99, worst window (ms)',
    op: '<=',
    target: 100,
    kind: 'absolute',
  },
  {
    key: 'soak_event_loop_p99_ms',
    label: 'soak: event-loop delay p99, worst window (ms)',
    op: '<=',
    target: 20,
    kind: 'absolute',
  },
  {
    key: 'soak_rss_slope_mb_per_min',
    label: 'soak: RSS slope after warm-up (MB/min)',
    op: '<=',
    target: 1,
    kind: 'absolute',
  },
  {
    key: 'soak_max_steady_cmd_per_s',
    label: 'soak: highest steady mixed rate (commands/s)',
    op: '>=',
    target: 60,
    kind: 'absolute',
  },
  {
    key: 'soak_cmd_only_max_per_s',
    label: 'soak: highest steady command-only rate (commands/s)',
    op: '>=',
    target: 60,
    kind: 'absolute',
  },
];

/** Whether `value` meets the target (null: not measured in this run). */
export function meets(
  value: number | null | undefined,
  op: '>=' | '<=',
  target: number,
): boolean | null {
  if (value === null || value === undefined) return null;
  return op === '>=' ? value >= target : value <= target;
}

/** The targets table: ratios, then absolutes, each with its value and whether it is met. */
export function ratioTable(figures: Readonly<Record<string, number | null>>): string {
  const rows = FIGURE_TARGETS.map((t) => {
    const value = figures[t.key];
    const met = meets(value, t.op, t.target);
    return [
      t.kind,
      t.key,
      t.label,
      value === null || value === undefined ? '–' : String(value),
      `${t.op} ${t.target}`,
      met === null ? 'n/a' : met ? 'met' : 'MISSED',
    ];
  });
  const header = ['', 'key', 'figure', 'value', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}
