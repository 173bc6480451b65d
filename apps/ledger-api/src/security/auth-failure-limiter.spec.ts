import { AuthFailureLimiter } from './auth-failure-limiter.js';

describe('AuthFailureLimiter', () => {
  let clock = 0;
  const limiter = (limit: number) => new AuthFailureLimiter(limit, 60_000, () => clock);
  beforeEach(() => (clock = 1_000_000));

  it('locks an address out after `limit` failures until its window ends', () => {
    const failures = limiter(3);
    for (let i = 0; i < 3; i++) {
      expect(failures.lockoutOf('a')).toBeNull();
      failures.recordFailure('a');
    }
    expect(failures.lockoutOf('a')).toEqual({ limit: 3, retryAfterSeconds: 60 });
    expect(failures.lockoutOf('b')).toBeNull();
    clock += 45_500;
    expect(failures.lockoutOf('a')).toEqual({ limit: 3, retryAfterSeconds: 15 });
    clock += 14_500;
    expect(failures.lockoutOf('a')).toBeNull();
  });

  it('is off at 0', () => {
    const failures = limiter(0);
    for (let i = 0; i < 100; i++) failures.recordFailure('a');
    expect(failures.lockoutOf('a')).toBeNull();
  });

  it('tracks a bounded number of addresses', () => {
    const failures = limiter(1);
    for (let i = 0; i <= 10_000; i++) failures.recordFailure(`address-${i}`);
    expect(failures.lockoutOf('address-0')).toBeNull();
    expect(failures.lockoutOf('address-10000')).not.toBeNull();
  });
});
