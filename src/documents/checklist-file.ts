import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { formatProblem, parseChecklist } from '../reminders/checklist.js';

/** A checklist to write, in the file schema of `src/reminders/checklist.ts` (`ChecklistSchema`). */
export interface ChecklistFileSpec {
  /** Checklist id and file name stem (`[a-z0-9][a-z0-9_-]*`). */
  id: string;
  /** A comment placed at the top of the file (where it came from, who confirmed it). */
  comment: string;
  body: Record<string, unknown>;
}

/** Thrown when a checklist would not load; `problems` are `file:line:col: reason` lines. */
export class ChecklistWriteError extends Error {
  constructor(readonly problems: string[]) {
    super(`清单未写入：${problems.join('；')}`);
    this.name = 'ChecklistWriteError';
  }
}

/**
 * Writes a checklist file `<dir>/<id>.yaml`, after checking it loads exactly as the reminder service
 * will load it (`parseChecklist`, templates from `<dir>/templates/`). The single place the chat features
 * write into the checklist folder. The file is written to a hidden temporary name and renamed, so a
 * watcher or a reload never sees half a file. An existing file of the same id is left as it is (a
 * second confirmation of the same draft for the same chat changes nothing).
 * @returns the file path and whether it was written now.
 * @throws ChecklistWriteError when the checklist would not load (nothing is written).
 */
export function writeChecklistFile(dir: string, spec: ChecklistFileSpec): { file: string; created: boolean } {
  const file = path.join(dir, `${spec.id}.yaml`);
  if (fs.existsSync(file)) return { file, created: false };
  const doc = new YAML.Document(spec.body, { aliasDuplicateObjects: false });
  doc.commentBefore = spec.comment
    .split('\n')
    .map((l) => ` ${l}`)
    .join('\n');
  const text = doc.toString({ lineWidth: 0 });
  const readTemplate = (name: string) => {
    const t = path.join(dir, 'templates', `${name}.yaml`);
    return fs.existsSync(t) ? { file: t, text: fs.readFileSync(t, 'utf8') } : undefined;
  };
  const parsed = parseChecklist(file, text, readTemplate);
  if (!parsed.checklist) throw new ChecklistWriteError(parsed.problems.map(formatProblem));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${spec.id}.yaml.tmp-${process.pid}`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
  return { file, created: true };
}
