/** Structured logs: one JSON object per line on stderr, so stdout stays free for a CLI's output. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let threshold: LogLevel = 'info';

export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

function write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
  if ((order[level] ?? 20) < (order[threshold] ?? 20)) return;
  const entry: Record<string, unknown> = { time: new Date().toISOString(), level, msg: message, ...fields };
  if (entry.error instanceof Error) {
    const error = entry.error;
    entry.error = { name: error.name, message: error.message, stack: error.stack };
  }
  process.stderr.write(`${JSON.stringify(entry)}\n`);
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write('debug', message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write('info', message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write('warn', message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write('error', message, fields),
};
