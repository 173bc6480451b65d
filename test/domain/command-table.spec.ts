import {
  COMMAND_TABLE_END,
  COMMAND_TABLE_START,
  renderCommandTable,
  withCommandTable,
} from '@app/domain';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const readmePath = resolve(import.meta.dirname, '../../libs/domain/README.md');

describe('the commands table in libs/domain/README.md', () => {
  it('is the one generated from the declarations (run `npm run docs:domain` after changing them)', () => {
    const readme = readFileSync(readmePath, 'utf8');
    expect(readme).toContain(COMMAND_TABLE_START);
    expect(withCommandTable(readme)).toBe(readme);
  });

  it('lists each command with its events and codes, marking 404s and 409s', () => {
    const table = renderCommandTable();
    const row = table.split('\n').find((line) => line.startsWith('| HoldMeeting '));
    expect(row?.split('|').map((cell) => cell.trim())).toEqual([
      '',
      'HoldMeeting',
      'MeetingHeld',
      'group_not_found **404**, group_dissolved, meeting_exists **409**, invalid_duration, ' +
        'no_attendees, duplicate_attendance, meeting_before_group_established, attendee_not_seated',
      '',
    ]);
    expect(table).toContain('Every command can also fail with `occurred_in_future`.');
    expect(table).toContain('### election (`election-<electionId>`)');
  });

  it('keeps the prose around the markers and refuses a README without them', () => {
    const readme = `intro\n${COMMAND_TABLE_START}\nstale\n${COMMAND_TABLE_END}\noutro\n`;
    const updated = withCommandTable(readme);
    expect(updated.startsWith(`intro\n${COMMAND_TABLE_START}\n\n`)).toBe(true);
    expect(updated.endsWith(`\n\n${COMMAND_TABLE_END}\noutro\n`)).toBe(true);
    expect(updated).not.toContain('stale');
    expect(() => withCommandTable('no markers')).toThrow('needs the markers');
  });
});
