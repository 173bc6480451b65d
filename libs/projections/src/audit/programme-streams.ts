import type Database from 'better-sqlite3';
import type { ProgrammeScope } from '../reports/programme-scope.js';

/**
 * Which streams of the log belong to one programme, as the read models know
 * it: the programme's own stream, its groups and partners (ProgrammeScope),
 * the elections held on its groups, and the feedback it holds (heard by one
 * of its groups, raised by one of its partners, or cited by one of its
 * decisions — ProgrammeScope.holdsFeedback). Built once per request, so a
 * stream created after it is not counted.
 */
export function programmeStreams(
  db: Database.Database,
  scope: ProgrammeScope,
): (streamId: string) => boolean {
  const electionGroups = new Map(
    db
      .prepare<[], { election_id: string; group_id: string }>(
        'SELECT election_id, group_id FROM el_elections',
      )
      .all()
      .map((row) => [row.election_id, row.group_id]),
  );
  const citations = new Map<string, Array<{ groupId: string }>>();
  for (const row of db
    .prepare<[], { feedback_id: string; group_id: string }>(
      'SELECT feedback_id, group_id FROM inf_citations',
    )
    .all()) {
    const cited = citations.get(row.feedback_id) ?? [];
    cited.push({ groupId: row.group_id });
    citations.set(row.feedback_id, cited);
  }
  const feedback = new Set(
    db
      .prepare<[], { feedback_id: string; group_id: string | null; raised_by: string | null }>(
        'SELECT feedback_id, group_id, raised_by FROM inf_feedback',
      )
      .all()
      .filter((row) =>
        scope.holdsFeedback({
          groupId: row.group_id,
          raisedBy: row.raised_by,
          decisions: citations.get(row.feedback_id) ?? [],
        }),
      )
      .map((row) => row.feedback_id),
  );
  return (streamId) => {
    const dash = streamId.indexOf('-');
    const [category, id] = [streamId.slice(0, dash), streamId.slice(dash + 1)];
    switch (category) {
      case 'programme':
        return id === scope.programmeId;
      case 'group':
        return scope.hasGroup(id);
      case 'partner':
        return scope.hasPartner(id);
      case 'election': {
        const groupId = electionGroups.get(id);
        return groupId !== undefined && scope.hasGroup(groupId);
      }
      case 'feedback':
        return feedback.has(id);
      default:
        return false;
    }
  };
}
