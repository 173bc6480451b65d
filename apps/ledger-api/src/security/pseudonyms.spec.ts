import { randomBytes } from 'node:crypto';
import { Pseudonyms } from './pseudonyms.js';

describe('pseudonyms for evaluators', () => {
  const pseudonyms = new Pseudonyms(randomBytes(32));

  it('are stable per person, distinct between people, and depend on the key', () => {
    expect(pseudonyms.of('ann')).toBe(pseudonyms.of('ann'));
    expect(pseudonyms.of('ann')).not.toBe(pseudonyms.of('bob'));
    expect(pseudonyms.of('ann')).toMatch(/^P-[A-Za-z0-9_-]{12}$/);
    expect(new Pseudonyms(randomBytes(32)).of('ann')).not.toBe(pseudonyms.of('ann'));
  });

  it('scrub a response: ids and names become pseudonyms, contacts and notes go, structure stays', () => {
    const body = {
      groups: [
        {
          groupId: 'board',
          seats: [
            { seatId: 's1', partnerId: 'ann', partnerName: 'Ann Example', constituency: 'lay' },
          ],
          coChairs: [{ partnerId: 'bob', partnerName: 'Bob Example' }],
        },
      ],
      partner: {
        partnerId: 'ann',
        name: 'Ann Example',
        email: 'ann@example.org',
        phone: '0207',
        note: 'moving away',
      },
      meeting: { attendees: ['ann', 'bob'], apologies: [] },
    };
    const scrubbed = JSON.stringify(pseudonyms.scrub(body));
    for (const secret of [
      'ann',
      'Ann Example',
      'Bob Example',
      'ann@example.org',
      '0207',
      'moving away',
    ]) {
      expect(scrubbed).not.toContain(`"${secret}"`);
    }
    expect(pseudonyms.scrub(body)).toMatchObject({
      groups: [
        {
          groupId: 'board',
          seats: [
            {
              seatId: pseudonyms.idOf('seat', 's1'),
              partnerId: pseudonyms.of('ann'),
              partnerName: pseudonyms.of('ann'),
            },
          ],
        },
      ],
      partner: { partnerId: pseudonyms.of('ann'), name: pseudonyms.of('ann') },
      meeting: { attendees: [pseudonyms.of('ann'), pseudonyms.of('bob')] },
    });
  });

  it('give every office-chosen id its own kind of pseudonym, wherever it appears', () => {
    // A fixed key: the check below looks for short ids in the output, so the output is fixed too.
    const fixed = new Pseudonyms(Buffer.alloc(32, 7));
    const body = {
      tenures: [{ seatId: 'board-ann', electionId: 'lay-2014', partnerId: 'ann' }],
      claims: [{ claimId: 'claim-ann-1', partnerId: 'ann' }],
      decision: {
        decisionId: 'dec-1',
        meetingId: 'board-m1',
        influencedBy: ['fb-ann'],
        layMembersPresent: ['ann'],
      },
      response: { feedbackId: 'fb-ann', responseId: 'resp-ann', respondedBy: 'ann' },
      workshops: [{ workshopId: 'ann-home-visit' }],
      line: { stream: 'feedback-fb-ann' },
      row: { decisions: 'board/dec-1;forum/dec-2' },
    };
    const scrubbed = fixed.scrub(body);
    expect(JSON.stringify(scrubbed)).not.toMatch(/ann|dec-|board-m1|lay-2014/);
    expect(scrubbed).toMatchObject({
      tenures: [{ seatId: expect.stringMatching(/^S-/), electionId: expect.stringMatching(/^E-/) }],
      claims: [{ claimId: expect.stringMatching(/^C-/) }],
      decision: {
        decisionId: expect.stringMatching(/^D-/),
        meetingId: expect.stringMatching(/^M-/),
        influencedBy: [fixed.idOf('feedback', 'fb-ann')],
      },
      response: {
        feedbackId: fixed.idOf('feedback', 'fb-ann'),
        responseId: expect.stringMatching(/^R-/),
      },
      workshops: [{ workshopId: expect.stringMatching(/^W-/) }],
      line: { stream: `feedback-${fixed.idOf('feedback', 'fb-ann')}` },
      row: {
        decisions: `board/${fixed.idOf('decision', 'dec-1')};forum/${fixed.idOf('decision', 'dec-2')}`,
      },
    });
    // Kinds apart: the same text as a seat and as a claim are different fixed.
    expect(fixed.idOf('seat', 'x')).not.toBe(fixed.idOf('claim', 'x'));
    // People keep the pseudonyms they always had (HMAC of `person:<id>`).
    expect(fixed.of('ann')).toBe(fixed.idOf('partner', 'ann'));
    // Scrubbing twice changes nothing (a live event is pseudonymised at the source and again on the way out).
    expect(fixed.scrub(scrubbed)).toEqual(scrubbed);
  });

  it('resolve the pseudonyms they issued, of the kind asked for, and never a raw id', () => {
    const own = new Pseudonyms(randomBytes(32));
    const ann = own.of('ann');
    expect(own.resolve('partner', ann)).toBe('ann');
    expect(own.resolve('feedback', ann)).toBeUndefined();
    expect(own.resolve('partner', 'ann')).toBeUndefined();
    expect(own.resolve('partner', 'P-000000000000')).toBeUndefined();
  });

  it('resolve, after a restart, through the catalogue of ids the read models know, scanned once per version', () => {
    const key = randomBytes(32);
    const issued = new Pseudonyms(key);
    let version = 1;
    let scans = 0;
    const restarted = new Pseudonyms(key, {
      version: () => String(version),
      ids: function* () {
        scans++;
        yield ['partner', 'ann'] as const;
        yield ['feedback', 'fb-1'] as const;
        if (version > 1) yield ['election', 'lay-2014'] as const;
      },
    });
    expect(restarted.resolve('partner', issued.of('ann'))).toBe('ann');
    expect(restarted.resolve('feedback', issued.idOf('feedback', 'fb-1'))).toBe('fb-1');
    const election = issued.idOf('election', 'lay-2014');
    expect(restarted.resolve('election', election)).toBeUndefined();
    expect(restarted.resolve('election', election)).toBeUndefined();
    expect(scans).toBe(1);
    version = 2;
    expect(restarted.resolve('election', election)).toBe('lay-2014');
    expect(scans).toBe(2);
  });

  it('scrub text: ids replaced as whole tokens only', () => {
    const replaced = new Map([
      ['lp-1', 'P-aaaaaaaaaaaa'],
      ['board-lp-1', 'S-bbbbbbbbbbbb'],
    ]);
    expect(pseudonyms.scrubText('Partner lp-1 holds board-lp-1, not lp-13', replaced)).toBe(
      'Partner P-aaaaaaaaaaaa holds S-bbbbbbbbbbbb, not lp-13',
    );
  });

  it('redact free text: known names and ids quoted in it become pseudonyms, other words stay', () => {
    const withCatalogue = new Pseudonyms(randomBytes(32), {
      version: () => '1',
      ids: () => [
        ['partner', 'lp-01'] as const,
        ['seat', 'board-lp-01'] as const,
        ['claim', 'claim-7'] as const,
      ],
      names: () => [['lp-01', 'Aisha Da Silva'] as const, ['lp-02', 'Aisha Da'] as const],
    });
    const ann = withCatalogue.of('lp-01');
    expect(
      withCatalogue.redact(
        "Aisha Da Silva's seat board-lp-01, claim claim-7; lp-01 again; forum-lp-01-note; lp-012 not",
      ),
    ).toBe(
      `${ann}'s seat ${withCatalogue.idOf('seat', 'board-lp-01')}, claim ${withCatalogue.idOf('claim', 'claim-7')}; ${ann} again; forum-${ann}-note; lp-012 not`,
    );
    expect(withCatalogue.redact('Aisha Da came')).toBe(`${withCatalogue.of('lp-02')} came`);
    expect(withCatalogue.redact('nothing to see')).toBe('nothing to see');
    // Bodies: free-text fields are redacted, an error's details (which may echo a guess) are not.
    expect(withCatalogue.scrub({ summary: 'from lp-01' })).toEqual({ summary: `from ${ann}` });
    expect(withCatalogue.scrub({ message: 'lp-01' }, undefined, { echoes: true })).toEqual({
      message: 'lp-01',
    });
  });
});
