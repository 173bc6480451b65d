import { assertNotBefore } from './business-time.js';
import { conflict, DomainError, notFound, rule } from './domain-error.js';

describe('domain errors take only declared codes of their own kind', () => {
  it('builds errors of the helper’s kind from declared codes', () => {
    expect(rule('lay_seats_full', 'full')).toMatchObject({ code: 'lay_seats_full', kind: 'rule' });
    expect(notFound('group_not_found', 'gone')).toMatchObject({
      code: 'group_not_found',
      kind: 'not_found',
    });
    expect(conflict('group_exists', 'taken')).toMatchObject({
      code: 'group_exists',
      kind: 'conflict',
    });
  });

  it('rejects undeclared codes and codes of another kind at compile time', () => {
    // Each line below is a type error (`npm run typecheck` covers spec files); if one
    // compiled, its @ts-expect-error would itself be an error.
    const refused = [
      // @ts-expect-error: declared nowhere
      () => rule('no_such_code', 'x'),
      // @ts-expect-error: group_not_found is declared as not_found
      () => rule('group_not_found', 'x'),
      // @ts-expect-error: group_exists is declared as conflict
      () => notFound('group_exists', 'x'),
      // @ts-expect-error: lay_seats_full is declared as rule
      () => conflict('lay_seats_full', 'x'),
      // @ts-expect-error: assertNotBefore refuses with a declared rule code only
      () => assertNotBefore('2014-01-01', '2014-02-01', 'before_something', 'something'),
    ];
    // At run time the helpers do not check: the declarations are types and tests.
    const made = refused.map((make) => {
      try {
        return make();
      } catch (error) {
        return error;
      }
    });
    for (const error of made) expect(error).toBeInstanceOf(DomainError);
  });
});
