import type { RecordedEvent } from '@app/event-store';

/** Display names for ids, as the reader may see them (names, or pseudonyms for evaluators). */
export interface NameLookup {
  partner(partnerId: string): string;
  group(groupId: string): string;
}

type Data = Record<string, unknown>;
const str = (data: Data, key: string) =>
  typeof data[key] === 'string' ? (data[key] as string) : '';
const list = (data: Data, key: string) =>
  Array.isArray(data[key]) ? (data[key] as unknown[]).length : 0;
const pounds = (pence: unknown) =>
  typeof pence === 'number' ? `£${(pence / 100).toFixed(2)}` : 'an amount';

const money = (d: Data) =>
  d.currency === undefined || d.currency === 'GBP'
    ? pounds(d.amountPence)
    : `${typeof d.amountPence === 'number' ? (d.amountPence / 100).toFixed(2) : 'an amount'} ${str(d, 'currency')}`;

/**
 * One plain-language line per event, for people reading the timeline:
 * "Lay partner Aisha Evans elected co-chair of Provider Networks".
 */
export function describeEvent(event: RecordedEvent, names: NameLookup): string {
  const d = (event.data ?? {}) as Data;
  const partner = () => names.partner(str(d, 'partnerId'));
  const group = () => names.group(str(d, 'groupId'));
  switch (event.type) {
    case 'ProgrammeLaunched':
      return `Programme "${str(d, 'name')}" launched across ${list(d, 'boroughs')} boroughs`;
    case 'RoleProfilePublished':
      return `${d.roleLevel ? `Role profile "${str(d, 'roleLevel')}"` : 'Lay partner role profile'} published (${d.paid ? 'paid' : 'unpaid'}, ${d.hoursPerMonth} hours a month)`;
    case 'NominationsRequested':
      return `Nominations requested from ${list(d, 'organisations')} organisations (${str(d, 'campaign')})`;
    case 'RecruitmentWorkshopHeld':
      return `Recruitment workshop held: ${d.attendees} attended`;
    case 'WithdrawalReasonsDefined':
      return `Withdrawal reasons defined (${list(d, 'reasons')} reasons)`;
    case 'ResponseTargetsSet':
      return `Response targets set: ${[
        typeof d.firstResponseDays === 'number'
          ? `first response within ${d.firstResponseDays} days`
          : null,
        typeof d.reportBackDays === 'number' ? `report back within ${d.reportBackDays} days` : null,
      ]
        .filter(Boolean)
        .join(', ')}`;
    case 'PrinciplesAdopted':
      return `Touchstone principles v${d.version} adopted by ${names.group(str(d, 'adoptedBy'))}`;
    case 'PartnerNominated':
      return `${partner()} nominated by ${str((d.nominatedBy ?? {}) as Data, 'organisation')}`;
    case 'PartnerRegistered':
      return `${partner()} registered (${str(d, 'organisation')}, ${str(d, 'constituency')})`;
    case 'WorkshopAttended':
      return `${partner()} attended the recruitment workshop`;
    case 'InterestExpressed':
      return `${partner()} expressed interest in going forward`;
    case 'PartnerAppointed':
      return `${partner()} appointed to the ${str(d, 'body') === 'forum' ? 'Lay Partners Forum' : 'Lay Partners Advisory Group'}`;
    case 'TrainingCompleted':
      return `${partner()} completed ${str(d, 'course') || 'training'}`;
    case 'PartnerWithdrew':
      return `${partner()} withdrew (${str(d, 'reason')})`;
    case 'InvolvementPaymentRecorded':
      return `Involvement payment of ${money(d)} made to ${partner()}`;
    case 'InvolvementPaymentDeclined':
      return `${partner()} declined an involvement payment of ${money(d)}`;
    case 'ExpenseClaimed':
      return `${partner()} claimed ${pounds(d.amountPence)} ${str(d, 'category')} expenses`;
    case 'ExpenseReimbursed':
      return `${partner()}'s expense claim reimbursed`;
    case 'ExpenseRejected':
      return `${partner()}'s expense claim rejected: ${str(d, 'reason')}`;
    case 'PersonalDataErased':
      return `Personal data of a partner erased`;
    case 'GroupEstablished':
      return `${str(d, 'name')} established (${str(d, 'kind')}, ${str(d, 'level')} level)`;
    case 'SeatAllocated':
      return `${str(d, 'constituency') === 'lay' ? 'Lay partner ' : ''}${partner()} took a ${str(d, 'constituency')} seat on ${group()}`;
    case 'SeatVacated':
      return `${partner()} left ${group()} (${str(d, 'reason')})`;
    case 'CoChairAppointed':
      return `${partner()} appointed ${str(d, 'constituency')} co-chair of ${group()}`;
    case 'CoChairElected':
      return `${str(d, 'constituency') === 'lay' ? 'Lay partner ' : ''}${partner()} elected co-chair of ${group()}`;
    case 'CoChairStoodDown':
      return `${partner()} stood down as co-chair of ${group()} (${str(d, 'reason')})`;
    case 'MeetingHeld':
      return `${group()} met: ${list(d, 'attendees')} attended, ${list(d, 'apologies')} apologies`;
    case 'DecisionRecorded':
      return `${group()} decided: ${str(d, 'summary')}${list(d, 'influencedBy') > 0 ? ` (influenced by ${list(d, 'influencedBy')} feedback item${list(d, 'influencedBy') === 1 ? '' : 's'})` : ''}`;
    case 'GroupDissolved':
      return `${group()} dissolved`;
    case 'CoChairElectionOpened':
      return `Election opened for the ${str(d, 'constituency')} co-chair of ${group()} (${list(d, 'electorate')} electors)`;
    case 'CandidateNominated':
      return `${partner()} stood as a candidate`;
    case 'VoterMarked':
      return `An elector voted`;
    case 'BallotCast':
      return `A ballot was cast`;
    case 'ElectionClosed':
      return str(d, 'outcome') === 'elected'
        ? `Election closed: ${names.partner(str(d, 'electedPartnerId'))} elected (turnout ${d.turnout})`
        : `Election closed: ${str(d, 'outcome')} (turnout ${d.turnout})`;
    case 'FeedbackHeard':
      return `${str(d, 'kind') || 'Feedback'} heard via ${str(d, 'channel')}: ${str(d, 'summary')}`;
    case 'FeedbackResponded':
      return `Feedback ${str(d, 'outcome')}${str(d, 'rationale') ? `: ${str(d, 'rationale')}` : ''}`;
    case 'FeedbackReportedBack':
      return `Result reported back (${str(d, 'how')})`;
    default:
      return event.type.replace(/([a-z])([A-Z])/g, '$1 $2');
  }
}

/** Fields that name the group an event concerns. */
const GROUP_FIELDS = ['groupId', 'adoptedBy'] as const;
/** Fields that name a partner the event concerns, and lists of partners. */
const PARTNER_FIELDS = ['partnerId', 'raisedBy', 'electedPartnerId', 'candidateId'] as const;
const PARTNER_LISTS = ['attendees', 'apologies', 'layMembersPresent', 'electorate'] as const;

/** Does the event concern this group or partner? (Feedback, meetings and elections included.) */
export function eventMentions(
  event: RecordedEvent,
  filter: { groupId?: string; partnerId?: string },
): boolean {
  const d = (event.data ?? {}) as Data;
  if (filter.groupId !== undefined) {
    const groups = GROUP_FIELDS.map((key) => d[key]);
    if (!groups.includes(filter.groupId)) return false;
  }
  if (filter.partnerId !== undefined) {
    const id = filter.partnerId;
    const people = PARTNER_FIELDS.map((key) => d[key]);
    const lists = PARTNER_LISTS.flatMap((key) =>
      Array.isArray(d[key]) ? (d[key] as unknown[]) : [],
    );
    if (!people.includes(id) && !lists.includes(id)) return false;
  }
  return true;
}

/**
 * Every group and partner id `eventMentions` would match the event by, each
 * once: what the timeline's index keeps per event.
 */
export function eventSubjects(event: RecordedEvent): { groups: string[]; partners: string[] } {
  const d = (event.data ?? {}) as Data;
  const groups: string[] = [];
  const partners: string[] = [];
  const add = (into: string[], value: unknown) => {
    if (typeof value === 'string' && !into.includes(value)) into.push(value);
  };
  for (const key of GROUP_FIELDS) add(groups, d[key]);
  for (const key of PARTNER_FIELDS) add(partners, d[key]);
  for (const key of PARTNER_LISTS) {
    const list = d[key];
    if (Array.isArray(list)) for (const value of list) add(partners, value);
  }
  return { groups, partners };
}
