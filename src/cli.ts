#!/usr/bin/env node
import { Command } from 'commander';

/**
 * The command-line entry point (`npm run -s cli -- <command>`). Each part registers its own
 * commands: the knowledge core (ingest, search, ask, summarize, measures) and the reminders
 * (remind, tasks).
 */
const program = new Command('dangjian')
  .description('党建助手: index Party-building reports, answer with citations, push checklist reminders')
  .showHelpAfterError();

// registrations (one line per part)
(await import('./reminders/cli.js')).registerReminderCommands(program);

await program.parseAsync(process.argv);
