// Recruitment: a funnel per campaign on ONE scale, with human stage names,
// drop-off percentages and withdrawal reasons; participation beneath.
import { $, chartBox, el, figures, table } from '../lib/dom.js';
import { percent, words } from '../lib/format.js';
import { bars } from '../charts/bars.js';
import { nothingYet } from './governance.js';

/** What happened between a stage and the one before it, in words. */
export function change(stage, previous) {
  if (!previous) return '';
  if (stage.dropOff > 0)
    return `−${stage.dropOff} (${percent(stage.dropOff, previous.count)} lost)`;
  if (stage.dropOff < 0) return `+${-stage.dropOff} without the step before`;
  return 'none lost';
}

function funnel(campaign, scaleMax) {
  const name = campaign.campaign ?? words(campaign.organisationKind);
  const entries = campaign.stages.map((s, i) => ({
    label: words(s.stage),
    value: s.count,
    note: i > 0 ? change(s, campaign.stages[i - 1]) : '',
  }));
  const reasons = Object.entries(campaign.withdrawalReasons ?? {});
  return el(
    'section',
    { class: 'funnel', 'data-campaign': name },
    el('h3', {}, `Campaign ${name}`),
    chartBox(
      `Funnel of ${name}`,
      bars({
        entries,
        scaleMax,
        title: `Recruitment funnel of ${name}: ${entries.map((e) => `${e.label} ${e.value}`).join(', ')}`,
        className: 'funnel-bars',
        centred: true,
      }),
    ),
    el(
      'p',
      {},
      reasons.length
        ? `Withdrew: ${reasons.map(([reason, n]) => `${words(reason)} ${n}`).join(', ')}.`
        : 'No withdrawals recorded.',
    ),
    figures(
      `${name} in figures`,
      table(
        `Recruitment funnel of ${name}`,
        ['Stage', 'People', 'Change from the stage before'],
        campaign.stages.map((s, i) => [
          words(s.stage),
          String(s.count),
          change(s, campaign.stages[i - 1]) || '—',
        ]),
        { class: 'funnel-table' },
      ),
    ),
  );
}

export async function renderRecruitment({ state, ticket, api, timeParams }) {
  const current = ticket('recruitment');
  const [report, participation] = await Promise.all([
    api('/v1/reports/recruitment-funnel', timeParams()),
    api('/v1/reports/participation', timeParams()),
  ]);
  if (!current()) return;
  const campaigns = report.byCampaign ?? [];
  // One scale across every campaign: a bar of 1 is never drawn like a bar of 100.
  const scaleMax = Math.max(1, ...campaigns.flatMap((c) => c.stages.map((s) => s.count)));
  $('funnel').replaceChildren(
    campaigns.length
      ? el('p', { class: 'hint' }, `All funnels share one scale: a full bar is ${scaleMax} people.`)
      : el('p', { class: 'empty' }, nothingYet(state, 'nominations', 'had been made')),
    ...campaigns.map((c) => funnel(c, scaleMax)),
  );
  const groups = participation.groups ?? [];
  const most = Math.max(1, ...groups.map((g) => g.meetingsHeld));
  $('participation').replaceChildren(
    chartBox(
      'Meetings held per group',
      bars({
        entries: groups.map((g) => ({
          label: g.name,
          value: g.meetingsHeld,
          note: `of ${g.meetingsExpected} expected`,
        })),
        scaleMax: most,
        title: `Meetings held per group: ${groups.map((g) => `${g.name} ${g.meetingsHeld}`).join(', ')}`,
      }),
    ),
    figures(
      'Participation in figures',
      table(
        'Meetings held per group',
        ['Group', 'Meetings held', 'Expected from its cadence', 'Hours'],
        groups.map((g) => [
          g.name,
          String(g.meetingsHeld),
          String(g.meetingsExpected),
          String(g.hours),
        ]),
        { class: 'participation-table' },
      ),
    ),
  );
}
