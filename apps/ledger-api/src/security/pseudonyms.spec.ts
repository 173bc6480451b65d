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
            { seatId: 's1', partnerId: pseudonyms.of('ann'), partnerName: pseudonyms.of('ann') },
          ],
        },
      ],
      partner: { partnerId: pseudonyms.of('ann'), name: pseudonyms.of('ann') },
      meeting: { attendees: [pseudonyms.of('ann'), pseudonyms.of('bob')] },
    });
  });
});
