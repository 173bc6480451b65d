/**
 * Runs tasks one at a time per key, concurrently across keys: used to
 * serialise work on one stream in-process (commands in the app, chained
 * appends in the hash-chaining store) while other streams proceed.
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
