export interface ScenarioStep {
  description: string;
  method: 'POST';
  path: string;
  body: Record<string, unknown>;
  awaitConsequences?: boolean;
  /** 2: a fact the office learnt of late, sent after every wave-1 step. */
  wave?: 2;
}
export interface Scenario {
  name: string;
  expect: {
    funnel: {
      nominated: number;
      attendedWorkshop: number;
      expressedInterest: number;
      appointedToAdvisoryGroup: number;
    };
    forumMembers: number;
    workstreams: string[];
    electedLayCoChair: { groupId: string; partnerId: string };
    withdrawnAfterAppointment: string[];
  };
  steps: ScenarioStep[];
}
export function loadScenario(options: {
  baseUrl: string;
  apiKey?: string;
  scenario?: Scenario;
  log?: (line: string) => void;
  /** The steps' Idempotency-Key prefix (default `nwl-demo`); another scenario needs its own. */
  keyPrefix?: string;
}): Promise<{
  steps: number;
  replayed: number;
  position: number | null;
  /** The last instant of wave 1 as the ledger recorded it; null when the scenario has no wave 2. */
  firstRecordedUntil: string | null;
}>;
export function readScenario(): Scenario;
export const NOT_EMPTY: string;
