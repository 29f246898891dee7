#!/usr/bin/env node
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompiled } from './precompile.js';

/**
 * The command-line entry point (`npm run -s cli -- <command>`, which runs this file through tsx). Run from its
 * TypeScript source, it hands the command line to the JavaScript copy of `src/` (`precompile.ts`: built on the
 * first run after any change to the sources, then reused) in a child node without tsx's loader, which costs
 * seconds of a cold command at scale; the child's exit code or signal becomes this process's. Without a copy
 * (esbuild missing, a read-only checkout) or with `DJ_PRECOMPILED=0`, the program (`cli-main.ts`) runs here
 * from the sources, as before.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const fromSource = import.meta.url.endsWith('.ts') && process.env.DJ_PRECOMPILED !== '0';
const copy = fromSource ? await precompiled(here, path.join(here, '..', '.cache', 'precompiled')) : undefined;

if (!copy) {
  await import('./cli-main.js');
} else {
  // node options given by the user are kept (e.g. --max-old-space-size), tsx's own loader hooks are not
  const execArgv: string[] = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const a = process.execArgv[i]!;
    if ((a === '--require' || a === '--import' || a === '-r') && /tsx/.test(process.execArgv[i + 1] ?? '')) i++;
    else if (!/^--(require|import|loader)=.*tsx/.test(a)) execArgv.push(a);
  }
  const child = spawn(process.execPath, [...execArgv, path.join(copy, 'cli-main.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('error', (err) => {
    process.stderr.write(`错误：${err.message}\n`);
    process.exit(1);
  });
  const relay = (signal: NodeJS.Signals) => child.kill(signal);
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, relay);
  child.on('exit', (code, signal) => {
    if (signal) {
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, relay);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}
