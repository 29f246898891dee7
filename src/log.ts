import { pino } from 'pino';

/**
 * The process-wide structured logger (pino, JSON lines on stderr so that stdout stays
 * clean for `--json` CLI output). Level from `LOG_LEVEL` (default `info`; tests and the
 * CLI may lower it with `setLogLevel`).
 */
export const log = pino(
  { level: process.env.LOG_LEVEL ?? 'info', base: undefined },
  pino.destination({ dest: 2, sync: true }),
);

/** Changes the logger level at run time (e.g. `warn` for quiet CLI runs). */
export function setLogLevel(level: pino.LevelWithSilent): void {
  log.level = level;
}
