/** How every benchmark entry ends: its exit code, or 1 after a failure; SIGINT/SIGTERM and failures clean up first. */
export function runBenchmark(main: () => Promise<number>, cleanUp: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`bench: ${signal}: stopping\n`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  main().then(
    (code) => process.exit(code),
    async (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      await cleanUp();
      process.exit(1);
    },
  );
}
