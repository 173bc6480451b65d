import { SingleBar } from 'cli-progress';

/** Progress on stderr, only for a person at a terminal; scripts get clean stdout. */
export function progressBar(
  label: string,
  json: boolean,
): { update(value: number, total: number): void; stop(): void } {
  if (json || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} events | {duration_formatted}`,
    stream: process.stderr,
    hideCursor: true,
  });
  let started = false;
  return {
    update(value, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(Math.max(total, value));
      bar.update(value);
    },
    stop: () => started && bar.stop(),
  };
}

export function print(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
}
