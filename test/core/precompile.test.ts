import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompiled } from '../../src/precompile.js';

let root: string;
let src: string;
let cache: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-precompile-'));
  src = path.join(root, 'src');
  cache = path.join(root, '.cache', 'precompiled');
  fs.mkdirSync(path.join(src, 'part'), { recursive: true });
  // an ES module package like the project's, with a lazy import and a path relative to the module
  fs.writeFileSync(path.join(root, 'package.json'), '{"type":"module"}');
  fs.writeFileSync(path.join(src, 'main.ts'), "const n: number = 2;\nconst { greet } = await import('./part/greet.js');\nconsole.log(greet(n), import.meta.url.endsWith('/main.js'));\n");
  fs.writeFileSync(path.join(src, 'part', 'greet.ts'), "export function greet(n: number): string {\n  return `hello ${n}`;\n}\n");
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const run = (dir: string) => execFileSync(process.execPath, [path.join(dir, 'main.js')], { encoding: 'utf8' }).trim();

describe('precompiled copy of the sources (the CLI runs it without tsx)', () => {
  it('compiles every file one to one, and the copy runs under plain node with its lazy imports', async () => {
    const dir = await precompiled(src, cache);
    expect(dir).toBeDefined();
    expect(fs.existsSync(path.join(dir!, 'part', 'greet.js'))).toBe(true);
    expect(run(dir!)).toBe('hello 2 true');
  });

  it('reuses the copy while the sources are unchanged and builds another after an edit, so edited code never runs stale', async () => {
    const first = await precompiled(src, cache);
    expect(await precompiled(src, cache)).toBe(first);
    fs.writeFileSync(path.join(src, 'part', 'greet.ts'), "export function greet(n: number): string {\n  return `你好 ${n * 2}`;\n}\n");
    const second = await precompiled(src, cache);
    expect(second).not.toBe(first);
    expect(run(second!)).toBe('你好 4 true');
    // a file added counts too
    fs.writeFileSync(path.join(src, 'extra.ts'), 'export const x = 1;\n');
    expect(await precompiled(src, cache)).not.toBe(second);
  });

  it('gives no copy (the caller runs the sources) when a file does not compile or the cache cannot be written', async () => {
    const broken = path.join(root, 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'main.ts'), 'const = ;\n');
    expect(await precompiled(broken, cache)).toBeUndefined();
    const aFile = path.join(root, 'package.json');
    expect(await precompiled(src, path.join(aFile, 'cache'))).toBeUndefined();
  });
});

describe('the CLI entry', () => {
  it('passes the exit code of the program through (a usage error exits 2 with its message)', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'ask'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      ({ status, stderr } = e as { status: number; stderr: string });
    }
    expect(status).toBe(2);
    expect(stderr).toContain('give a question');
  });
});
