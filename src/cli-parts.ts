import type { Command } from 'commander';

/**
 * The parts and the commands each registers. A command line naming one of them loads that part only (the
 * reminders part pulls in the state backends, pg and umzug: about a second of a cold `ask`); anything else
 * (help, an unknown command) loads every part. test/core/cli-parts.test.ts checks the lists against
 * what the parts register.
 */
export const CLI_PARTS: { commands: string[]; register: (program: Command) => Promise<void> }[] = [
  { commands: ['ingest', 'search', 'ask', 'summarize', 'measures'], register: async (p: Command) => (await import('./answer/cli.js')).registerKnowledgeCommands(p) },
  { commands: ['remind', 'tasks', 'tasks-from'], register: async (p: Command) => (await import('./reminders/cli.js')).registerReminderCommands(p) },
];

