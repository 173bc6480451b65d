import {
  commandDeclarations,
  errorKindStatus,
  streamCommands,
  type CommandType,
} from './commands.js';
import { everyCommandErrors } from './core/command-declaration.js';
import type { StreamCategory } from './core/streams.js';

/** The README section between these markers is generated (`npm run docs:domain`). */
export const COMMAND_TABLE_START =
  '<!-- commands:start: generated from <stream>.commands.ts by `npm run docs:domain`; edit the declarations, not this table -->';
export const COMMAND_TABLE_END = '<!-- commands:end -->';

/** The commands, their events and error codes as markdown: one table per stream. */
export function renderCommandTable(): string {
  const common = Object.keys(everyCommandErrors)
    .map((code) => `\`${code}\``)
    .join(', ');
  const intro = `Codes are \`rule\` (${errorKindStatus.rule}) unless marked **${errorKindStatus.not_found}** or **${errorKindStatus.conflict}**. Every command can also fail with ${common}.`;
  const sections = (Object.keys(streamCommands) as StreamCategory[]).map((stream) => {
    const rows = (Object.keys(streamCommands[stream]) as CommandType[]).map((type) => {
      const { events, note, codes } = commandDeclarations[type];
      return [
        type,
        events.join(', ') + (note === null ? '' : `; ${note}`),
        codes
          .filter(({ code }) => !Object.hasOwn(everyCommandErrors, code))
          .map(({ code, kind }) =>
            kind === 'rule' ? code : `${code} **${errorKindStatus[kind]}**`,
          )
          .join(', '),
      ];
    });
    return [
      `### ${stream} (\`${stream}-<${stream}Id>\`)`,
      table(['command', 'event(s)', 'error codes'], rows),
    ].join('\n\n');
  });
  return [intro, ...sections].join('\n\n');
}

/** `readme` with the generated section replaced by the current table. */
export function withCommandTable(readme: string): string {
  const start = readme.indexOf(COMMAND_TABLE_START);
  const end = readme.indexOf(COMMAND_TABLE_END);
  if (start < 0 || end < start) {
    throw new Error(`The README needs the markers ${COMMAND_TABLE_START} … ${COMMAND_TABLE_END}`);
  }
  return (
    readme.slice(0, start + COMMAND_TABLE_START.length) +
    `\n\n${renderCommandTable()}\n\n` +
    readme.slice(end)
  );
}

/** A markdown table padded as Prettier pads it, so the README stays formatted. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
