/**
 * Event schema versions. Stored events never change; an upcaster reads an
 * old shape as the current one, so deciders and projections only ever see
 * the current shape. Every event's metadata carries `schemaVersion`.
 */
export interface Upcaster {
  type: string;
  fromVersion: number;
  upcast(data: unknown): unknown;
}

export class UpcasterRegistry {
  private readonly byType = new Map<string, Map<number, Upcaster>>();

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const upcaster of upcasters) this.register(upcaster);
  }

  register(upcaster: Upcaster): this {
    const chain = this.byType.get(upcaster.type) ?? new Map<number, Upcaster>();
    if (chain.has(upcaster.fromVersion)) {
      throw new Error(`Two upcasters for ${upcaster.type} v${upcaster.fromVersion}`);
    }
    chain.set(upcaster.fromVersion, upcaster);
    this.byType.set(upcaster.type, chain);
    return this;
  }

  /** The version writers use for `type` now: one past the last upcaster, or 1. */
  currentVersion(type: string): number {
    const chain = this.byType.get(type);
    return chain ? Math.max(...chain.keys()) + 1 : 1;
  }

  /** Reads `data` written at `version` as the current shape. Events without a version are v1. */
  upcast(
    type: string,
    version: number | undefined,
    data: unknown,
  ): { data: unknown; version: number } {
    let current = version ?? 1;
    let shaped = data;
    const chain = this.byType.get(type);
    for (let step = chain?.get(current); step; step = chain?.get(current)) {
      shaped = step.upcast(shaped);
      current += 1;
    }
    return { data: shaped, version: current };
  }
}
