import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { CLI_PARTS } from '../../src/cli-parts.js';

describe('CLI parts', () => {
  it('each part registers exactly the commands it is listed with, so a command line loads the part that owns its command', async () => {
    for (const part of CLI_PARTS) {
      const program = new Command('t');
      await part.register(program);
      expect(program.commands.map((c) => c.name()).sort()).toEqual([...part.commands].sort());
    }
    const all = CLI_PARTS.flatMap((p) => p.commands);
    expect(new Set(all).size).toBe(all.length);
  });
});
