/**
 * `npm start`: runs 党建助手.
 * - No `LARK_APP_ID`/`LARK_APP_SECRET`: a local terminal chat on the real corpus (stdin/stdout; piped input works).
 * - With them: connects to Feishu/Lark (`LARK_MODE=ws` long connection, or `webhook`). See docs/lark.md.
 * Exits with code 2 and a readable message when the configuration is invalid, or when a state folder
 * (`var/`: the chat and reminder databases, the index) cannot be written.
 */
import { openAssistant } from './assistant.js';
import { ConfigError, loadCoreConfig } from './config.js';
import { chatFeatures, type FeatureOptions } from './features.js';
import { ChatConfigError, loadChatConfig, type ChatConfig } from './lark/config.js';
import { startLarkService } from './lark/feishu.js';
import { runLocalChat } from './lark/local.js';
import { log, setLogLevel } from './log.js';
import { DEFAULT_UPLOADS_DIR } from './documents/upload-store.js';
import { DEFAULT_DB_PATH as REMINDERS_DB_PATH } from './reminders/store.js';
import { databaseUrl } from './state/open.js';
import { assertWritable, describeStorageError } from './storage.js';

function readConfig(): ChatConfig {
  try {
    return loadChatConfig(process.env);
  } catch (err) {
    if (err instanceof ChatConfigError) {
      process.stderr.write(`${err.message}\nSee docs/lark.md for the variables.\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** Opens the knowledge core; a bad core variable (DJ_*, LLM_*, EMBEDDING_*) exits with code 2 and its message. */
async function loadAssistant(): ReturnType<typeof openAssistant> {
  try {
    return await openAssistant();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** A read-only or full `var/` at start: one clear message in Chinese and English, exit code 2 (no stack trace). */
function exitOnStorageError(err: unknown): never {
  const message = describeStorageError(err);
  if (!message) throw err;
  log.debug({ err }, 'start failed');
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** Checks the state locations up front: the chat database (Feishu mode), the reminders' database (both unless `DATABASE_URL` is set), the index folder, the uploads. A malformed `DATABASE_URL` exits with code 2. */
function checkStateFolders(c: ChatConfig): void {
  let indexDir: string | undefined;
  try {
    indexDir = loadCoreConfig().indexDir;
  } catch {
    // a bad core variable is reported by loadAssistant
  }
  let shared = false;
  try {
    shared = databaseUrl() !== undefined;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  try {
    // with DATABASE_URL the chat and reminder state live in PostgreSQL, not in var/
    for (const target of [c.kind === 'lark' && !shared ? c.stateDb : undefined, shared ? undefined : REMINDERS_DB_PATH, indexDir, DEFAULT_UPLOADS_DIR]) if (target) assertWritable(target);
  } catch (err) {
    exitOnStorageError(err);
  }
}

const cfg = readConfig();
checkStateFolders(cfg);
/** The reminders and the documents (src/features.ts), on the default folders. */
const features: FeatureOptions = { adminOpenIds: cfg.adminOpenIds, adminChatId: cfg.kind === 'lark' ? cfg.adminChatId : undefined };

if (cfg.kind === 'local') {
  if (!process.env.LOG_LEVEL) setLogLevel('warn');
  if (process.stdin.isTTY) process.stderr.write('正在加载资料索引…\n');
  const assistant = await loadAssistant().catch(exitOnStorageError);
  await runLocalChat({ assistant, input: process.stdin, output: process.stdout, historyTurns: cfg.historyTurns, extensions: chatFeatures(assistant, features) }).catch(exitOnStorageError);
} else {
  const assistant = await loadAssistant().catch(exitOnStorageError);
  const service = await startLarkService(cfg, { assistant, extensions: chatFeatures(assistant, features) }).catch(exitOnStorageError);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'lark: shutting down');
    void service.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'lark: shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
