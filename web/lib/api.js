// The ledger's read API, with the reader's key from the tab's session storage.
export const KEY = 'engagement-ledger-key';

export class Unauthenticated extends Error {
  constructor() {
    super('That key was not accepted.');
  }
}

function address(path, params) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(params))
    if (value !== null && value !== undefined && value !== '') url.searchParams.set(name, value);
  return url;
}

async function get(path, params) {
  const response = await fetch(address(path, params), {
    headers: { authorization: `Bearer ${sessionStorage.getItem(KEY)}` },
  });
  if (response.status === 401) throw new Unauthenticated();
  return response;
}

/** A JSON read; a refusal becomes an Error carrying the API's message. */
export async function api(path, params = {}) {
  const response = await get(path, params);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message ?? `HTTP ${response.status}`);
  return body;
}

/** A file the API serves (an export): its body and the name its Content-Disposition gives. */
export async function apiFile(path, params = {}) {
  const response = await get(path, params);
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.message ?? `HTTP ${response.status}`);
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? null;
  return { blob: await response.blob(), name };
}

/** Every line of an NDJSON read, following its X-Next-After cursor page by page. */
export async function apiLines(path, params = {}, maxPages = 40) {
  const lines = [];
  let after = params.after;
  for (let page = 0; page < maxPages; page++) {
    const response = await get(path, { ...params, after, limit: params.limit ?? 5000 });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const text = await response.text();
    for (const line of text.split('\n')) if (line) lines.push(JSON.parse(line));
    after = response.headers.get('x-next-after');
    if (!after) break;
  }
  return lines;
}
