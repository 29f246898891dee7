/**
 * Drivers for replica runs (test/state/replicas.e2e.test.ts and scripts/replicas.ts): bot replicas as
 * separate processes (`src/main.ts`, webhook mode, real SDK) on one shared state, events delivered to
 * them at random with duplicates as a load balancer would, and reminder replicas
 * (test/support/reminder-replica.ts) driven through a month with an injected clock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { loadCalendar } from '../../src/reminders/calendar.js';
import { loadChecklists } from '../../src/reminders/checklist.js';
import { eventsBetween, localInstant } from '../../src/reminders/schedule.js';
import { freePort } from './free-port.js';
import { buildMessageEvent, deliverWebhook, standinWebhookEnv, type OpenApiStandin } from './openapi-standin.js';

const root = path.resolve(import.meta.dirname, '../..');

/** The environment of a child process without the parent's Lark, LLM and state variables. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(LARK_|LLM_|DATABASE_URL|REMINDERS|STATE_LEASE_MS)/.test(k)) env[k] = v;
  return env;
}

/** A running bot replica. */
export interface BotReplica {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>/webhook/event`. */
  eventUrl: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `src/main.ts` as a webhook bot on the stand-in with its state in `DATABASE_URL`; resolves once /healthz answers. */
export async function startBotReplica(api: OpenApiStandin, databaseUrl: string, dir: string, env: Record<string, string> = {}): Promise<BotReplica> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...cleanEnv(),
      ...standinWebhookEnv(api.baseUrl, port, path.join(dir, `unused-${port}.db`)),
      DATABASE_URL: databaseUrl,
      REMINDERS: 'off',
      LOG_LEVEL: 'error',
      ...env,
    },
  });
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bot replica exited with ${child.exitCode}`);
    if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error('bot replica did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    eventUrl: `http://127.0.0.1:${port}/webhook/event`,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
  };
}

/** A small seeded PRNG (mulberry32), so a run can be repeated. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const QUESTIONS = ['海西州吸引了多少名大学生到村任职？', '海西州有多少个全科网格？', '如何加强基层党组织建设？', '党员教育阵地有哪些？', '50万元以上强村有多少个？'];

/** What a run of events over replicas gave. */
export interface EventRun {
  events: number;
  /** Deliveries made: first deliveries, duplicates (same event to a replica, or same message in a new event), re-deliveries of non-200s. */
  deliveries: number;
  duplicates: number;
  redeliveries: number;
  /** Deliveries acknowledged by each replica. */
  perReplica: number[];
  answeredOnce: number;
  lost: number;
  answeredTwiceOrMore: number;
  /** From the first delivery to the last answer, ms. */
  ms: number;
}

/**
 * Delivers `n` distinct @questions over `chats` group chats to the replicas at random, all at once;
 * a share `dupRate` of them is delivered again to a random replica (half the same event, half the same
 * message in a new event), at the same moment. A delivery not acknowledged with HTTP 200 is delivered
 * again (to a random replica), as Feishu does. Waits until every question has an answer (at most
 * `timeoutMs`), settles 2 s, and counts the answers per question.
 */
export async function eventsOverReplicas(
  api: OpenApiStandin,
  replicas: BotReplica[],
  opts: { n: number; chats: number; dupRate: number; seed: number; timeoutMs: number },
): Promise<EventRun> {
  const rnd = seeded(opts.seed);
  const pick = () => replicas[Math.floor(rnd() * replicas.length)];
  const events = Array.from({ length: opts.n }, (_, i) =>
    buildMessageEvent({ chatId: `oc_replica_${String(i % opts.chats).padStart(2, '0')}`, text: `${QUESTIONS[i % QUESTIONS.length]}（第${i + 1}问）`, mentionBot: true }),
  );
  for (const e of events) api.platform.noteEvent(e);
  const ids = events.map((e) => (e.event as { message: { message_id: string } }).message.message_id);
  const perReplica = replicas.map(() => 0);
  let deliveries = 0;
  let duplicates = 0;
  let redeliveries = 0;
  const deliver = async (payload: Record<string, unknown>): Promise<void> => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const r = pick();
      deliveries++;
      if (attempt > 0) redeliveries++;
      const res = await deliverWebhook(r.eventUrl, payload).catch(() => ({ status: 0 }));
      if (res.status === 200) {
        perReplica[replicas.indexOf(r)]++;
        return;
      }
      await new Promise((x) => setTimeout(x, 200));
    }
  };
  const t0 = Date.now();
  const all: Promise<void>[] = [];
  events.forEach((e, i) => {
    all.push(deliver(e));
    if (rnd() < opts.dupRate) {
      duplicates++;
      const dup = structuredClone(e);
      if (rnd() < 0.5) (dup.header as { event_id: string }).event_id = `dup${i}${(dup.header as { event_id: string }).event_id}`.slice(0, 40);
      all.push(deliver(dup));
    }
  });
  await Promise.all(all);
  const answered = () => new Set(api.messages.map((m) => m.replyTo)).size;
  const deadline = Date.now() + opts.timeoutMs;
  while (answered() < opts.n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const ms = Date.now() - t0;
  await api.settle(2000);
  const per = new Map<string, number>();
  for (const m of api.messages) if (m.replyTo) per.set(m.replyTo, (per.get(m.replyTo) ?? 0) + 1);
  return {
    events: opts.n,
    deliveries,
    duplicates,
    redeliveries,
    perReplica,
    answeredOnce: ids.filter((id) => per.get(id) === 1).length,
    lost: ids.filter((id) => !per.has(id)).length,
    answeredTwiceOrMore: ids.filter((id) => (per.get(id) ?? 0) > 1).length,
    ms,
  };
}

/** One tick's answer of a reminder replica. */
export interface TickReply {
  now: number;
  /** `[kind, messageId, ...keys]` per card sent. */
  sent: string[][];
  /** `[messageId, ...keys]` per merge into a card sent earlier that day (patched, no new message). */
  merged?: string[][];
  failed: number;
}

/** A running reminder replica (test/support/reminder-replica.ts). */
export interface ReminderReplica {
  child: ChildProcess;
  owner: string;
  /** Ticks at `now` (epoch ms); resolves with what the tick sent. Rejects if the replica dies. */
  tick(now: number): Promise<TickReply>;
  kill(): Promise<void>;
}

/**
 * Starts a reminder replica on the stand-in. `state` is `{ databaseUrl }` (PostgreSQL) or
 * `{ remindersDb }` (a SQLite file shared by the replicas).
 */
export async function startReminderReplica(
  api: OpenApiStandin,
  state: { databaseUrl?: string; remindersDb?: string },
  opts: { checklistDir: string; startMs: number; leaseMs: number },
): Promise<ReminderReplica> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/reminder-replica.ts'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      ...cleanEnv(),
      STANDIN_URL: api.baseUrl,
      CHECKLIST_DIR: opts.checklistDir,
      START_MS: String(opts.startMs),
      LOG_LEVEL: 'fatal',
      STATE_LEASE_MS: String(opts.leaseMs),
      ...(state.databaseUrl ? { DATABASE_URL: state.databaseUrl } : {}),
      ...(state.remindersDb ? { REMINDERS_DB: state.remindersDb } : {}),
    },
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const waiting: Array<{ resolve: (v: unknown) => void; reject: (e: Error) => void }> = [];
  lines.on('line', (l) => waiting.shift()?.resolve(JSON.parse(l)));
  child.once('exit', (code, signal) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`reminder replica exited (${code ?? signal})`));
  });
  const next = () => new Promise<unknown>((resolve, reject) => waiting.push({ resolve, reject }));
  const ready = (await next()) as { owner: string };
  return {
    child,
    owner: ready.owner,
    tick: (now) => {
      const p = next() as Promise<TickReply>;
      child.stdin!.write(`${JSON.stringify({ now })}\n`);
      return p;
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Writes `copies` checklists into `dir`: the shipped example (data/checklists/example-branch.yaml, its
 * templates, 38 sends in December 2026) under distinct ids and chats. Returns the chat ids.
 */
/**
 * A checklist as confirmed from a notice, on `chat` beside its branch routine: three one-off items due in
 * December 2026, reminded at 09:00 (with the routine's reminders, on 12-04) and at 14:00 (12-09, 12-16),
 * escalated at 10:00 two working days after their due date.
 */
export function noticeChecklistYaml(chat: string): string {
  const item = (id: string, title: string, due: string, at: string) =>
    `  - { id: ${id}, title: ${title}, assignees: [{ open_id: ou_notice_1, name: 组织委员 }], due: ${due}, reminders: [{ days_before: 0, at: '${at}' }], escalation: { after_workdays: 2, at: '10:00' } }`;
  return `id: notice-00
name: 关于开展党费收缴核查的通知
chat_id: ${chat}
owner: { open_id: ou_notice_owner, name: 组织科 }
items:
${item('self-check', '完成党费收缴自查', '2026-12-04', '09:00')}
${item('report', '报送自查汇总表', '2026-12-09', '14:00')}
${item('meeting', '召开专题组织生活会', '2026-12-16', '14:00')}
`;
}

export function writeMonthChecklists(dir: string, copies: number, withNotice = false): string[] {
  const src = path.join(root, 'data/checklists');
  fs.cpSync(path.join(src, 'templates'), path.join(dir, 'templates'), { recursive: true });
  const text = fs.readFileSync(path.join(src, 'example-branch.yaml'), 'utf8');
  const chats: string[] = [];
  for (let i = 0; i < copies; i++) {
    const chat = `oc_month_${String(i).padStart(2, '0')}`;
    chats.push(chat);
    fs.writeFileSync(
      path.join(dir, `branch-${i}.yaml`),
      text.replace(/^id: .*$/m, `id: branch-${i}`).replace(/^chat_id: .*$/m, `chat_id: ${chat}`).replace(/^example: true$/m, 'example: false'),
    );
  }
  if (withNotice) fs.writeFileSync(path.join(dir, 'notice-00.yaml'), noticeChecklistYaml(chats[0]));
  return chats;
}

export const MONTH_START = localInstant('2026-12-01', '00:00');
export const MONTH_END = localInstant('2026-12-31', '23:00');
/**
 * The ticks of the month: a few minutes after the example's send times (reminders 09:00, digests 16:30;
 * escalations at 10:00 go out with the 16:35 tick). A tick costs ~0.1–0.2 s of schedule computation on
 * this machine, so not every minute: missed times are caught up by the next tick, as after any downtime.
 */
export const MONTH_TICKS = Array.from({ length: 31 }, (_, d) => `2026-12-${String(d + 1).padStart(2, '0')}`).flatMap((day) =>
  ['09:05', '16:35'].map((hhmm) => localInstant(day, hhmm)),
);

/** What {@link monthOverTwoReplicas} gave: the send keys due in the month, and every card each replica reported. */
export interface MonthRun {
  expected: string[];
  /** `at`: the replica clock of the tick that sent it (epoch ms). */
  cards: { replica: number; kind: string; messageId: string; keys: string[]; at: number }[];
  /** Keys merged into a card already sent (patched in place). */
  merges: { replica: number; messageId: string; keys: string[] }[];
  failed: number;
  ms: number;
}

/**
 * December 2026 over two reminder replicas on `state`: `copies` of the example checklist (38 sends each),
 * with `withNotice` also {@link noticeChecklistYaml} on the first copy's chat, both replicas ticking at the
 * same moment at every time of {@link MONTH_TICKS}.
 */
export async function monthOverTwoReplicas(api: OpenApiStandin, state: { databaseUrl?: string; remindersDb?: string }, dir: string, copies: number, withNotice = false): Promise<MonthRun> {
  const t0 = Date.now();
  const checklistDir = path.join(dir, 'lists');
  fs.mkdirSync(checklistDir);
  writeMonthChecklists(checklistDir, copies, withNotice);
  const expected = eventsBetween(loadChecklists(checklistDir).checklists, loadCalendar(path.join(root, 'data/calendar')), MONTH_START, MONTH_END).events.map((e) => e.key);
  const replicas = await Promise.all([0, 1].map(() => startReminderReplica(api, state, { checklistDir, startMs: MONTH_START, leaseMs: 10_000 })));
  const replies: TickReply[][] = [[], []];
  try {
    // both replicas tick at the same moment, as two processes with the minute cron would
    for (const t of MONTH_TICKS) {
      const r = await Promise.all(replicas.map((x) => x.tick(t)));
      r.forEach((x, i) => replies[i].push(x));
    }
  } finally {
    for (const x of replicas) await x.kill();
  }
  await api.settle(500);
  const cards = replies.flatMap((rs, i) => rs.flatMap((r) => r.sent.map(([kind, messageId, ...keys]) => ({ replica: i, kind, messageId, keys, at: r.now }))));
  const merges = replies.flatMap((rs, i) => rs.flatMap((r) => (r.merged ?? []).map(([messageId, ...keys]) => ({ replica: i, messageId, keys }))));
  return { expected, cards, merges, failed: replies.flat().reduce((n, r) => n + r.failed, 0), ms: Date.now() - t0 };
}

