import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A JavaScript copy of the TypeScript sources, so that a command line does not pay tsx's loader for every module
 * it loads (under `tsx` a cold `ask` spends about 2.5 s of CPU more than the same code run by plain node; measured
 * at 1000×, see docs/evaluation.md, Scale).
 *
 * The copy of a source folder lives in `<root>/.cache/precompiled/<key>/`, one JavaScript file per TypeScript file
 * at the same relative path (esbuild's transform, the one tsx applies; no bundling, so lazy `import()`s stay lazy and
 * `import.meta.url` points at a file in the same place of the tree). The key is a hash of every source file's
 * path and content and of the compiler's version, so an edited, added or removed file gives another key: a
 * developer never runs stale code, and a process still running from an older copy keeps its files. A copy is
 * written to a temporary folder and renamed into place, so concurrent builds never expose half a copy.
 */

/** Bump when the build options below change. */
const FORMAT = 1;
/** Copies kept besides the current one (others are removed when older than an hour). */
const KEEP = 2;

/** The key of the current sources of `srcDir`: sha256 over each `.ts` file's relative path and content, sorted. */
export function sourceKey(srcDir: string, compilerVersion: string): string {
  const files = (fs.readdirSync(srcDir, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort();
  const h = crypto.createHash('sha256').update(`${FORMAT}\0${compilerVersion}\0`);
  for (const f of files) h.update(f.split(path.sep).join('/')).update('\0').update(fs.readFileSync(path.join(srcDir, f))).update('\0');
  return h.digest('hex').slice(0, 20);
}

/**
 * The folder holding the JavaScript copy of `srcDir` (the `.ts` files under it, compiled one to one), building it
 * when the sources changed since the last copy; undefined when no copy can be had (esbuild is not installed, the
 * cache folder is not writable, a file does not compile), in which case the caller runs the sources as they are.
 * `cacheDir` is where copies are kept (`<root>/.cache/precompiled`).
 */
export async function precompiled(srcDir: string, cacheDir: string): Promise<string | undefined> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return undefined;
  }
  const dir = path.join(cacheDir, sourceKey(srcDir, esbuild.version));
  if (fs.existsSync(dir)) return dir;
  const tmp = `${dir}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    const entryPoints = (fs.readdirSync(srcDir, { recursive: true, encoding: 'utf8' }) as string[])
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => path.join(srcDir, f));
    await esbuild.build({
      entryPoints,
      outbase: srcDir,
      outdir: tmp,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      sourcemap: 'linked',
      logLevel: 'silent',
    });
    try {
      fs.renameSync(tmp, dir);
    } catch (err) {
      // another process put the same copy in place first
      if (!fs.existsSync(dir)) throw err;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    prune(cacheDir, dir);
    return dir;
  } catch {
    try {
      fs.rmSync(tmp, { recursive: true, force: true });
    } catch {
      // nothing was written
    }
    return undefined;
  }
}

/** Removes copies other than `current` and the `KEEP` newest, when older than an hour (a running process may use them). */
function prune(cacheDir: string, current: string): void {
  try {
    const hourAgo = Date.now() - 3600_000;
    const others = fs
      .readdirSync(cacheDir)
      .map((name) => path.join(cacheDir, name))
      .filter((p) => p !== current)
      .map((p) => ({ p, t: fs.statSync(p).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { p, t } of others.slice(KEEP)) if (t < hourAgo) fs.rmSync(p, { recursive: true, force: true });
  } catch {
    // pruning is best effort
  }
}
