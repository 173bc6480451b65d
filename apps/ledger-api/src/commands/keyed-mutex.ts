/**
 * Runs tasks one at a time per key, concurrently across keys. Commands on
 * one stream are serialised in-process, so concurrent requests for the same
 * group queue instead of failing each other's expected-revision checks;
 * the revision check still guards against other processes.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await current;
    } finally {
      // Forget the key once nothing is queued behind this task.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
