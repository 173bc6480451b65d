import { fold, partnerDecider, type PartnerEvent } from '@app/domain';
import { PERSONAL_FIELDS } from '../../../../libs/event-store/src/privacy/personal-data-cipher.js';
import { newStreamView, StreamViewCache, type StreamView } from './stream-view-cache.js';

const counter = { initialState: () => 0 };
const other = { initialState: () => 0 };

const viewWith = (state: number, commandIds: string[]): StreamView<number> => ({
  ...newStreamView(counter),
  state,
  revision: BigInt(commandIds.length - 1),
  applied: new Map(
    commandIds.map((id, n) => [
      id,
      { revision: BigInt(n), position: BigInt(n), recordedAt: new Date(n) },
    ]),
  ),
});

describe('StreamViewCache', () => {
  it('guesses a stream it does not hold is new', () => {
    const cache = new StreamViewCache();
    expect(cache.guess('s-1', counter)).toEqual({
      decider: counter,
      state: 0,
      revision: null,
      position: -1n,
      recordedAt: null,
      applied: new Map(),
    });
  });

  it('hands back the view it keeps, only to the decider that folded it', () => {
    const cache = new StreamViewCache();
    cache.keep('s-1', viewWith(7, ['c-1']));
    expect(cache.guess('s-1', counter).state).toBe(7);
    expect(cache.guess('s-1', other).revision).toBeNull();
    cache.forget('s-1');
    expect(cache.guess('s-1', counter).revision).toBeNull();
  });

  it('drops the least recently used stream beyond its stream limit', () => {
    const cache = new StreamViewCache(2, 100);
    cache.keep('s-1', viewWith(1, ['a']));
    cache.keep('s-2', viewWith(2, ['b']));
    cache.guess('s-1', counter); // s-2 is now the least recently used
    cache.keep('s-3', viewWith(3, ['c']));
    expect(cache.size).toBe(2);
    expect(cache.guess('s-1', counter).state).toBe(1);
    expect(cache.guess('s-2', counter).revision).toBeNull();
    expect(cache.guess('s-3', counter).state).toBe(3);
  });

  it('drops streams beyond its applied-command limit, counting a re-kept stream once', () => {
    const cache = new StreamViewCache(10, 4);
    cache.keep('s-1', viewWith(1, ['a', 'b']));
    cache.keep('s-1', viewWith(1, ['a', 'b', 'c']));
    expect(cache.size).toBe(1);
    cache.keep('s-2', viewWith(2, ['d', 'e']));
    expect(cache.size).toBe(1);
    expect(cache.guess('s-1', counter).revision).toBeNull();
    expect(cache.guess('s-2', counter).state).toBe(2);
  });
});

describe('what a view holds', () => {
  it('holds no personal field of any event that carries one, so erasing a person leaves nothing in memory', () => {
    const personal = {
      name: 'Ann Personal-Name',
      email: 'ann.personal@example.org',
      phone: '07700 900123',
      note: 'Moved away for family reasons',
    };
    const at = '2014-01-01T00:00:00.000Z';
    const nominated: PartnerEvent = {
      type: 'PartnerNominated',
      data: {
        partnerId: 'p-1',
        name: personal.name,
        email: personal.email,
        phone: personal.phone,
        nominatedBy: { organisation: 'Healthwatch', organisationKind: 'healthwatch' },
        programmeId: null,
        occurredAt: at,
      },
    };
    const registered: PartnerEvent = {
      type: 'PartnerRegistered',
      data: {
        partnerId: 'p-2',
        name: personal.name,
        email: personal.email,
        phone: personal.phone,
        organisation: 'Trust',
        constituency: 'provider',
        programmeId: null,
        occurredAt: at,
      },
    };
    const withdrew: PartnerEvent = {
      type: 'PartnerWithdrew',
      data: { partnerId: 'p-1', reason: 'personal', note: personal.note, occurredAt: at },
    };
    const covered = [nominated, registered, withdrew];
    // Every event type with personal fields is folded here; a new one must be added.
    expect(Object.keys(PERSONAL_FIELDS).sort()).toEqual(covered.map((e) => e.type).sort());
    const states = [
      fold(partnerDecider, [nominated, withdrew]),
      fold(partnerDecider, [registered]),
    ];
    const held = JSON.stringify(states);
    for (const [type, fields] of Object.entries(PERSONAL_FIELDS)) {
      for (const field of fields) {
        const value = personal[field as keyof typeof personal];
        expect({ type, field, held: held.includes(value) }).toEqual({ type, field, held: false });
      }
    }
  });
});
