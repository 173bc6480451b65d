import { InvalidReadError, ProjectionBehindError } from './read-errors.js';
import { isPosition, parseInstant, timePoint } from './time-point.js';

describe('read parameters', () => {
  it('reads a date alone as the end of that day (UTC), an instant as given', () => {
    expect(parseInstant('asOf', '2014-03-01')).toBe(Date.parse('2014-03-01T23:59:59.999Z'));
    expect(parseInstant('asOf', '2014-03-01T10:00:00+01:00')).toBe(
      Date.parse('2014-03-01T09:00:00Z'),
    );
    expect(parseInstant('asOf', undefined)).toBeUndefined();
    expect(parseInstant('asOf', '')).toBeUndefined();
    expect(parseInstant('asOf', '2016-02-29')).toBe(Date.parse('2016-02-29T23:59:59.999Z'));
    expect(parseInstant('asOf', '0001-01-01')).toBe(Date.parse('0001-01-01T23:59:59.999Z'));
  });

  it('refuses impossible and loose dates with invalid_time, naming the parameter', () => {
    for (const value of [
      '2014-02-30T25:00:00Z',
      '2019-02-30',
      '2019-02-29',
      '2019-04-31T10:00:00Z',
      '0000-01-01',
      'yesterday',
      '1 March 2014',
      '2014-13-45',
    ]) {
      let error: unknown;
      try {
        parseInstant('knownAt', value);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidReadError);
      expect(error).toMatchObject({ code: 'invalid_time', details: { parameter: 'knownAt' } });
    }
  });

  it('defaults both halves of a time point to now', () => {
    const now = Date.parse('2015-06-01T12:00:00Z');
    expect(timePoint({}, now)).toEqual({ asOf: '2015-06-01T12:00:00.000Z', knownAt: now });
    expect(timePoint({ asOf: '2014-03-01' }, now)).toEqual({
      asOf: '2014-03-01T23:59:59.999Z',
      knownAt: now,
    });
  });

  it('takes whole non-negative numbers as positions', () => {
    expect(['0', '42', '999999999999999999'].every(isPosition)).toBe(true);
    expect(['-1', '1.5', '', '1e3', '9999999999999999999'].some(isPosition)).toBe(false);
  });

  it('says how far the read models got when a wait gives up', () => {
    const behind = new ProjectionBehindError('120', 99n);
    expect(behind).toMatchObject({
      code: 'projection_behind',
      details: { minPosition: '120', checkpoint: 99 },
    });
    expect(new ProjectionBehindError('5', null).details).toEqual({
      minPosition: '5',
      checkpoint: null,
    });
  });
});
