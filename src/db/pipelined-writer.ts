/**
 * Runs writes one at a time, each while the caller goes on computing or reading: `write` waits for the
 * previous write, then starts this one and returns without waiting for it. Writes do not overlap one
 * another (two would contend for the same nodes' locks), only the caller's work.
 */
export class PipelinedWriter {
  private pending: Promise<void> = Promise.resolve();
  async write(start: () => Promise<void>): Promise<void> {
    await this.pending;
    const next = start();
    // A failure surfaces at the next write or drain; until then it must not count as unhandled.
    next.catch(() => {});
    this.pending = next;
  }
  drain(): Promise<void> {
    return this.pending;
  }
}
