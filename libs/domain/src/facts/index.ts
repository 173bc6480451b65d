/**
 * The facts one stream's decisions may know about another's: a small, published
 * view of each stream's state (a "standing"), how it is built from that state,
 * and the checks shared across streams. A stream folder imports another stream
 * only through this module (lint enforces it), so what crosses a stream
 * boundary is listed here and nowhere else.
 */
export {
  assertGroupActiveAt,
  decisionStanding,
  groupStanding,
  partnerInvolvement,
  type PartnerInvolvement,
  type DecisionStanding,
  type GroupStanding,
} from '../group/group.events.js';
export { partnerStanding, type PartnerStanding } from '../partner/partner.events.js';
export { electionResult, type ElectionResult } from '../election/election.events.js';
export { feedbackStanding, type FeedbackStanding } from '../feedback/feedback.events.js';
export {
  programmeStanding,
  resolveProgramme,
  roleLevelInForce,
  type ProgrammeStanding,
  type RoleProfileStanding,
} from '../programme/programme.events.js';
