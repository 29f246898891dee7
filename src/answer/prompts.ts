import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `prompts/` folder of the project (prompts live in files, not in code strings). */
export const PROMPTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prompts');

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
