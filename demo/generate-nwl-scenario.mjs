#!/usr/bin/env node
// Writes demo/nwl-scenario.json: the design phase of North West London's Whole
// Systems Integrated Care programme (2013–2015) as the programme office would
// have recorded it, following ../shared/seeds. The JSON is the scenario (data);
// this script only spares writing ~700 requests by hand. People are fictional.
// Run: node demo/generate-nwl-scenario.mjs
import { writeFileSync } from 'node:fs';

const steps = [];
const step = (description, path, body) => steps.push({ description, method: 'POST', path, body });
// Sagas act on some events (a withdrawal vacates seats, a closed election installs a co-chair):
// the loader waits until their consequences are recorded before the next step relies on them.
const awaitConsequences = () => (steps[steps.length - 1].awaitConsequences = true);
// The office learnt of some facts late: the loader records these (wave 2) after all the
// others, so "as the record stood" between the waves differs from the record now.
const recordedLate = () => (steps[steps.length - 1].wave = 2);
const day = (date) => `${date}T00:00:00.000Z`;

const P = 'nwl-wsic';
const BOROUGHS = [
  'Brent',
  'Ealing',
  'Hammersmith and Fulham',
  'Harrow',
  'Hillingdon',
  'Hounslow',
  'Kensington and Chelsea',
  'Westminster',
];
const FIRST = [
  'Aisha',
  'Ben',
  'Carmen',
  'Dev',
  'Elena',
  'Femi',
  'Grace',
  'Hassan',
  'Ines',
  'Jon',
  'Kavita',
  'Liam',
  'Maya',
  'Nadia',
  'Omar',
  'Priya',
  'Quentin',
  'Rosa',
  'Sam',
  'Tariq',
  'Uma',
  'Victor',
  'Wen',
  'Xavier',
  'Yasmin',
  'Zane',
  'Abel',
  'Bea',
  'Cyril',
  'Dina',
];
const LAST = [
  'Adeyemi',
  'Brooks',
  'Chowdhury',
  'Da Silva',
  'Evans',
  'Fitzgerald',
  'Gill',
  'Hughes',
  'Iqbal',
  'Jones',
  'Kowalski',
  'Lewis',
  'Mensah',
  'Novak',
  "O'Brien",
  'Patel',
  'Quinn',
  'Rahman',
  'Singh',
  'Thompson',
  'Usman',
  'Vasquez',
  'Walsh',
  'Xu',
  'Young',
  'Zielinski',
];
const name = (i) => `${FIRST[i % FIRST.length]} ${LAST[(i * 7 + 3) % LAST.length]}`;
const NOMINATORS = [
  ['Healthwatch Ealing', 'healthwatch'],
  ['Brent Carers Centre', 'charity'],
  ['Harrow Council Adult Social Care', 'social-care'],
  ['Central London CCG', 'ccg'],
  ['Hounslow Patient Participation Group', 'patient-participation-group'],
  ['Age UK Westminster', 'charity'],
  ['The Limes Surgery, Hillingdon', 'general-practice'],
  ['Healthwatch Hammersmith and Fulham', 'healthwatch'],
];

// ---- the programme, October 2013 -------------------------------------------------
step(
  'NWL is selected as an Integration Pioneer and launches Whole Systems Integrated Care',
  '/v1/programmes',
  {
    programmeId: P,
    name: 'North West London Whole Systems Integrated Care',
    boroughs: BOROUGHS,
    occurredAt: day('2013-10-01'),
  },
);
step(
  'The lay partner role profile is published: unpaid, expenses reimbursed',
  `/v1/programmes/${P}/role-profiles`,
  {
    meetingsPerMonth: 4,
    hoursPerMonth: 16,
    paid: false,
    expensesReimbursed: true,
    summary:
      'Lay partners co-design the integrated care system as equal partners: fortnightly working groups, papers to read, and a shared vision rather than a single issue.',
    occurredAt: day('2013-10-08'),
  },
);
step(
  'Nominations are requested from social care, general practice, charities, CCGs and Healthwatch',
  `/v1/programmes/${P}/nomination-requests`,
  {
    campaign: 'design-phase-2013',
    organisations: NOMINATORS.map(([n, kind]) => ({ name: n, kind })),
    occurredAt: day('2013-10-10'),
  },
);

// ---- governance structure ------------------------------------------------------
// Every group and partner names the programme, so the scenario loads into a ledger
// that already runs other programmes (the API infers it only when there is one).
const group = (groupId, fields) =>
  step(`Group established: ${fields.name}`, '/v1/groups', { groupId, programmeId: P, ...fields });
group('programme-board', {
  name: 'Programme Board',
  kind: 'programme-board',
  level: 'programme',
  parentGroupId: null,
  cadence: 'monthly',
  laySeats: { min: 2, max: 2 },
  coChairConstituencies: ['ccg', 'local-authority'],
  occurredAt: day('2013-10-01'),
});
const WORKSTREAMS = [
  ['populations-outcomes', 'Populations and Outcomes'],
  ['gp-networks', 'GP Networks'],
  ['provider-networks', 'Provider Networks'],
  ['commissioning-finance', 'Commissioning and Finance'],
  ['informatics', 'Informatics'],
];
for (const [id, n] of WORKSTREAMS) {
  group(id, {
    name: n,
    kind: 'workstream',
    level: 'programme',
    parentGroupId: 'programme-board',
    cadence: 'fortnightly',
    laySeats: { min: 2, max: 2 },
    coChairConstituencies: ['ccg', 'local-authority'],
    occurredAt: day('2013-11-04'),
  });
}
group('embedding-partnerships', {
  name: 'Embedding Partnerships',
  kind: 'embedding-partnerships',
  level: 'programme',
  parentGroupId: 'programme-board',
  cadence: 'monthly',
  laySeats: { min: 2, max: 6 },
  coChairConstituencies: ['lay', 'provider'],
  occurredAt: day('2013-11-04'),
});
group('lay-advisory-group', {
  name: 'Lay Partners Advisory Group',
  kind: 'advisory-group',
  level: 'programme',
  parentGroupId: 'embedding-partnerships',
  cadence: 'fortnightly',
  laySeats: { min: 15, max: 25 },
  coChairConstituencies: [],
  occurredAt: day('2013-12-02'),
});
group('lay-forum', {
  name: 'Lay Partners Forum',
  kind: 'forum',
  level: 'programme',
  parentGroupId: 'embedding-partnerships',
  cadence: 'quarterly',
  laySeats: { min: 0, max: 150 },
  coChairConstituencies: [],
  occurredAt: day('2014-01-13'),
});

// ---- professionals and their co-chairs -------------------------------------------
const professionals = [];
const professional = (partnerId, n, organisation, constituency, role) => {
  professionals.push(partnerId);
  step(`Professional registered: ${role}`, '/v1/partners', {
    partnerId,
    name: n,
    organisation,
    constituency,
    role,
    programmeId: P,
    occurredAt: day('2013-10-01'),
  });
};
const seatAndChair = (groupId, partnerId, constituency, date) => {
  step(`Seat on ${groupId} for ${partnerId}`, `/v1/groups/${groupId}/seats`, {
    seatId: `${groupId}-${partnerId}`,
    partnerId,
    constituency,
    occurredAt: day(date),
  });
  step(
    `Co-chair of ${groupId}: ${partnerId} (${constituency})`,
    `/v1/groups/${groupId}/co-chairs`,
    { partnerId, constituency, occurredAt: day(date) },
  );
};
professional(
  'dr-ccg-chair',
  'Dr Helen Marsh',
  'Hammersmith and Fulham CCG',
  'ccg',
  'Clinical chair',
);
professional(
  'la-director',
  'Robert Kaye',
  'Ealing Council',
  'local-authority',
  'Director of Adult Social Services',
);
seatAndChair('programme-board', 'dr-ccg-chair', 'ccg', '2013-10-01');
seatAndChair('programme-board', 'la-director', 'local-authority', '2013-10-01');
WORKSTREAMS.forEach(([id, n], i) => {
  professional(
    `${id}-clinical-lead`,
    `Dr ${name(40 + i)}`,
    `${BOROUGHS[i]} CCG`,
    'ccg',
    `Senior doctor, chair of ${n}`,
  );
  professional(
    `${id}-la-lead`,
    name(50 + i),
    `${BOROUGHS[i + 3]} Council`,
    'local-authority',
    `Local authority lead, ${n}`,
  );
  seatAndChair(id, `${id}-clinical-lead`, 'ccg', '2013-11-04');
  seatAndChair(id, `${id}-la-lead`, 'local-authority', '2013-11-04');
});
professional(
  'ep-founding-chair',
  'Dr Margaret Hale',
  'Imperial College Healthcare NHS Trust',
  'provider',
  'Retired doctor, programme lead for patient engagement',
);
seatAndChair('embedding-partnerships', 'ep-founding-chair', 'provider', '2013-11-04');

// ---- recruitment: 40 at the workshop → 25 interested → 15 active ----------------------
const lay = Array.from({ length: 40 }, (_, i) => `lp-${String(i + 1).padStart(2, '0')}`);
lay.forEach((partnerId, i) => {
  const [organisation, organisationKind] = NOMINATORS[i % NOMINATORS.length];
  step(`Lay partner nominated by ${organisation}`, '/v1/partners/nominations', {
    partnerId,
    name: name(i),
    email: `${partnerId}@example.org`,
    nominatedBy: { organisation, organisationKind },
    campaign: 'design-phase-2013',
    programmeId: P,
    occurredAt: day(`2013-10-${String(14 + (i % 14)).padStart(2, '0')}`),
  });
});
step('Recruitment workshop: forty people attend', `/v1/programmes/${P}/workshops`, {
  workshopId: 'recruitment-workshop-2013',
  attendees: 40,
  campaign: 'design-phase-2013',
  occurredAt: day('2013-11-12'),
});
for (const partnerId of lay)
  step(`${partnerId} attends the workshop`, `/v1/partners/${partnerId}/workshop-attendance`, {
    workshopId: 'recruitment-workshop-2013',
    occurredAt: day('2013-11-12'),
  });
const interested = lay.slice(0, 25);
for (const partnerId of interested)
  step(`${partnerId} expresses interest`, `/v1/partners/${partnerId}/interest`, {
    occurredAt: day('2013-11-19'),
  });
const core = interested.slice(0, 15);
interested.slice(15).forEach((partnerId, i) => {
  step(`${partnerId} withdraws before appointment`, `/v1/partners/${partnerId}/withdrawal`, {
    reason: i < 6 ? 'time-commitment' : 'no-remuneration',
    note: i < 6 ? 'Could not commit to fortnightly meetings' : 'Felt the role should be paid',
    occurredAt: day('2013-11-26'),
  });
});
for (const partnerId of core) {
  step(
    `${partnerId} appointed to the Lay Partners Advisory Group`,
    `/v1/partners/${partnerId}/appointment`,
    { body: 'advisory-group', occurredAt: day('2013-12-02') },
  );
  step(`${partnerId} seated on the Advisory Group`, '/v1/groups/lay-advisory-group/seats', {
    seatId: `lag-${partnerId}`,
    partnerId,
    constituency: 'lay',
    occurredAt: day('2013-12-02'),
  });
  step(`${partnerId} completes induction`, `/v1/partners/${partnerId}/training`, {
    course: 'Lay partner induction',
    occurredAt: day('2013-12-09'),
  });
}

// Lay pairs on every workstream and on the board; four on Embedding Partnerships.
const pairs = [
  ['programme-board', core[0], core[1]],
  ...WORKSTREAMS.map(([id], i) => [id, core[2 + 2 * i], core[3 + 2 * i]]),
];
for (const [groupId, a, b] of pairs) {
  for (const partnerId of [a, b]) {
    step(`Lay seat on ${groupId} for ${partnerId}`, `/v1/groups/${groupId}/seats`, {
      seatId: `${groupId}-${partnerId}`,
      partnerId,
      constituency: 'lay',
      occurredAt: day('2014-01-06'),
    });
  }
}
for (const partnerId of [core[12], core[13], core[14], core[0]]) {
  step(
    `Lay seat on Embedding Partnerships for ${partnerId}`,
    '/v1/groups/embedding-partnerships/seats',
    {
      seatId: `embedding-partnerships-${partnerId}`,
      partnerId,
      constituency: 'lay',
      occurredAt: day('2014-01-06'),
    },
  );
}

// ---- the Forum of about 100 ---------------------------------------------------------
const forum = Array.from({ length: 100 }, (_, i) => `fm-${String(i + 1).padStart(3, '0')}`);
forum.forEach((partnerId, i) => {
  const [organisation, organisationKind] = NOMINATORS[(i * 3) % NOMINATORS.length];
  step(`Forum member nominated by ${organisation}`, '/v1/partners/nominations', {
    partnerId,
    name: name(60 + i),
    nominatedBy: { organisation, organisationKind },
    campaign: 'forum-2014',
    programmeId: P,
    occurredAt: day('2013-12-16'),
  });
  step(`${partnerId} joins the Lay Partners Forum`, `/v1/partners/${partnerId}/appointment`, {
    body: 'forum',
    occurredAt: day('2014-01-13'),
  });
  step(`${partnerId} seated on the Forum`, '/v1/groups/lay-forum/seats', {
    seatId: `forum-${partnerId}`,
    partnerId,
    constituency: 'lay',
    occurredAt: day('2014-01-13'),
  });
});

// ---- working: meetings, the touchstone, feedback and its answers ------------------------
const meeting = (groupId, meetingId, attendees, apologies, date, minutes) =>
  step(`Meeting of ${groupId}`, `/v1/groups/${groupId}/meetings`, {
    meetingId,
    attendees,
    apologies,
    durationMinutes: minutes,
    occurredAt: day(date),
  });
WORKSTREAMS.forEach(([id], i) => {
  const [, a, b] = pairs[i + 1];
  ['2014-01-20', '2014-02-03', '2014-02-17', '2014-03-03'].forEach((date, m) =>
    meeting(
      id,
      `${id}-m${m + 1}`,
      m === 2 && i % 2 === 0
        ? [`${id}-clinical-lead`, a]
        : [`${id}-clinical-lead`, `${id}-la-lead`, a, b],
      m === 2 && i % 2 === 0 ? [b] : [],
      date,
      120,
    ),
  );
});
meeting(
  'programme-board',
  'board-2014-02',
  ['dr-ccg-chair', 'la-director', core[0], core[1]],
  [],
  '2014-02-25',
  180,
);

const touchstone = [
  'I can access my own health and social care data and correct any errors',
  'I can discuss and plan my care with a professional, focusing on my goals and concerns',
  'I know what I can do to keep myself as well and active as possible',
  'I know whom to contact and where to go when I need extra support',
  'I can make sure that the professionals who support me have access to my up to date health records and care plan',
  'I am regularly asked what I think about the care I am getting, I know that my feedback is listened to',
  'I know that when changes are being planned to my services, my input is sought and valued',
];
step(
  'The Programme Board adopts the lay partners’ “I” statements as the touchstone',
  `/v1/programmes/${P}/principles`,
  {
    version: 1,
    statements: touchstone,
    adoptedBy: 'programme-board',
    occurredAt: day('2014-02-25'),
  },
);

const forumMeetings = ['2014-03-10', '2014-06-09', '2014-09-08', '2014-12-08'];
forumMeetings.forEach((date, q) => {
  const present = forum.filter((_, i) => (i + q) % 3 !== 0).slice(0, 60 + q * 5);
  const away = forum.filter((_, i) => (i + q) % 3 === 0).slice(0, 10);
  meeting('lay-forum', `forum-q${q + 1}`, present, away, date, 150);
});
const FEEDBACK = [
  [
    'fb-care-plans',
    'idea',
    'Care plans should be owned by the person and shared across health and social care',
    'populations-outcomes',
    'adopted',
  ],
  [
    'fb-jargon',
    'challenge',
    'Papers are full of acronyms: lay partners cannot contribute if they cannot read them',
    'embedding-partnerships',
    'adopted',
  ],
  [
    'fb-carers',
    'concern',
    'Carers are missing from the population segments',
    'populations-outcomes',
    'adapted',
  ],
  [
    'fb-records',
    'feedback',
    'People want one record they can see and correct',
    'informatics',
    'adapted',
  ],
  [
    'fb-pay',
    'concern',
    'Lay partners should be paid for their time like other partners',
    'embedding-partnerships',
    'not-adopted',
  ],
  [
    'fb-gp-access',
    'feedback',
    'Evening GP access matters more than new buildings',
    'gp-networks',
    'noted',
  ],
  [
    'fb-budgets',
    'challenge',
    'Capitated budgets must not reward providers for doing less',
    'commissioning-finance',
    'adapted',
  ],
  [
    'fb-transport',
    'idea',
    'Community transport should be part of the provider network',
    'provider-networks',
    'adopted',
  ],
];
FEEDBACK.forEach(([feedbackId, kind, summary, groupId, outcome], i) => {
  const q = i % 3;
  step(`Forum feedback heard: ${summary}`, '/v1/feedback', {
    feedbackId,
    channel: 'forum',
    kind,
    summary,
    groupId: 'lay-forum',
    raisedBy: forum[i * 7],
    occurredAt: day(forumMeetings[q]),
  });
  const decided = outcome === 'adopted' || outcome === 'adapted';
  const decisionDate = ['2014-03-24', '2014-06-23', '2014-09-22'][q];
  if (decided) {
    const ws = pairs.find(([g]) => g === groupId);
    step(`Decision of ${groupId} citing the forum's feedback`, `/v1/groups/${groupId}/decisions`, {
      decisionId: `dec-${feedbackId}`,
      summary: `Changed in response to the Forum: ${summary.toLowerCase()}`,
      influencedBy: [feedbackId],
      layMembersPresent: ws ? [ws[1], ws[2]] : [core[12], core[13]],
      touchstoneVersion: 1,
      occurredAt: day(decisionDate),
    });
  }
  step(`Response to ${feedbackId}: ${outcome}`, `/v1/feedback/${feedbackId}/responses`, {
    responseId: `resp-${feedbackId}`,
    outcome,
    rationale:
      outcome === 'not-adopted'
        ? 'Lay partners are volunteers under NHS guidance; expenses and carer costs are reimbursed instead'
        : outcome === 'noted'
          ? 'Passed to the GP Networks workstream for the access review'
          : 'Reflected in the design',
    decisionId: decided ? `dec-${feedbackId}` : null,
    decisionGroupId: decided ? groupId : null,
    respondedBy: 'ep-founding-chair',
    occurredAt: day(decisionDate),
  });
  step(
    `Result reported back to the Forum: ${feedbackId}`,
    `/v1/feedback/${feedbackId}/report-back`,
    { how: 'Forum meeting and newsletter', occurredAt: day(forumMeetings[q + 1]) },
  );
});

// ---- the response clock: "you said, we did" within a fortnight, closed within a quarter ----
// Agreed with the Advisory Group at the start, entered late: as the record stood before
// wave 2, the clock runs against no target.
step(
  'Response targets: a first response within 14 days, reported back within 91',
  `/v1/programmes/${P}/response-targets`,
  { firstResponseDays: 14, reportBackDays: 91, occurredAt: day('2013-10-15') },
);
recordedLate();

// ---- an elected lay co-chair for Embedding Partnerships ------------------------------
const electorate = [core[12], core[13], core[14], core[0]];
step(
  'Election for the lay co-chair of Embedding Partnerships',
  '/v1/groups/embedding-partnerships/elections',
  {
    electionId: 'ep-lay-co-chair-2014',
    constituency: 'lay',
    electorate,
    occurredAt: day('2014-05-06'),
  },
);
for (const partnerId of [core[12], core[13]])
  step(`Candidate: ${partnerId}`, '/v1/elections/ep-lay-co-chair-2014/candidates', {
    partnerId,
    occurredAt: day('2014-05-07'),
  });
electorate.forEach((voterId, i) =>
  step('Ballot cast', '/v1/elections/ep-lay-co-chair-2014/ballots', {
    voterId,
    candidateId: i === 3 ? core[13] : core[12],
    occurredAt: day('2014-05-20'),
  }),
);
step(
  'Election closed: the membership elects a lay co-chair',
  '/v1/elections/ep-lay-co-chair-2014/close',
  { occurredAt: day('2014-05-21') },
);
awaitConsequences();

// ---- expenses: unpaid, but out-of-pocket costs reimbursed ------------------------------
core.slice(0, 8).forEach((partnerId, i) => {
  const claimId = `claim-${partnerId}-2014-02`;
  step(`${partnerId} claims travel expenses`, `/v1/partners/${partnerId}/expenses`, {
    claimId,
    amountPence: 1240 + i * 310,
    category: i % 4 === 3 ? 'caring' : 'travel',
    incurredOn: day('2014-02-17'),
    occurredAt: day('2014-02-21'),
  });
  if (i === 6)
    step('Claim rejected: no receipt', `/v1/partners/${partnerId}/expenses/${claimId}/rejection`, {
      reason: 'No receipt attached; resubmit with the ticket',
      occurredAt: day('2014-03-07'),
    });
  else
    step(
      `Claim reimbursed for ${partnerId}`,
      `/v1/partners/${partnerId}/expenses/${claimId}/reimbursement`,
      { occurredAt: day('2014-03-07') },
    );
});

// ---- withdrawals from the core, and replacements ---------------------------------------
step(`${core[4]} withdraws: the time commitment`, `/v1/partners/${core[4]}/withdrawal`, {
  reason: 'time-commitment',
  note: 'Fortnightly meetings alongside caring responsibilities',
  occurredAt: day('2014-07-14'),
});
awaitConsequences();
recordedLate(); // the vacancy noticed late: her seats stay filled until wave 2
step(`${core[9]} withdraws: no remuneration`, `/v1/partners/${core[9]}/withdrawal`, {
  reason: 'no-remuneration',
  occurredAt: day('2014-09-01'),
});
awaitConsequences();
const replacements = [
  ['lp-41', 'gp-networks', core[4]],
  ['lp-42', 'commissioning-finance', core[9]],
];
replacements.forEach(([partnerId, groupId], i) => {
  step(`Replacement nominated: ${partnerId}`, '/v1/partners/nominations', {
    partnerId,
    name: name(30 + i),
    email: `${partnerId}@example.org`,
    nominatedBy: { organisation: 'Brent Carers Centre', organisationKind: 'charity' },
    campaign: 'replacements-2014',
    occurredAt: day('2014-09-08'),
  });
  step(`${partnerId} appointed to the Advisory Group`, `/v1/partners/${partnerId}/appointment`, {
    body: 'advisory-group',
    occurredAt: day('2014-09-22'),
  });
  step(`${partnerId} seated on the Advisory Group`, '/v1/groups/lay-advisory-group/seats', {
    seatId: `lag-${partnerId}`,
    partnerId,
    constituency: 'lay',
    occurredAt: day('2014-09-22'),
  });
  step(`${partnerId} takes the vacated lay seat on ${groupId}`, `/v1/groups/${groupId}/seats`, {
    seatId: `${groupId}-${partnerId}`,
    partnerId,
    constituency: 'lay',
    occurredAt: day('2014-09-29'),
  });
  if (groupId === 'gp-networks') recordedLate(); // her replacement's seat, recorded after the fact
});

// ---- early adopters: borough-level groups, 2015 --------------------------------------
BOROUGHS.forEach((borough, i) => {
  const groupId = `early-adopter-${borough.toLowerCase().replaceAll(' ', '-')}`;
  group(groupId, {
    name: `${borough} early adopter`,
    kind: 'early-adopter-site',
    level: 'borough',
    parentGroupId: 'programme-board',
    borough,
    cadence: 'monthly',
    laySeats: { min: 2, max: 4 },
    coChairConstituencies: ['ccg', 'local-authority'],
    occurredAt: day('2015-01-12'),
  });
  for (const partnerId of [forum[i * 2], forum[i * 2 + 1]].slice(0, i % 3 === 2 ? 1 : 2)) {
    step(`Lay seat on ${groupId}`, `/v1/groups/${groupId}/seats`, {
      seatId: `${groupId}-${partnerId}`,
      partnerId,
      constituency: 'lay',
      occurredAt: day('2015-02-02'),
    });
  }
});

// ---- 2015: the lay co-chair role is paid; one payment is declined --------------------
// A second role level with its own profile (the lay partner's stays unpaid). Published
// after the early adopters' seats, which keep the lay-partner level.
step(
  'Role profile for lay co-chairs: an involvement payment per meeting chaired',
  `/v1/programmes/${P}/role-profiles`,
  {
    meetingsPerMonth: 2,
    hoursPerMonth: 10,
    paid: true,
    expensesReimbursed: true,
    summary:
      'Lay co-chairs share the chairing of a programme group with a professional co-chair, prepare agendas and meet the programme office between meetings.',
    roleLevel: 'lay-co-chair',
    involvementPayment: { amountPence: 15000, currency: 'GBP', per: 'meeting' },
    occurredAt: day('2015-03-02'),
  },
);
const coChair = core[12];
[
  ['made', '2015-03-31'],
  ['made', '2015-04-30'],
  ['declined', '2015-05-29'],
].forEach(([status, date], i) =>
  step(
    status === 'made'
      ? `Involvement payment to the lay co-chair of Embedding Partnerships (${date.slice(0, 7)})`
      : `The lay co-chair declines the ${date.slice(0, 7)} payment: it would affect their benefits`,
    `/v1/partners/${coChair}/involvement-payments${status === 'made' ? '' : '/declined'}`,
    {
      paymentId: `pay-ep-co-chair-${i + 1}`,
      amountPence: 15000,
      roleLevel: 'lay-co-chair',
      occurredAt: day(date),
    },
  ),
);

const scenario = {
  name: 'North West London Whole Systems Integrated Care — design phase and early adopters (2013–2015)',
  source:
    '../shared/seeds (IJIC 2014 abstract; Morton & Paice, IJIC 2016; WSIC toolkit, Embedding Partnerships)',
  expect: {
    funnel: {
      nominated: 40,
      attendedWorkshop: 40,
      expressedInterest: 25,
      appointedToAdvisoryGroup: 15,
    },
    forumMembers: 100,
    workstreams: WORKSTREAMS.map(([, n]) => n),
    electedLayCoChair: { groupId: 'embedding-partnerships', partnerId: core[12] },
    withdrawnAfterAppointment: [core[4], core[9]],
  },
  steps,
};
writeFileSync(
  new URL('./nwl-scenario.json', import.meta.url),
  `${JSON.stringify(scenario, null, 1)}\n`,
);
console.log(`wrote ${steps.length} steps`);
