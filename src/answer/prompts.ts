import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The `prompts/` folder of the project (prompts live in files, not in code strings): beside the nearest
 * `package.json` above this module, so that it is found from the sources and from their compiled copy
 * (`src/precompile.ts`) alike.
 */
export const PROMPTS_DIR = path.join(projectRoot(path.dirname(fileURLToPath(import.meta.url))), 'prompts');

function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '../..');
  }
}

const cache = new Map<string, string>();

/**
 * Reads `prompts/<name>.md` and fills `{{key}}` placeholders from `vars`.
 * @throws Error when the file is missing or a placeholder has no value.
 */
export function renderPrompt(name: string, vars: Record<string, string> = {}): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = fs.readFileSync(path.join(PROMPTS_DIR, `${name}.md`), 'utf8');
    cache.set(name, text);
  }
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in vars)) throw new Error(`prompt ${name}: no value for {{${key}}}`);
    return vars[key]!;
  });
}
