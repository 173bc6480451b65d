import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { BusinessTime } from './common.dto.js';

class Dated {
  @BusinessTime() occurredAt!: string;
}

const check = (occurredAt: unknown) => {
  const dto = plainToInstance(Dated, { occurredAt });
  return { value: dto.occurredAt, errors: validateSync(dto).length };
};

describe('business time at the edge', () => {
  it('stores dates and instants as canonical UTC instants', () => {
    expect(check('2014-03-01')).toEqual({ value: '2014-03-01T00:00:00.000Z', errors: 0 });
    expect(check('2014-03-01T10:00:00+01:00')).toEqual({
      value: '2014-03-01T09:00:00.000Z',
      errors: 0,
    });
    expect(check('2016-02-29')).toEqual({ value: '2016-02-29T00:00:00.000Z', errors: 0 });
  });

  it('refuses dates that do not exist instead of rolling them over', () => {
    for (const bad of [
      '2014-02-30',
      '2013-02-29',
      '2014-13-01',
      '2014-04-31',
      '1 March 2014',
      20140301,
      '',
    ]) {
      expect(check(bad).errors).toBe(1);
    }
  });
});
