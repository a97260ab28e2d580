/**
 * Progress of a long load: a one-line bar with rate and ETA on a terminal, a plain line every few
 * seconds otherwise (CI logs, pipes). Writes to stderr so stdout stays machine-readable.
 */
export interface Progress {
  advance(count?: number): void;
  finish(): void;
}

export function createProgress(label: string, total: number | undefined, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  let done = 0;
  let lastDraw = 0;
  const interactive = Boolean(stream.isTTY);
  const minInterval = interactive ? 100 : 5_000;

  const line = (): string => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const rate = done / seconds;
    const parts = [`${label}: ${done}${total !== undefined ? `/${total}` : ''}`, `${rate.toFixed(0)}/s`];
    if (total !== undefined && rate > 0 && done < total) parts.push(`ETA ${formatSeconds((total - done) / rate)}`);
    if (interactive && total) {
      const width = 24;
      const filled = Math.round((done / total) * width);
      parts.unshift(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`);
    }
    return parts.join('  ');
  };
  const draw = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastDraw < minInterval) return;
    lastDraw = now;
    stream.write(interactive ? `\r${line()}\x1b[K` : `${line()}\n`);
  };

  return {
    advance(count = 1) {
      done += count;
      draw(false);
    },
    finish() {
      draw(true);
      if (interactive) stream.write('\n');
    },
  };
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
}
