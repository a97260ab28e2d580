/**
 * Keeps the embedded Neo4j running: when the java process exits without being asked to (killed, out of
 * memory, crashed), it is started again on the same data dir and the same Bolt port, so the one Driver
 * of the server reconnects by itself. A restart waits for the old process to be gone (its store lock is
 * released by the kernel then); a store still locked, or the port taken, by someone else makes that
 * attempt fail, and it is tried again with backoff. After `maxFailures` failures in a row it gives up and
 * says so: the caller exits non-zero so that an outer supervisor (systemd, Kubernetes) takes over.
 */
import { startEmbeddedNeo4j, type EmbeddedNeo4j, type EmbeddedNeo4jOptions } from './embedded.ts';

export const restartPolicy = {
  /** Failed restarts in a row (a start that fails, or a Neo4j that dies again within stableMs) before giving up. */
  maxFailures: 5,
  /** Wait before the first restart; doubled after each failure: 1, 2, 4, 8, 16 s (about 31 s in all). */
  firstDelayMs: 1_000,
  maxDelayMs: 30_000,
  /** A Neo4j that ran this long before dying is a fresh incident: the failure count starts over. */
  stableMs: 60_000,
} as const;

export interface SupervisionEvents {
  /** Neo4j exited without being asked to; a restart follows in `restartInMs`. */
  onExit?(info: { pid: number; code: number | null; signal: string | null; restartInMs: number; failures: number }): void;
  onRestarted?(info: { pid: number; downMs: number; attempts: number }): void;
  onRestartFailed?(info: { error: string; failures: number; restartInMs: number }): void;
  /** No more restarts: Neo4j stays down. */
  onGiveUp?(info: { failures: number; error: string }): void;
}

export interface SupervisedNeo4j extends EmbeddedNeo4j {
  /** The pid of the java process running now (it changes with each restart). */
  readonly pid: number;
}

/** Starts the embedded Neo4j and supervises it until stop() (or until it gives up). */
export async function startSupervisedNeo4j(
  options: EmbeddedNeo4jOptions,
  events: SupervisionEvents,
  policy: typeof restartPolicy = restartPolicy,
): Promise<SupervisedNeo4j> {
  let current = await startEmbeddedNeo4j(options);
  let startedAt = Date.now();
  let stopping = false;
  /** Failures in a row; carried across restarts so that a Neo4j dying again and again soon after each start ends too. */
  let failures = 0;
  let restarting: Promise<void> | undefined;
  let resolveGone: (code: number | null) => void = () => {};
  const gone = new Promise<number | null>((resolve) => (resolveGone = resolve));

  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
  const delayFor = (failures: number) => Math.min(policy.firstDelayMs * 2 ** failures, policy.maxDelayMs);

  const watch = (instance: EmbeddedNeo4j): void => {
    void instance.exited.then(async (code) => {
      if (stopping) return resolveGone(code);
      const downSince = Date.now();
      failures = downSince - startedAt >= policy.stableMs ? 0 : failures + 1;
      const child = { pid: instance.pid, code, signal: code === null ? 'killed by a signal' : null };
      let delay = delayFor(failures);
      events.onExit?.({ ...child, restartInMs: delay, failures });
      let attempts = 0;
      restarting = (async () => {
        for (;;) {
          if (failures >= policy.maxFailures) {
            events.onGiveUp?.({ failures, error: `Neo4j did not stay up after ${attempts} restart(s)` });
            resolveGone(null);
            return;
          }
          await sleep(delay);
          if (stopping) return resolveGone(code);
          attempts += 1;
          try {
            const next = await startEmbeddedNeo4j(options);
            if (stopping) {
              await next.stop();
              return resolveGone(await next.exited);
            }
            current = next;
            startedAt = Date.now();
            events.onRestarted?.({ pid: next.pid, downMs: Date.now() - downSince, attempts });
            watch(next);
            return;
          } catch (error) {
            failures += 1;
            delay = delayFor(failures);
            const message = error instanceof Error ? error.message : String(error);
            if (failures >= policy.maxFailures) {
              events.onGiveUp?.({ failures, error: message });
              resolveGone(null);
              return;
            }
            events.onRestartFailed?.({ error: message, failures, restartInMs: delay });
          }
        }
      })();
      await restarting;
      restarting = undefined;
    });
  };
  watch(current);

  let stopped: Promise<void> | undefined;
  return {
    get boltUri() {
      return current.boltUri;
    },
    get user() {
      return current.user;
    },
    get password() {
      return current.password;
    },
    get pid() {
      return current.pid;
    },
    exited: gone,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        await restarting;
        await current.stop();
        resolveGone(await current.exited);
      })();
      return stopped;
    },
  };
}
