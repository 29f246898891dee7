import { Command } from 'commander';
import { ConfigError } from './config.js';
import { log, setLogLevel } from './log.js';
import { describeStorageError } from './storage.js';
import { CLI_PARTS } from './cli-parts.js';

/**
 * The command-line program (`npm run -s cli -- <command>`, started by `cli.ts`). Each part registers its own
 * commands: the knowledge core (ingest, search, ask, summarize, measures) and the reminders
 * (remind, tasks).
 */
if (!process.env.LOG_LEVEL) setLogLevel('warn');
// `| head` closing the pipe early is not an error
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const program = new Command('dangjian')
  .description('党建助手: index Party-building reports, answer with citations, push checklist reminders')
  .showHelpAfterError();

// registrations: the part owning the command named, else every part (see cli-parts.ts)
const named = process.argv.slice(2).find((a) => !a.startsWith('-'));
const owner = CLI_PARTS.find((part) => named !== undefined && part.commands.includes(named));
for (const part of owner ? [owner] : CLI_PARTS) await part.register(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // a bad environment variable or data file: one clear message, no stack trace (LOG_LEVEL=debug shows it)
  log.debug({ err }, 'command failed');
  const storage = describeStorageError(err);
  process.stderr.write(storage ? `${storage}\n` : `${err instanceof ConfigError ? '' : '错误：'}${(err as Error).message}\n`);
  process.exit(err instanceof ConfigError || storage ? 2 : 1);
}
