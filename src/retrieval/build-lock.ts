import fs from 'node:fs';
import path from 'node:path';
import { log } from '../log.js';
import escapeRegExp from 'escape-string-regexp';

/** True when a process with this id is running (signal 0 checks without signalling; EPERM means it exists). */
function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One index build at a time: the lock is the file `<indexDir>.lock` holding the builder's pid,
 * created exclusively (`wx`). A lock whose pid is no longer running (a killed build) is taken over;
 * a live one is waited for, polling every `pollMs`.
 */
export class BuildLock {
  private constructor(
    private readonly file: string,
    /** True when another build held the lock first (its result may make a new build unnecessary). */
    readonly waited: boolean,
  ) {}

  /**
   * Acquires the lock of `indexDir`.
   * @throws Error when another live process holds it for longer than `timeoutMs` (default 5 minutes).
   */
  static async acquire(indexDir: string, options: { timeoutMs?: number; pollMs?: number } = {}): Promise<BuildLock> {
    const { timeoutMs = 300_000, pollMs = 100 } = options;
    const file = `${path.resolve(indexDir)}.lock`;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const deadline = Date.now() + timeoutMs;
    let waited = false;
    for (;;) {
      try {
        fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
        return new BuildLock(file, waited);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      let holder = NaN;
      let age = 0;
      try {
        holder = Number(fs.readFileSync(file, 'utf8').trim());
        age = Date.now() - fs.statSync(file).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      // an empty lock file older than a second is a build killed between create and write
      if (!alive(holder) && (Number.isInteger(holder) || age > 1000)) {
        log.warn({ file, pid: holder }, 'taking over the index lock of a build that is no longer running');
        try {
          if (fs.readFileSync(file, 'utf8').trim() === String(Number.isNaN(holder) ? '' : holder)) fs.rmSync(file, { force: true });
        } catch {
          // gone already
        }
        continue;
      }
      if (Date.now() > deadline) throw new Error(`another index build (pid ${holder}) holds ${file} for more than ${Math.round(timeoutMs / 1000)} s`);
      waited = true;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /** Releases the lock (only when this process still holds it). */
  release(): void {
    try {
      if (fs.readFileSync(this.file, 'utf8').trim() === String(process.pid)) fs.rmSync(this.file, { force: true });
    } catch {
      // already gone
    }
  }
}

/**
 * Removes the temporary folders `<indexDir>.tmp-<pid>` and `<indexDir>.old-<pid>` left by builds that
 * were killed (their pid no longer runs). Call with the build lock held.
 */
export function removeStaleTempDirs(indexDir: string): void {
  const dir = path.dirname(path.resolve(indexDir));
  const base = path.basename(indexDir);
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    const m = new RegExp(`^${escapeRegExp(base)}\\.(?:tmp|old)-(\\d+)$`).exec(name);
    if (m && (Number(m[1]) === process.pid || !alive(Number(m[1])))) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}
