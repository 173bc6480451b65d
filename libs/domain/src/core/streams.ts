/** Stream names, one function per category: never built inline. */
export const programmeStream = (id: string) => `programme-${id}`;
export const partnerStream = (id: string) => `partner-${id}`;
export const groupStream = (id: string) => `group-${id}`;
export const electionStream = (id: string) => `election-${id}`;
export const feedbackStream = (id: string) => `feedback-${id}`;

export type StreamCategory = 'programme' | 'partner' | 'group' | 'election' | 'feedback';

/** Splits `<category>-<id>`; ids may themselves contain dashes. */
export function parseStream(streamId: string): { category: string; id: string } {
  const dash = streamId.indexOf('-');
  return dash < 0
    ? { category: streamId, id: '' }
    : { category: streamId.slice(0, dash), id: streamId.slice(dash + 1) };
}
