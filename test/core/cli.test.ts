import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
let dir: string;
let env: NodeJS.ProcessEnv;

/** Runs `npm run -s cli -- …` as a user would; resolves with exit code and output. */
async function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { env: { ...env, ...extraEnv } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-cli-'));
  env = { ...process.env, DJ_INDEX_DIR: path.join(dir, 'index') };
  for (const k of Object.keys(env)) if (/^(LLM_|EMBEDDING_)/.test(k)) delete env[k];
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('command line (the forms scripts rely on)', () => {
  it('ask --json on a fresh index builds it and prints the documented shape', async () => {
    const r = await cli(['ask', '--json', '海西州吸引了多少名大学生到村任职？']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['question', 'answer', 'grounded', 'citations']));
    expect(out.grounded).toBe(true);
    expect(out.answer).toContain('467');
    expect(Object.keys(out.citations[0])).toEqual(expect.arrayContaining(['n', 'source', 'title', 'text']));
  });

  it('search --json -k 3 prints ranked results with type', async () => {
    const r = await cli(['search', '--json', '-k', '3', '黑马河镇购买了多少辆摆渡车']);
    const out = JSON.parse(r.stdout);
    expect(out.query).toBe('黑马河镇购买了多少辆摆渡车');
    expect(out.results).toHaveLength(3);
    expect(out.results.map((x: { rank: number }) => x.rank)).toEqual([1, 2, 3]);
    for (const x of out.results) expect(Object.keys(x)).toEqual(expect.arrayContaining(['rank', 'score', 'source', 'title', 'section', 'text', 'type']));
    expect(out.results[0].text).toContain('摆渡车32辆');
  });

  it('ask --json --file answers one question per line, one JSON object per line', async () => {
    const file = path.join(dir, 'q.txt');
    fs.writeFileSync(file, '海西州搭建了多少个民主议事平台？\n\n上海市浦东新区有多少名党员？\n');
    const lines = (await cli(['ask', '--json', '--file', file])).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0].answer).toContain('79');
    expect(lines[1].grounded).toBe(false);
  });

  it('summarize --json and measures --json', async () => {
    const s = JSON.parse((await cli(['summarize', '--json', '海西州党员教育培训的主要举措'])).stdout);
    expect(s.topic).toBe('海西州党员教育培训的主要举措');
    expect(s.summary).toMatch(/^## /);
    const m = JSON.parse((await cli(['measures', '--json', '--place', '祁连县'])).stdout);
    expect(m.count).toBe(m.measures.length);
    expect(m.measures.length).toBeGreaterThan(0);
    for (const x of m.measures) expect(x.places).toContain('祁连县');
  });

  it('a bad configuration stops with exit code 2 and names the variable, without a stack trace', async () => {
    const r = await cli(['ask', 'x'], { EMBEDDING_PROVIDER: 'openai' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('EMBEDDING_BASE_URL');
    expect(r.stderr).not.toContain('    at ');
  });
});
