import { nomination, programmeBoard } from '../../../../test/support/fixtures.js';
import { bearer, startTestLedger, type TestLedger } from '../../../../test/support/test-ledger.js';
import { LiveFeed } from './live-feed.js';

const json = { 'content-type': 'application/json' };

describe('live events: every client fed by one shared subscription', () => {
  let ledger: TestLedger;
  let url: string;

  const post = async (path: string, body: unknown) =>
    (
      await ledger
        .http()
        .post(path)
        .set(json)
        .send(body as object)
        .expect(201)
    ).body as { position: number };

  /** A live client: its text so far, and a read until it has the event at `position`. */
  const open = async (role: 'auditor' | 'evaluator' | 'programme-office', after: number) => {
    const abort = new AbortController();
    const response = await fetch(`${url}/v1/events/live?after=${after}`, {
      signal: abort.signal,
      headers: bearer(role),
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    return {
      async until(position: number): Promise<string> {
        while (!text.includes(`id: ${position}\n`)) {
          const { value, done } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
        }
        return text;
      },
      close: () => abort.abort(),
    };
  };

  beforeAll(async () => {
    ledger = await startTestLedger();
    await ledger.app.listen(0, '127.0.0.1');
    url = await ledger.app.getUrl();
  });

  afterAll(async () => {
    await ledger.destroy();
  });

  it('sends clients of one view the same text, and frees their listeners when they leave', async () => {
    const start = (await post('/v1/groups', programmeBoard())).position;
    const roles = ['auditor', 'programme-office', 'evaluator'] as const;
    const clients = await Promise.all(
      Array.from({ length: 9 }, (_, i) => open(roles[i % 3]!, start)),
    );
    let head = start;
    for (const name of ['ann', 'bob', 'cat', 'dee'])
      head = (await post('/v1/partners/nominations', nomination(name, `${name} Example`))).position;
    const texts = await Promise.all(clients.map((c) => c.until(head)));

    const ids = (text: string) => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    for (const text of texts) {
      expect(ids(text)[0]).toBeGreaterThan(start);
      expect(ids(text)[ids(text).length - 1]).toBe(head);
      expect(ids(text)).toEqual(ids(texts[0]!));
    }
    // Office and auditor share a view; the evaluator's is pseudonymised.
    for (let i = 0; i < 9; i++) expect(texts[i]).toBe(texts[i % 3 === 2 ? 2 : 0]);
    expect(texts[0]).toContain('"stream":"partner-ann"');
    expect(texts[2]).not.toContain('partner-ann');

    const feed = ledger.app.get(LiveFeed);
    expect(feed.listenerCount).toBe(9);
    for (const c of clients) c.close();
    // The server learns of each disconnect from its socket: wait for it.
    for (let waited = 0; feed.listenerCount > 0 && waited < 10_000; waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(feed.listenerCount).toBe(0);
  });
});
