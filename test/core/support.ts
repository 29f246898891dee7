import fs from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { openAssistant, type KnowledgeAssistant } from '../../src/assistant.js';
import { loadCoreConfig, type CoreConfig } from '../../src/config.js';

/** A temporary copy of data/ (corpus, glossary, lexicon) and an index folder, so tests can change them. */
export function tempData(): { dataDir: string; indexDir: string; cleanup: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-test-'));
  const dataDir = path.join(root, 'data');
  fs.cpSync('data', dataDir, { recursive: true, filter: (src) => !src.includes(`${path.sep}checklists`) });
  return { dataDir, indexDir: path.join(root, 'index'), cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** `tempData()` whose corpus holds only `files` (name → text): a corpus of its own, so nothing else can answer. */
export function tempCorpus(files: Record<string, string>): ReturnType<typeof tempData> {
  const t = tempData();
  const corpus = path.join(t.dataDir, 'corpus');
  for (const f of fs.readdirSync(corpus)) fs.rmSync(path.join(corpus, f));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(corpus, name), text);
  return t;
}

/**
 * The real assistant on a corpus of its own (`tempCorpus(files)`), opened before the file's tests and removed after
 * them: call at the top of a test file, read `.assistant` inside the tests.
 */
export function assistantOn(files: Record<string, string>): { readonly assistant: KnowledgeAssistant } {
  let assistant: KnowledgeAssistant | undefined;
  let cleanup = () => {};
  beforeAll(async () => {
    const t = tempCorpus(files);
    cleanup = t.cleanup;
    assistant = await openAssistant({ config: config({}, t) });
  });
  afterAll(() => cleanup());
  return {
    get assistant() {
      if (!assistant) throw new Error('assistantOn: the assistant is opened in beforeAll; read it inside a test');
      return assistant;
    },
  };
}

/** Core configuration from an explicit environment (nothing from the machine's). */
export function config(env: Record<string, string>, dirs: { dataDir: string; indexDir: string }): CoreConfig {
  return loadCoreConfig(env, dirs);
}

/** The real assistant on the real corpus, with its index in a temporary folder. */
export async function offlineAssistant(): Promise<{ assistant: KnowledgeAssistant; cleanup: () => void }> {
  const t = tempData();
  return { assistant: await openAssistant({ config: config({}, t) }), cleanup: t.cleanup };
}
