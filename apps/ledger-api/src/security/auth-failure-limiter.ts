/** Addresses tracked at once; beyond, the oldest window is forgotten first. */
const MAX_TRACKED = 10_000;

export interface Lockout {
  limit: number;
  retryAfterSeconds: number;
}

/**
 * Counts failed authentications (missing or wrong API key) per client
 * address in a fixed window. Once an address reaches `limit` failures, every
 * request it makes to a guarded route is refused until the window ends —
 * whatever key it sends, so that a right guess is not told apart from a
 * wrong one while locked out. `limit` 0 turns the limit off.
 */
export class AuthFailureLimiter {
  private readonly windows = new Map<string, { failures: number; endsAt: number }>();

  constructor(
    readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The lockout `address` is under, or null when it may try to authenticate. */
  lockoutOf(address: string): Lockout | null {
    if (this.limit === 0) return null;
    const window = this.current(address);
    if (!window || window.failures < this.limit) return null;
    return {
      limit: this.limit,
      retryAfterSeconds: Math.max(1, Math.ceil((window.endsAt - this.now()) / 1000)),
    };
  }

  recordFailure(address: string): void {
    if (this.limit === 0) return;
    const window = this.current(address);
    if (window) {
      window.failures += 1;
      return;
    }
    if (this.windows.size >= MAX_TRACKED) this.forgetExpiredOrOldest();
    this.windows.set(address, { failures: 1, endsAt: this.now() + this.windowMs });
  }

  private current(address: string) {
    const window = this.windows.get(address);
    if (window && window.endsAt <= this.now()) {
      this.windows.delete(address);
      return undefined;
    }
    return window;
  }

  private forgetExpiredOrOldest(): void {
    const now = this.now();
    for (const [address, window] of this.windows) {
      if (window.endsAt <= now) this.windows.delete(address);
    }
    // Maps iterate in insertion order: the first entry is the oldest window.
    if (this.windows.size >= MAX_TRACKED) {
      this.windows.delete(this.windows.keys().next().value!);
    }
  }
}
