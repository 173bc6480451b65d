// Dates in the page's locale (en-GB) and the words the page uses for the API's keys.
const LOCALE = 'en-GB';
const DAY = 86_400_000;
export { DAY };

/** 14 July 2014 */
export const longDate = (iso) =>
  iso
    ? new Date(iso).toLocaleDateString(LOCALE, {
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      })
    : '';
/** 14/07/2014 */
export const shortDate = (iso) =>
  iso
    ? new Date(iso).toLocaleDateString(LOCALE, {
        day: '2-digit',
        month: '2-digit',
        year: 'numeric',
        timeZone: 'UTC',
      })
    : '';
/** 14 Jul 2014 */
export const mediumDate = (iso) =>
  iso
    ? new Date(iso).toLocaleDateString(LOCALE, {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        timeZone: 'UTC',
      })
    : '';
/** 14 July 2014, 06:02:01 UTC — for instants that carry a time. */
export const instant = (iso) => {
  const date = new Date(iso);
  const time = date.toISOString().slice(11, 23);
  return time === '23:59:59.999' || time === '00:00:00.000'
    ? longDate(iso)
    : `${longDate(iso)}, ${time.endsWith('.000') ? time.slice(0, 8) : time} UTC`;
};

/**
 * Reads dd/mm/yyyy, optionally followed by hh:mm, hh:mm:ss or hh:mm:ss.sss (UTC). A date
 * alone means the end of that day. Returns an ISO instant, or null if the
 * text is not a real date (31/02/2014 is refused).
 */
export function parseUkDate(text, { endOfDay = true } = {}) {
  const match =
    /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*$/.exec(
      text,
    );
  if (!match) return null;
  const [d, m, y, hh, mm, ss, ms] = match
    .slice(1)
    .map((part, i) => (part === undefined ? undefined : i === 6 ? +part.padEnd(3, '0') : +part));
  const time = hh === undefined ? null : [hh, mm, ss ?? 0, ms ?? 0];
  if (time && (time[0] > 23 || time[1] > 59 || time[2] > 59)) return null;
  const at = Date.UTC(y, m - 1, d, ...(time ?? (endOfDay ? [23, 59, 59, 999] : [0, 0, 0, 0])));
  const date = new Date(at);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return null;
  return date.toISOString();
}

const WORDS = {
  nominated: 'Nominated',
  attendedWorkshop: 'Attended a workshop',
  expressedInterest: 'Expressed interest',
  appointed: 'Appointed',
  active: 'Still active',
  lay: 'Lay partner',
  ccg: 'CCG',
  'local-authority': 'Local authority',
  provider: 'Provider',
  'general-practice': 'General practice',
  'social-care': 'Social care',
  healthwatch: 'Healthwatch',
  charity: 'Charity',
  voluntary: 'Voluntary sector',
  'not-adopted': 'Not adopted',
  adopted: 'Adopted',
  adapted: 'Adapted',
  noted: 'Noted',
  'co-chair': 'Co-chair',
  seat: 'Seat',
  'programme-board': 'Programme board',
  'advisory-group': 'Advisory group',
  'early-adopter-site': 'Early adopter site',
  'embedding-partnerships': 'Embedding partnerships',
  'working-group': 'Working group',
};
/** A key as words: attendedWorkshop → "Attended a workshop", time-commitment → "Time commitment". */
export function words(key) {
  if (key === null || key === undefined || key === '') return 'Not recorded';
  if (WORDS[key]) return WORDS[key];
  const spaced = String(key)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[-_:]+/g, ' ')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** "38%" (whole per cent), or "–" without a base. */
export const percent = (part, whole) => (whole > 0 ? `${Math.round((100 * part) / whole)}%` : '–');

/** A person as the API names them (pseudonym for evaluators). */
export const person = (named) => named.partnerName ?? named.name ?? named.partnerId;
