import { UpcasterRegistry } from '../core/upcasting.js';
import { groupUpcasters } from './group.upcasters.js';

describe('group event upcasting', () => {
  const registry = new UpcasterRegistry(groupUpcasters);

  it('reads a v1 GroupEstablished as v2 with no programme on record', () => {
    expect(registry.upcast('GroupEstablished', 1, { groupId: 'g' })).toEqual({
      version: 2,
      data: { groupId: 'g', programmeId: null },
    });
  });

  it('leaves a current GroupEstablished alone', () => {
    const v2 = { groupId: 'g', programmeId: 'nwl' };
    expect(registry.upcast('GroupEstablished', 2, v2)).toEqual({ version: 2, data: v2 });
  });
});
