/** Small helpers shared by the benchmarks and the load run (scripts only). */
import fs from 'node:fs';

/** The number given as `--<name> <n>` on the command line, else `def`. */
export function numberArg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

/** Nearest-rank percentile `p` (0–100) of `xs`; NaN for an empty list. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** The questions (`q`) of question-set files (one JSON object per line), summary requests left out. */
export function readQuestions(files: string[]): string[] {
  return files.flatMap((f) =>
    fs
      .readFileSync(f, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { q: string; type?: string })
      .filter((q) => q.type !== 'summary')
      .map((q) => q.q),
  );
}
