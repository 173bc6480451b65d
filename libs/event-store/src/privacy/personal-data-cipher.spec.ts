import { ERASED, PersonalDataCipher, UNREADABLE } from './personal-data-cipher.js';
import { PersonKeyStore } from './person-key.store.js';

describe('personal data cipher (AES-256-GCM, a key per person)', () => {
  const keys = new PersonKeyStore(':memory:');
  const cipher = new PersonalDataCipher(keys);
  const nominated = {
    partnerId: 'ann',
    name: 'Ann Example',
    email: 'ann@example.org',
    occurredAt: '2013-11-01T00:00:00.000Z',
  };
  afterAll(() => keys.close());

  it('encrypts only the personal fields, deterministically per event, and decrypts them', () => {
    const sealed = cipher.encrypt('PartnerNominated', 'e1', nominated) as Record<string, string>;
    expect(sealed.name).toMatch(/^enc:v1:/);
    expect(sealed.email).toMatch(/^enc:v1:/);
    expect(sealed.occurredAt).toBe(nominated.occurredAt);
    expect(JSON.stringify(sealed)).not.toContain('Ann');
    expect(cipher.encrypt('PartnerNominated', 'e1', nominated)).toEqual(sealed);
    expect(
      (cipher.encrypt('PartnerNominated', 'e2', nominated) as Record<string, string>).name,
    ).not.toBe(sealed.name);
    expect(cipher.decrypt('PartnerNominated', 'e1', sealed)).toEqual(nominated);
    expect(cipher.encrypt('SeatAllocated', 'e3', { partnerId: 'ann', seatId: 's' })).toEqual({
      partnerId: 'ann',
      seatId: 's',
    });
  });

  it('reads a field moved to another event, or altered, as unreadable', () => {
    const sealed = cipher.encrypt('PartnerNominated', 'e1', nominated) as Record<string, string>;
    expect(
      (cipher.decrypt('PartnerNominated', 'other-event', sealed) as Record<string, string>).name,
    ).toBe(UNREADABLE);
    const name = sealed.name!;
    const flipped = {
      ...sealed,
      name: name.slice(0, -4) + (name.endsWith('AAAA') ? 'BBBB' : 'AAAA'),
    };
    expect((cipher.decrypt('PartnerNominated', 'e1', flipped) as Record<string, string>).name).toBe(
      UNREADABLE,
    );
  });

  it('after the key is destroyed reads as erased, and never makes a new key for that person', () => {
    const sealed = cipher.encrypt('PartnerNominated', 'e1', nominated);
    keys.destroy('ann');
    expect(cipher.decrypt('PartnerNominated', 'e1', sealed)).toMatchObject({
      name: ERASED,
      email: ERASED,
    });
    expect(cipher.encrypt('PartnerNominated', 'e9', nominated)).toMatchObject({ name: ERASED });
    expect(keys.keyFor('ann')).toBeNull();
    expect(keys.isDestroyed('ann')).toBe(true);
  });
});
