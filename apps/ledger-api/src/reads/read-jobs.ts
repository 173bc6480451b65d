import {
  EXPORT_COLUMNS,
  exportRows,
  gripp2Report,
  popoloMemberships,
  REPORT_CURRENCY,
  timePoint,
  toCsv,
  toNdjson,
  type ExportName,
  type ExportRows,
  type InfluenceStatus,
  type PartnerStatus,
  type PersonNames,
  type ReadContext,
  type TimePoint,
} from '@app/projections';
import { cursorKey, encodeCursor, keyedPage } from '../http/paging.js';
import { oneProgramme, perProgramme, programmeScopes } from '../http/programme-query.js';
import { answeredAt } from '../http/time-query.js';

/**
 * Who reads, when it is not the programme office's staff: evaluators see
 * pseudonyms (ADR 0010). Functions, so such reads are answered in process;
 * staff reads (no viewer) may go to a reader thread.
 */
export interface Viewer {
  names: PersonNames;
  /** A person's pseudonym. */
  pseudonymOf(partnerId: string): string;
  /** Rows with ids, names and personal detail pseudonymised (before they become text). */
  scrub<T>(rows: T): T;
}

/** The time point and programme every read below is for (the wait for `minPosition` done). */
interface At {
  at: TimePoint;
  programmeId?: string | undefined;
}

/** A read's time point as asked (validated): "now", the default, is taken when the read begins. */
export interface TimeQuery {
  asOf?: string | undefined;
  knownAt?: string | undefined;
}
interface Period {
  from: string | null;
  to: string | null;
}
/** Where a keyed page continues (a decoded cursor). */
type Key = NonNullable<ReturnType<typeof cursorKey>>;
interface Page {
  limit: number;
  /** The cursor as given (already checked to be one). */
  cursor?: string | undefined;
}

/**
 * The reads that are worth a reader thread (measured at 100k events: each
 * 50–700 ms and up to 2.6 MB of JSON alone on an idle app): everything a
 * controller does after validating the request and waiting for
 * `minPosition`. Each answers from the context alone, so it runs the same in
 * process and in a reader thread; it returns the body (an object, or the text
 * of a file).
 */
export const READ_JOBS = {
  gripp2(q: ReadContext, args: At & { period: Period }) {
    const scope = oneProgramme(q.scopes, args.programmeId);
    // Computed synchronously, so nothing is applied in between: the position is the one read.
    const report = gripp2Report(
      {
        reports: q.reports,
        governance: q.governance,
        influence: q.influence,
        clock: q.clock,
        involvement: q.involvement,
        programmes: q.programmes,
        elections: q.elections,
      },
      args.at,
      scope,
      args.period,
    );
    const read = q.readPosition();
    return {
      ...answeredAt(args.at),
      readPosition: read === null ? null : Number(read),
      ...report,
    };
  },

  export(
    q: ReadContext,
    args: At & { what: ExportName; format: 'csv' | 'ndjson' },
    viewer?: Viewer,
  ) {
    let rows = exportRows(
      args.what,
      q,
      args.at,
      viewer?.names,
      oneProgramme(q.scopes, args.programmeId),
    );
    if (viewer) rows = viewer.scrub(rows) as ExportRows;
    return args.format === 'csv' ? toCsv(EXPORT_COLUMNS[args.what], rows) : toNdjson(rows);
  },

  popolo(q: ReadContext, args: At & { everyMembership: boolean }, viewer?: Viewer) {
    // Without asOf: every membership ever held; with it, those begun by then.
    const body = popoloMemberships(
      q.governance,
      args.everyMembership ? args.at.knownAt : args.at,
      viewer?.names,
      oneProgramme(q.scopes, args.programmeId),
    );
    if (!viewer) return body;
    // The pseudonymising interceptor scrubs `partnerId`, `person_id` and names on the way
    // out; a Popolo person's `id` is the person too, so it gets the same pseudonym here.
    return {
      ...body,
      persons: body.persons.map((p) => ({ ...p, id: viewer.pseudonymOf(p.partnerId) })),
    };
  },

  funnel(q: ReadContext, args: At & { by: 'campaign' | 'organisation-kind' }) {
    return perProgrammeAt(q, args, (scope) => ({
      byCampaign: q.reports.recruitmentFunnel(args.at, args.by, scope),
      byOrganisationKind: q.reports.funnelByOrganisationKind(args.at, scope),
    }));
  },

  participation(q: ReadContext, args: At, viewer?: Viewer) {
    return perProgrammeAt(q, args, (scope) =>
      q.reports.participation(args.at, viewer?.names, scope),
    );
  },

  representation(q: ReadContext, args: At) {
    return {
      knownAt: new Date(args.at.knownAt).toISOString(),
      ...perProgramme(q.scopes, args.programmeId, (scope) =>
        q.reports.representation(args.at, true, scope),
      ),
    };
  },

  representationSeries(q: ReadContext, args: At & { from: string; to: string }) {
    return {
      from: args.from,
      to: args.to,
      interval: 'month',
      knownAt: new Date(args.at.knownAt).toISOString(),
      ...perProgramme(q.scopes, args.programmeId, (scope) => ({
        points: q.reports.representationSeries(args.from, args.to, args.at.knownAt, scope),
      })),
    };
  },

  expenses(q: ReadContext, args: At & { page: Page; after: Key | null }, viewer?: Viewer) {
    return perProgrammeAt(q, args, (scope) => {
      // Sums cover every claim; only the claim list comes a page at a time.
      const { report, next } = q.reports.expensesPage(args.at, viewer?.names, scope, {
        limit: args.page.limit,
        after: args.after,
      });
      return { ...report, next: next ? encodeCursor(next) : null };
    });
  },

  responseClock(q: ReadContext, args: At & { period: Period; page: Page; after: Key | null }) {
    return perProgrammeAt(q, args, (scope) => {
      // Summaries cover every item; only the item list comes a page at a time.
      const { clock, next } = q.clock.clockPage(args.at, scope, args.period, {
        limit: args.page.limit,
        after: args.after,
      });
      return { ...clock, next: next ? encodeCursor(next) : null };
    });
  },

  involvementCost(
    q: ReadContext,
    args: At & { period: Period; partnerId: string | null; page: Page },
    viewer?: Viewer,
  ) {
    const { from, to } = args.period;
    return {
      ...answeredAt(args.at),
      from,
      to,
      currency: REPORT_CURRENCY,
      ...perProgramme(q.scopes, args.programmeId, (scope) => {
        // Totals cover every partner; only a page of partners is listed (and rendered).
        let next: string | null = null;
        const select = (ids: readonly string[]) => {
          const page = keyedPage(ids, (id) => [id], args.page.limit, args.page.cursor);
          next = page.next;
          return new Set(page.items);
        };
        const {
          from: _f,
          to: _t,
          currency: _c,
          ...report
        } = q.involvement.report(
          args.at,
          { from, to, partnerId: args.partnerId, scope, select },
          viewer?.names,
        );
        return { ...report, next };
      }),
    };
  },

  influence(
    q: ReadContext,
    args: At & {
      groupId: string | null;
      partnerId: string | null;
      status: InfluenceStatus | null;
      channel: string | null;
      page: Page;
    },
    viewer?: Viewer,
  ) {
    const result = perProgramme(q.scopes, args.programmeId, (scope) =>
      q.influence.list(
        args.at,
        {
          ...(args.groupId ? { groupId: args.groupId } : {}),
          ...(args.partnerId ? { partnerId: args.partnerId } : {}),
          ...(args.status ? { status: args.status } : {}),
          ...(args.channel ? { channel: args.channel } : {}),
          programme: scope,
        },
        viewer?.names,
        { limit: args.page.limit, cursor: args.page.cursor || null },
      ),
    );
    return { ...answeredAt(args.at), ...result };
  },

  partners(
    q: ReadContext,
    args: At & { kind: string | null; status: PartnerStatus | null; page: Page },
    viewer?: Viewer,
  ) {
    const scope = args.programmeId ? programmeScopes(q.scopes, args.programmeId)[0] : null;
    const { partners, next } = q.partners.page(args.at, viewer?.names, {
      limit: args.page.limit,
      cursor: args.page.cursor || null,
      keep: (p) =>
        (!args.kind || p.kind === args.kind) &&
        (!args.status || p.status === args.status) &&
        (!scope || scope.hasPartner(p.partnerId)),
    });
    return { ...answeredAt(args.at), partners, next };
  },
};

/** An aggregate as of a time point, for one programme or per programme (never a union). */
function perProgrammeAt<T extends object>(
  q: ReadContext,
  args: At,
  answer: (scope: Parameters<Parameters<typeof perProgramme>[2]>[0]) => T,
) {
  return { ...answeredAt(args.at), ...perProgramme(q.scopes, args.programmeId, answer) };
}

export type ReadJobs = typeof READ_JOBS;
export type ReadJobName = keyof ReadJobs;
/** A job's arguments as sent: the time point as asked, not yet taken. */
export type ReadJobArgs<N extends ReadJobName> = Omit<Parameters<ReadJobs[N]>[1], 'at'> & {
  when: TimeQuery;
};
export type ReadJobResult<N extends ReadJobName> = ReturnType<ReadJobs[N]>;

/**
 * Runs a job, in whichever thread: the read's snapshot is begun first (the
 * position it reads), then "now" is taken, so every event the read sees was
 * recorded by its `knownAt`. Taken at dispatch instead, a read that waited
 * for a busy reader would find events recorded after its `knownAt` and fold
 * the facts instead of reading the kept rows (measured: 20–40× slower, which
 * lengthened the queue further).
 */
export function runReadJob<N extends ReadJobName>(
  q: ReadContext,
  job: N,
  args: ReadJobArgs<N>,
  viewer?: Viewer,
): ReadJobResult<N> {
  q.readPosition();
  const { when, ...rest } = args;
  const run = READ_JOBS[job] as (q: ReadContext, a: unknown, v?: Viewer) => ReadJobResult<N>;
  return run(q, { ...rest, at: timePoint(when) }, viewer);
}
