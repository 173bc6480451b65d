export interface ScenarioStep {
  description: string;
  method: 'POST';
  path: string;
  body: Record<string, unknown>;
  awaitConsequences?: boolean;
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
}): Promise<{ steps: number; replayed: number; position: number | null }>;
export function readScenario(): Scenario;
export const NOT_EMPTY: string;
