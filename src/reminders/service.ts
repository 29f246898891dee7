import { Cron } from 'croner';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { CardPatcher } from '../lark/card-patcher.js';
import { isPermanentSendFailure, sendFailureCode, type CardActionContext, type CardActionResult, type CardActionRoute, type ChatCommand, type LarkCard, type Messenger } from '../lark/contracts.js';
import { escapeText } from '../lark/escape.js';
import { log } from '../log.js';
import { ZONE, type WorkCalendar } from './calendar.js';
import { noticeCard } from '../lark/cards.js';
import { describeMissingYear, missingNextYear } from './calendar-notice.js';
import { dayCard, doneCard, formatTime, REMINDER_DONE_KIND, REMINDER_UNDO_KIND, tasksCard, UNDO_WINDOW_MS, type CardLine, type DaySection, type TasksSection, type WeekSummary } from './cards.js';
import { inQuietHours, type Checklist, type ChecklistItem, type Person } from './checklist.js';
import { eventsBetween, localDate, localTime, taskView, type CalendarProblem, type Occurrence, type ScheduledEvent } from './schedule.js';
import { whileLeased } from '../state/lease.js';
import { dayCardKey } from '../state/keys.js';
import type { CardEntry, CardRecord, ReminderStore } from './store.js';


/**
 * The idempotency key of one reminder send: its kind and the sorted send keys it covers. A send left
 * unconfirmed by a crash is sent again with the same key, so Feishu returns the first message instead of
 * posting a second one (1-hour window, see `Messenger.sendCard`).
 */
export function sendIdempotencyKey(kind: string, keys: readonly string[]): string {
  return `reminder:${kind}:${[...keys].sort().join(',')}`;
}

/**
 * Wait before the next send to a chat after `failures` transient failures in a row: 1 minute,
 * doubling, at most 1 hour (a minute tick would otherwise retry every minute for the 72-hour catch-up).
 */
export function sendBackoffMs(failures: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, failures - 1), 3600_000);
}

/** Options of {@link ReminderService}. */
export interface ReminderServiceOptions {
  messenger: Messenger;
  store: ReminderStore;
  calendar: WorkCalendar;
  checklists: Checklist[];
  /** Injectable clock, epoch ms (default `Date.now`). */
  clock?: () => number;
  /** How far back a tick looks for missed events, in hours (default 72). */
  catchUpHours?: number;
  /** open_ids that may mark any item done or undo it (`LARK_ADMIN_OPEN_IDS`); they also see every checklist in `/tasks` of a private chat. */
  adminOpenIds?: string[];
  /** chat_id told, once a day from 1 December, that next year's calendar is missing and which dates cannot be scheduled (`LARK_ADMIN_CHAT_ID`). */
  adminChatId?: string;
  /** The title of a measure id from the knowledge index; cards show it instead of the id (`关联举措：…`). */
  measureTitle?: (id: string) => string | undefined;
  /** Where the checklists come from, for {@link ReminderService.reloadChecklists} (it calls `setChecklists` itself). */
  source?: { reload(): unknown };
}

/** What one {@link ReminderService.tick} did. */
export interface TickResult {
  /** Cards sent: kind, chat, message id and the event keys they settled. */
  sent: { kind: ScheduledEvent['kind']; chatId: string; messageId: string; keys: string[] }[];
  /** Events merged into a chat's card already sent that day (patched in place, no new message). */
  merged: { chatId: string; messageId: string; keys: string[] }[];
  /** Events held back by quiet hours (sent at the first tick after them). */
  deferred: number;
  /** Sends that failed (claims released; retried after the chat's backoff, or not at all once the chat is stopped). */
  failed: number;
  /** Sends not attempted because their chat is stopped or backing off ({@link ReminderStore.chatHold}). */
  held: number;
  problems: CalendarProblem[];
}

/** An occurrence with its state, as listed by `/tasks` and `tasks --json`. */
export interface TaskState {
  chat_id: string;
  checklist: string;
  id: string;
  title: string;
  occurrence: string;
  due: string;
  state: 'open' | 'overdue' | 'done';
  assignees: Person[];
  measure?: string;
  done_by?: { open_id: string; name: string };
  done_at?: string;
}

/**
 * Sends checklist reminders, escalations and weekly digests exactly once (see {@link ReminderStore}),
 * and offers the chat commands `/tasks` and `/done <item>` and the 标记完成 card action.
 * All times are evaluated in Asia/Shanghai with the injected clock.
 *
 * A tick looks at every event due in [max(now − catchUpHours, start of the first-start day), now]
 * that is not yet sent: after downtime, each missed reminder goes out once. A chat gets at most one
 * reminder card per local day (Asia/Shanghai), whatever the number of checklists attached to it: the
 * events due by now share one card (an item listed once even if two of its reminder times were missed)
 * with the chat's other events later that day (other checklists' reminders, escalations, weekly
 * digests), grouped by checklist; what falls due after the day's card went out (a checklist confirmed
 * at noon) is merged into that card by patching it.
 * Nothing is sent inside a checklist's quiet hours: a chat's card waits while any checklist whose items it
 * would carry keeps quiet hours, and goes out at the first tick after them.
 * A failed send releases its claims: after a failure that may pass (throttling, 5xx) the chat backs
 * off ({@link sendBackoffMs}, {@link ReminderStore.chatHold}); after a permanent refusal (bot removed,
 * chat dissolved…) the chat is paused ({@link ReminderService.pauseChat}, reason `send-refused:<code>`)
 * until {@link ReminderService.resumeChat}.
 */
export class ReminderService {
  private readonly messenger: Messenger;
  private readonly store: ReminderStore;
  private readonly calendar: WorkCalendar;
  private checklists: Checklist[];
  private readonly clock: () => number;
  private readonly catchUpMs: number;
  /** The first start recorded in the store (read once, at construction). */
  private readonly firstStart: Promise<number>;
  private cron?: Cron;
  private running: Promise<TickResult> | undefined;
  private readonly reported = new Set<string>();
  private readonly admins: Set<string>;
  private readonly patcher: CardPatcher;
  private readonly adminChatId?: string;
  private readonly measureTitle?: (id: string) => string | undefined;
  private readonly announced = new Set<string>();
  private readonly source?: { reload(): unknown };

  constructor(opts: ReminderServiceOptions) {
    this.messenger = opts.messenger;
    this.store = opts.store;
    this.calendar = opts.calendar;
    this.checklists = opts.checklists;
    this.clock = opts.clock ?? Date.now;
    this.catchUpMs = (opts.catchUpHours ?? 72) * 3600_000;
    this.admins = new Set(opts.adminOpenIds ?? []);
    this.adminChatId = opts.adminChatId;
    this.measureTitle = opts.measureTitle;
    this.source = opts.source;
    this.patcher = new CardPatcher(this.messenger, this.clock);
    this.firstStart = this.store.firstStart(this.clock());
    this.firstStart.catch(() => undefined); // reported by the first tick
  }

  /** Replaces the checklists (e.g. after a reload). */
  setChecklists(checklists: Checklist[]): void {
    this.checklists = checklists;
  }

  /**
   * Reads the checklist files again now (after another feature wrote one), through the source the
   * service was started with: a file that does not load keeps its previous version and is reported.
   */
  reloadChecklists(): void {
    this.source?.reload();
  }

  /** Runs a catch-up tick now, then one at the start of every minute (croner, Asia/Shanghai). */
  start(): void {
    void this.tick().catch((e) => log.error({ err: e }, 'reminders: tick failed'));
    this.cron = new Cron('* * * * *', { timezone: ZONE, protect: true }, () => {
      void this.tick().catch((e) => log.error({ err: e }, 'reminders: tick failed'));
    });
    log.info({ checklists: this.checklists.map((c) => c.id) }, 'reminders: service started');
  }

  /** Stops the minute ticks (an in-flight tick finishes). */
  stop(): void {
    this.cron?.stop();
    this.cron = undefined;
  }

  /** One scheduling pass at the clock's now; concurrent calls share the running pass. */
  tick(): Promise<TickResult> {
    if (!this.running) {
      this.running = this.runTick().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  /**
   * One pass. Events due by now are sent; the same chat's events later the same day (another reminder
   * time, another checklist, an escalation, a weekly digest) go out with them in the same card, so a
   * chat gets at most one reminder card a day ({@link ReminderService.sendDay}).
   */
  private async runTick(): Promise<TickResult> {
    const now = this.clock();
    const since = Math.max(now - this.catchUpMs, DateTime.fromMillis(await this.firstStart, { zone: ZONE }).startOf('day').toMillis());
    const endOfDay = DateTime.fromMillis(now, { zone: ZONE }).endOf('day').toMillis();
    const { events, problems } = eventsBetween(this.checklists, this.calendar, since, endOfDay);
    for (const p of problems) {
      const k = `${p.checklist}|${p.item}|${p.date.slice(0, 4)}`;
      if (!this.reported.has(k)) {
        this.reported.add(k);
        log.error({ checklist: p.checklist, item: p.item, date: p.date }, p.message);
      }
    }
    await this.announceMissingYear(now);
    const result: TickResult = { sent: [], merged: [], deferred: 0, failed: 0, held: 0, problems };
    const pending: ScheduledEvent[] = [];
    for (const e of events) if (!(await this.store.settled(e.key))) pending.push(e);
    /** Per target chat: the events due by now, and those later today (of every checklist attached to it). */
    const batches = new Map<string, { due: ScheduledEvent[]; later: ScheduledEvent[] }>();
    for (const e of pending) {
      const target = this.target(e);
      const b = batches.get(target) ?? { due: [], later: [] };
      (e.fireAt <= now ? b.due : b.later).push(e);
      batches.set(target, b);
    }
    for (const [chatId, b] of batches) {
      if (!b.due.length) continue;
      // the chat's card waits while the chat is paused, or while any checklist in it keeps quiet hours
      // (the card would bring that checklist's items too): it goes out at the first tick after them
      const all = [...b.due, ...b.later];
      if ((await this.store.pausedChat(chatId)) || all.some((e) => inQuietHours(localTime(now), e.checklist.quiet_hours))) {
        result.deferred += b.due.length;
        continue;
      }
      await this.sendDay(chatId, all, now, result);
    }
    return result;
  }

  /** The chat an event goes to: escalations to the owner's private chat when set, everything else to the group. */
  private target(e: ScheduledEvent): string {
    return e.kind === 'escalation' ? (e.checklist.owner.chat_id ?? e.checklist.chat_id) : e.checklist.chat_id;
  }

  /**
   * From 1 December, tells the admin chat once a day that next year's holiday calendar is missing,
   * with the dates of the coming January that cannot be scheduled ({@link missingNextYear}).
   */
  private async announceMissingYear(now: number): Promise<void> {
    if (!this.adminChatId) return;
    const gap = missingNextYear(this.checklists, this.calendar, now);
    if (!gap) return;
    const key = `calendar-missing:${gap.year}:${localDate(now)}`;
    if (this.announced.has(key)) return;
    this.announced.add(key);
    try {
      await this.messenger.sendCard(this.adminChatId, noticeCard(`党建助手 · 缺少 ${gap.year} 年工作日历`, describeMissingYear(gap), 'orange'), { idempotencyKey: key });
    } catch (err) {
      this.announced.delete(key);
      log.error({ err, chatId: this.adminChatId, year: gap.year }, 'reminders: could not tell the admin chat about the missing calendar year');
    }
  }

  /**
   * The chat's reminder card of the day (Asia/Shanghai) for `evs`, exactly once across replicas:
   * 1. the chat-day key ({@link dayCardKey}) is claimed before a first card is sent; while another
   *    replica holds it the chat is skipped (the events stay pending for the next tick);
   * 2. the events' own keys are claimed; done occurrences are settled without a line;
   * 3. no card yet today: one card is sent (idempotency key from the chat-day key, so a resend after a
   *    crash returns the first message) and the chat-day key and the events' keys are confirmed with it;
   *    a card already sent today: the new lines are added to its record and the card is patched in place
   *    (no second message), and the keys are confirmed with that message.
   * A failed send or patch releases the claims (and backs off or pauses the chat, see the class comment).
   */
  private async sendDay(chatId: string, evs: ScheduledEvent[], now: number, result: TickResult): Promise<void> {
    const hold = await this.store.chatHold(chatId);
    if (hold && hold.until > now) {
      result.held++;
      return;
    }
    const day = localDate(now);
    const dayKey = dayCardKey(chatId, day);
    const state = await this.store.sendState(dayKey);
    const existing = state?.state === 'sent' && state.message_id ? state.message_id : undefined;
    const dayClaim = existing ? undefined : await this.store.claim([dayKey], 'day', chatId, now);
    if (dayClaim && !dayClaim.keys.length) return; // another replica is sending this chat's card of the day
    const claim: { keys: string[]; inDoubt: string[] } = { keys: [], inDoubt: [...(dayClaim?.inDoubt ?? [])] };
    for (const k of ['reminder', 'escalation', 'digest'] as const) {
      const keys = evs.filter((e) => e.kind === k).map((e) => e.key);
      if (!keys.length) continue;
      const got = await this.store.claim(keys, k, chatId, now);
      claim.keys.push(...got.keys);
      claim.inDoubt.push(...got.inDoubt);
    }
    if (!claim.keys.length) {
      if (dayClaim) await this.store.release([dayKey]);
      return;
    }
    if (claim.inDoubt.length) log.warn({ keys: claim.inDoubt }, 'reminders: sending again after an unconfirmed send (its lease expired: a process stopped mid-send)');
    const mine = evs.filter((e) => claim.keys.includes(e.key));
    const entries = await this.entriesOf(mine);
    const kind: ScheduledEvent['kind'] = mine.some((e) => e.kind === 'reminder') ? 'reminder' : mine.some((e) => e.kind === 'escalation') ? 'escalation' : 'digest';
    if (!entries.length) {
      // everything in it was already done: nothing to say, settle the keys
      await this.store.confirm(claim.keys, existing ?? '', now);
      if (dayClaim) await this.store.release([dayKey]);
      return;
    }
    const held = dayClaim ? [dayKey, ...claim.keys] : claim.keys;
    let messageId: string;
    try {
      // the leases are renewed while the send runs (retries, a slow platform), so no replica takes them over
      messageId = await whileLeased(
        this.store.leaseMs,
        () => this.store.renew(held),
        async () => {
          if (existing) {
            const rec = (await this.store.addCardEntries(existing, entries)) ?? (await this.saveDayCard(existing, chatId, day, kind, entries, now));
            const card = await this.renderRecord(rec);
            if (card) await this.messenger.patchCard(existing, card);
            return existing;
          }
          const card = await this.renderRecord({ message_id: '', chat_id: chatId, day, kind, entries, sent_at: now });
          return this.messenger.sendCard(chatId, card!, { idempotencyKey: sendIdempotencyKey('day', [dayKey]) });
        },
      );
    } catch (err) {
      await this.store.release(held);
      result.failed++;
      const code = sendFailureCode(err);
      // a refused patch (the day's card recalled, say) says nothing about the chat: back off, and the items go
      // into the next day's card at the latest
      if (isPermanentSendFailure(err) && !existing) {
        log.error({ err, kind, chatId, code }, 'reminders: the chat refuses the bot for good; its reminders are paused until it is resumed');
        await this.pauseChat(chatId, `send-refused${code !== undefined ? `:${code}` : ''}`);
      } else {
        const h = await this.store.holdChat(chatId, { code, reason: (err as Error).message, now, backoffMs: sendBackoffMs });
        log.error({ err, kind, chatId, failures: h.failures, retryAt: new Date(h.until).toISOString() }, 'reminders: send failed, will retry after a backoff');
      }
      return;
    }
    if (await this.store.chatHold(chatId)) await this.store.clearChatHold(chatId);
    const sentAt = this.clock();
    await this.store.confirm(held, messageId, sentAt);
    const checklists = [...new Set(entries.map((e) => e.checklist))];
    if (existing) {
      result.merged.push({ chatId, messageId, keys: claim.keys });
      log.info({ checklists, chatId, messageId, items: entries.map((e) => e.item) }, 'reminders: merged into the chat’s card of the day');
      return;
    }
    await this.saveDayCard(messageId, chatId, day, kind, entries, sentAt);
    result.sent.push({ kind, chatId, messageId, keys: claim.keys });
    log.info({ checklists, kind, chatId, messageId, items: entries.map((e) => e.item) }, 'reminders: sent');
  }

  private async saveDayCard(messageId: string, chatId: string, day: string, kind: string, entries: CardEntry[], sentAt: number): Promise<CardRecord> {
    const rec: CardRecord = { message_id: messageId, chat_id: chatId, day, kind, entries, sent_at: sentAt };
    await this.store.saveCard(rec);
    return rec;
  }

  /**
   * The card entries of the events: each open occurrence once (a reminder line when any of its events is
   * a reminder, else an escalation), in due order per checklist, and a `digest` entry per weekly summary.
   * Occurrences already done are left out.
   */
  private async entriesOf(evs: ScheduledEvent[]): Promise<CardEntry[]> {
    const byOcc = new Map<string, CardEntry>();
    const digests: CardEntry[] = [];
    for (const e of evs) {
      if (e.kind === 'digest') {
        if (e.week) digests.push({ checklist: e.checklist.id, item: '', occurrence: e.week, due: '', kind: 'digest' });
        continue;
      }
      const occ = e.occ!;
      const k = `${e.checklist.id}|${occ.item.id}|${occ.occurrence}`;
      const prev = byOcc.get(k);
      if (prev) {
        if (e.kind === 'reminder') delete prev.kind;
        continue;
      }
      if (await this.store.getDone(e.checklist.id, occ.item.id, occ.occurrence)) continue;
      byOcc.set(k, { checklist: e.checklist.id, item: occ.item.id, occurrence: occ.occurrence, due: occ.due, ...(e.kind === 'escalation' ? { kind: 'escalation' as const } : {}) });
    }
    const lines = [...byOcc.values()].sort((a, b) => a.due.localeCompare(b.due) || a.item.localeCompare(b.item));
    return [...lines, ...digests];
  }

  private async line(occ: Occurrence, now: number): Promise<CardLine> {
    const done = await this.store.getDone(occ.checklist.id, occ.item.id, occ.occurrence);
    const measure = occ.item.measure ? this.measureTitle?.(occ.item.measure) : undefined;
    return { item: occ.item, occurrence: occ.occurrence, due: occ.due, done, overdue: !done && occ.due < localDate(now), ...(measure ? { measure } : {}) };
  }

  /** The week summary of a checklist at `now`: done since Monday, open (pending, overdue). */
  private async week(c: Checklist, week: string, now: number): Promise<WeekSummary> {
    const weekStart = DateTime.fromMillis(now, { zone: ZONE }).startOf('week').toMillis();
    const done = (await this.store.doneBetween(c.id, weekStart, now + 1)).flatMap((d) => {
      const item = c.items.find((i) => i.id === d.item);
      return item ? [{ item, occurrence: d.occurrence, due: d.occurrence, done: d }] : [];
    });
    const view = (await Promise.all(taskView(c, this.calendar, now).occurrences.map((o) => this.line(o, now)))).filter((l) => !l.done);
    return { week, done, pending: view.filter((l) => !l.overdue), overdue: view.filter((l) => l.overdue) };
  }

  /**
   * When the next reminder of an item fires (epoch ms), looking 62 days ahead from the clock's now;
   * undefined when none is scheduled in that time (or its dates lack calendar data).
   */
  async nextReminderAt(checklistId: string, itemId: string): Promise<number | undefined> {
    const c = this.checklists.find((x) => x.id === checklistId);
    const item = c?.items.find((i) => i.id === itemId);
    if (!c || !item) return undefined;
    const now = this.clock();
    const { events } = eventsBetween([{ ...c, items: [item], digest: null }], this.calendar, now, now + 62 * 86400_000);
    for (const e of events) if (e.kind === 'reminder' && !(await this.store.settled(e.key))) return e.fireAt;
    return undefined;
  }

  /** Every tracked occurrence (recent past and next) of the checklists of `chatId` (all when undefined) with its state at the clock's now. */
  tasks(chatId?: string): Promise<TaskState[]> {
    return listTasks(this.checklists.filter((c) => !chatId || c.chat_id === chatId), this.calendar, this.store, this.clock());
  }

  /**
   * Marks an occurrence done by `byOpenId` at the clock's now, then schedules in the background an
   * update of every other reminder card of the last 14 days that shows it (`skipPatch`: the clicked
   * card, which the callback response replaces). No authorization here: callers check
   * {@link ReminderService.mayAct}. Returns false when unknown or already done.
   */
  async markDone(checklistId: string, itemId: string, occurrence: string, byOpenId: string, via: string, skipPatch?: string): Promise<boolean> {
    const c = this.checklists.find((x) => x.id === checklistId);
    const item = c?.items.find((i) => i.id === itemId);
    if (!c || !item) return false;
    const now = this.clock();
    const ok = await this.store.markDone({ checklist: c.id, item: item.id, occurrence, by_open_id: byOpenId, by_name: nameOf(c, byOpenId), at: now, via });
    if (!ok) return false;
    log.info({ checklist: c.id, item: item.id, occurrence, by: byOpenId, via }, 'reminders: marked done');
    await this.updateCopies(c, item.id, occurrence, skipPatch);
    return true;
  }

  /** Removes a done mark (撤销) and updates the cards showing it; returns false when there was none. */
  async undoDone(checklistId: string, itemId: string, occurrence: string, byOpenId: string, skipPatch?: string): Promise<boolean> {
    const c = this.checklists.find((x) => x.id === checklistId);
    if (!c) return false;
    const mark = await this.store.undoDone(c.id, itemId, occurrence);
    if (!mark) return false;
    log.info({ checklist: c.id, item: itemId, occurrence, by: byOpenId, markedBy: mark.by_open_id }, 'reminders: done mark undone');
    await this.updateCopies(c, itemId, occurrence, skipPatch);
    return true;
  }

  /** Resolves when the background card updates have run (tests, shutdown). */
  idle(): Promise<void> {
    return this.patcher.idle();
  }

  private async updateCopies(c: Checklist, itemId: string, occurrence: string, skip?: string): Promise<void> {
    const now = this.clock();
    for (const rec of await this.store.cardsShowing(c.id, itemId, occurrence, now - 14 * 86400_000)) {
      if (rec.message_id === skip) continue;
      this.patcher.schedule(rec.message_id, rec.sent_at, () => this.renderStored(rec.message_id));
    }
  }

  /** Re-renders the stored reminder card `messageId` with the current done states. */
  private async renderStored(messageId: string): Promise<LarkCard | undefined> {
    const rec = await this.store.getCard(messageId);
    return rec && this.renderRecord(rec);
  }

  /**
   * The card of a record at the clock's now: one section per checklist in the order of their first
   * entry, with the current done states and weekly summaries; undefined when none of its checklists is
   * loaded any more.
   */
  private async renderRecord(rec: CardRecord): Promise<LarkCard | undefined> {
    const now = this.clock();
    const sections: DaySection[] = [];
    for (const id of [...new Set(rec.entries.map((e) => e.checklist))]) {
      const c = this.checklists.find((x) => x.id === id);
      if (!c) continue;
      const mine = rec.entries.filter((e) => e.checklist === id);
      const lines: CardLine[] = [];
      for (const e of mine) {
        const item = e.kind !== 'digest' ? c.items.find((i) => i.id === e.item) : undefined;
        if (item) lines.push(await this.line({ checklist: c, item, occurrence: e.occurrence, due: e.due }, now));
      }
      const week = mine.find((e) => e.kind === 'digest')?.occurrence;
      const lineEntries = mine.filter((e) => e.kind !== 'digest');
      sections.push({ checklist: c, lines, escalation: lineEntries.length > 0 && lineEntries.every((e) => e.kind === 'escalation'), ...(week ? { week: await this.week(c, week, now) } : {}) });
    }
    return sections.some((x) => x.lines.length || x.week) ? dayCard(sections, now) : undefined;
  }

  /**
   * Whether `openId` may mark items of this checklist done or undo them: an assignee of the item, the
   * checklist owner, or an administrator (`LARK_ADMIN_OPEN_IDS`).
   */
  mayAct(c: Checklist, item: ChecklistItem, openId: string): boolean {
    return this.admins.has(openId) || c.owner.open_id === openId || item.assignees.some((a) => a.open_id === openId);
  }

  /** Pauses the reminders to `chatId` (the bot was removed from it); tells the owners in the log and in `/tasks`. */
  async pauseChat(chatId: string, reason = 'bot-removed'): Promise<void> {
    const affected = this.checklists.filter((c) => c.chat_id === chatId || c.owner.chat_id === chatId);
    await this.store.pauseChat(chatId, this.clock(), reason);
    for (const c of affected) {
      log.warn({ checklist: c.id, chatId, owner: c.owner.open_id, reason }, `reminders: paused for chat ${chatId} (the bot was removed); owner ${c.owner.name} is told in /tasks of the private chat`);
    }
  }

  /**
   * Lifts a pause and a send backoff on `chatId` (the bot was added back); missed reminders inside the
   * catch-up window go out at the next tick. Returns whether there was one.
   */
  async resumeChat(chatId: string): Promise<boolean> {
    const paused = await this.store.resumeChat(chatId);
    const held = (await this.store.chatHold(chatId)) !== undefined;
    await this.store.clearChatHold(chatId);
    if (paused || held) log.info({ chatId }, 'reminders: chat resumed');
    return paused || held;
  }

  /** The chat commands `/tasks` (a group's open items) and `/done <item>` (mark one done). */
  chatCommands(): ChatCommand[] {
    return [
      {
        names: ['/tasks', '任务', '待办'],
        help: '/tasks — 列出本群清单中未完成的事项',
        run: async (ctx) => {
          const mine = this.scope(ctx);
          if (!mine.length) return ctx.chatType === 'group' ? '本群没有配置待办清单。群主或群管理员可以发送 /启用 支部常规。' : '没有与你相关的待办清单。';
          const sections: TasksSection[] = await Promise.all(mine.map(async (c) => ({ checklist: c, lines: await this.openLines(c), notice: await this.pauseNotice(c) })));
          return tasksCard(sections, ctx.chatId, this.clock());
        },
      },
      {
        names: ['/done', '完成'],
        help: '/done <事项 id 或标题> — 把本群清单中的一项标记为完成（负责人或清单负责人）',
        run: async (ctx) => {
          const q = ctx.args.trim();
          if (!q) return '用法：/done &lt;事项 id 或标题&gt;，例如 /done party-dues。可用 /tasks 查看事项。';
          const hits = this.scope(ctx).flatMap((c) => c.items.filter((i) => i.id === q || i.title === q || i.title.includes(q)).map((i) => ({ c, i })));
          const exact = hits.filter(({ i }) => i.id === q || i.title === q);
          const pick = exact.length === 1 ? exact : hits;
          if (!pick.length) return `${ctx.chatType === 'group' ? '本群' : '你的'}清单中没有“${escapeText(q)}”。可用 /tasks 查看事项。`;
          if (pick.length > 1) {
            const same = new Set(pick.map(({ i }) => i.title)).size < pick.length;
            return `“${escapeText(q)}”匹配多项：${pick.map(({ i }) => escapeText(same ? `${i.title}（${i.id}）` : i.title)).join('、')}，请写完整的事项名称。`;
          }
          const { c, i } = pick[0];
          if (!this.mayAct(c, i, ctx.senderOpenId)) {
            log.info({ checklist: c.id, item: i.id, by: ctx.senderOpenId, chatType: ctx.chatType }, 'reminders: /done refused (not an assignee, owner or admin)');
            // in a private chat (the terminal chat is one) the item is marked where it is reminded: the branch's group
            if (ctx.chatType !== 'group') return inGroupOnly(c, i);
            return `只有“${escapeText(i.title)}”的负责人或清单负责人可以标记完成。`;
          }
          const target = (await this.openLines(c)).find((l) => l.item.id === i.id);
          if (!target) return `“${escapeText(i.title)}”当前没有未完成的期次。`;
          await this.markDone(c.id, i.id, target.occurrence, ctx.senderOpenId, 'command');
          return doneCard(c, await this.line({ checklist: c, item: i, occurrence: target.occurrence, due: target.due }, this.clock()), ctx.chatId, this.clock());
        },
      },
    ];
  }

  private async pauseNotice(c: Checklist): Promise<string | undefined> {
    const p = await this.store.pausedChat(c.chat_id);
    return p ? `机器人已于 ${formatTime(p.at)} 被移出本清单的群，提醒已暂停；把机器人重新加入该群即可恢复。` : undefined;
  }

  /**
   * The checklists a command applies to: in a group, those of that chat; in a private chat, those
   * the sender owns or is assigned in (all of them for an administrator); in the local terminal chat
   * (`oc_local_…`), all of them.
   */
  private scope(ctx: { chatId: string; chatType: 'group' | 'p2p'; senderOpenId: string }): Checklist[] {
    if (ctx.chatType === 'group') return this.checklists.filter((c) => c.chat_id === ctx.chatId);
    if (ctx.chatId.startsWith('oc_local_') || this.admins.has(ctx.senderOpenId)) return this.checklists;
    return this.checklists.filter((c) => c.owner.open_id === ctx.senderOpenId || c.items.some((i) => i.assignees.some((a) => a.open_id === ctx.senderOpenId)));
  }

  /** Open (overdue first, then next) lines of a checklist at the clock's now. */
  private async openLines(c: Checklist): Promise<CardLine[]> {
    const now = this.clock();
    return (await Promise.all(taskView(c, this.calendar, now).occurrences.map((o) => this.line(o, now))))
      .filter((l) => !l.done)
      .sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.due.localeCompare(b.due));
  }

  /**
   * Checks a click on a 标记完成/撤销 button. The item must be shown to the chat the click came from:
   * either the clicked message is a reminder card we sent to that chat listing that occurrence, or it
   * is a `/tasks`//done card rendered for that chat (`value.chat`, so a forwarded copy is refused)
   * and the occurrence is one the schedule tracks now. The clicker must pass {@link ReminderService.mayAct}.
   * Returns the target or a refusal toast.
   */
  private async authorize(ctx: CardActionContext): Promise<{ c: Checklist; item: ChecklistItem; occurrence: string; stored: boolean } | CardActionResult> {
    const refuse = (content: string, why: string): CardActionResult => {
      log.warn({ why, chatId: ctx.chatId, messageId: ctx.messageId, openId: ctx.openId, value: ctx.value }, 'reminders: card action refused');
      return { toast: { type: 'error', content } };
    };
    const parsed = ActionValueSchema.safeParse(ctx.value);
    if (!parsed.success) return refuse('这个按钮已失效', 'malformed value');
    const { checklist, item, occurrence, chat } = parsed.data;
    const c = this.checklists.find((x) => x.id === checklist);
    const it = c?.items.find((i) => i.id === item);
    if (!c || !it) return refuse('这个按钮已失效', 'unknown checklist or item');
    const rec = await this.store.getCard(ctx.messageId);
    if (rec) {
      if (rec.chat_id !== ctx.chatId || !rec.entries.some((e) => e.checklist === c.id && e.kind !== 'digest' && e.item === it.id && e.occurrence === occurrence)) {
        return refuse('该事项不属于本群，无法操作', 'card of another chat or occurrence');
      }
    } else {
      if (chat !== ctx.chatId) return refuse('该事项不属于本群，无法操作', 'card not rendered for this chat');
      const tracked = taskView(c, this.calendar, this.clock()).occurrences.some((o) => o.item.id === it.id && o.occurrence === occurrence);
      if (!tracked && !(await this.store.getDone(c.id, it.id, occurrence))) return refuse('这一期事项不存在或已过期', 'occurrence not tracked');
    }
    if (!this.mayAct(c, it, ctx.openId)) return refuse('只有该事项的负责人或清单负责人可以操作', 'not an assignee, owner or admin');
    return { c, item: it, occurrence, stored: Boolean(rec) };
  }

  /** The card that replaces the clicked one after a done/undo. */
  private async clickedCard(ctx: CardActionContext, c: Checklist, item: ChecklistItem, occurrence: string, stored: boolean): Promise<LarkCard | undefined> {
    if (stored) return this.renderStored(ctx.messageId);
    const now = this.clock();
    const view = (ctx.value as { view?: unknown }).view;
    if (view === 'tasks') return tasksCard([{ checklist: c, lines: await this.openLines(c), notice: await this.pauseNotice(c) }], ctx.chatId, now);
    const due = taskView(c, this.calendar, now).occurrences.find((o) => o.item.id === item.id && o.occurrence === occurrence)?.due ?? occurrence;
    return doneCard(c, await this.line({ checklist: c, item, occurrence, due }, now), ctx.chatId, now);
  }

  /**
   * The card actions: 标记完成 (`reminder.done`) records who and when; 撤销 (`reminder.undo`) removes
   * the mark within a day ({@link UNDO_WINDOW_MS}), by the person who marked it, the owner or an admin.
   * Both are authorized ({@link ReminderService.authorize}) and answer at once with the refreshed
   * clicked card (for the callback response); other copies are updated in the background.
   */
  cardActionRoutes(): CardActionRoute[] {
    return [
      {
        kind: REMINDER_DONE_KIND,
        handle: async (ctx) => {
          const t = await this.authorize(ctx);
          if (!('c' in t)) return t;
          const ok = await this.markDone(t.c.id, t.item.id, t.occurrence, ctx.openId, 'button', ctx.messageId);
          const card = await this.clickedCard(ctx, t.c, t.item, t.occurrence, t.stored);
          return { card, toast: ok ? { type: 'success', content: '已标记完成' } : { type: 'info', content: '该事项已标记完成' } };
        },
      },
      {
        kind: REMINDER_UNDO_KIND,
        handle: async (ctx) => {
          const t = await this.authorize(ctx);
          if (!('c' in t)) return t;
          const mark = await this.store.getDone(t.c.id, t.item.id, t.occurrence);
          if (!mark) return { card: await this.clickedCard(ctx, t.c, t.item, t.occurrence, t.stored), toast: { type: 'info', content: '该事项尚未完成' } };
          if (this.clock() - mark.at >= UNDO_WINDOW_MS) return { toast: { type: 'warning', content: '已超过一天，不能撤销' } };
          if (mark.by_open_id !== ctx.openId && !this.admins.has(ctx.openId) && t.c.owner.open_id !== ctx.openId) {
            return { toast: { type: 'error', content: '只有标记人或清单负责人可以撤销' } };
          }
          await this.undoDone(t.c.id, t.item.id, t.occurrence, ctx.openId, ctx.messageId);
          return { card: await this.clickedCard(ctx, t.c, t.item, t.occurrence, t.stored), toast: { type: 'success', content: '已撤销' } };
        },
      },
    ];
  }
}

/** The callback value of the 标记完成/撤销 buttons (see `src/reminders/cards.ts`). */
const ActionValueSchema = z.object({
  checklist: z.string().min(1),
  item: z.string().min(1),
  occurrence: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  view: z.string().optional(),
  /** The chat a `/tasks` or `/done` card was rendered for. */
  chat: z.string().optional(),
});

/**
 * The answer to `/done` in a private chat from someone who is not responsible for the item: where to send
 * it (the branch's group, where the item is reminded) and who may mark it there.
 */
function inGroupOnly(c: Checklist, i: ChecklistItem): string {
  return `“${escapeText(i.title)}”是「${escapeText(c.name)}」群清单中的事项：请在该支部的群里 @党建助手 发送 /done ${escapeText(i.title)}，或点提醒卡片上的“标记完成”（事项负责人、清单负责人或管理员可以标记）。`;
}

function nameOf(c: Checklist, openId: string): string {
  if (c.owner.open_id === openId) return c.owner.name;
  for (const i of c.items) for (const p of i.assignees) if (p.open_id === openId) return p.name;
  return openId;
}

/**
 * The state of every tracked occurrence of `checklists` at `nowMs`: recent past ones (last ~2 months,
 * from each item's `starts`) and the next one of each item. `store` may be undefined (nothing done yet).
 * Occurrences in years without calendar data are logged and left out.
 */
export async function listTasks(checklists: Checklist[], cal: WorkCalendar, store: ReminderStore | undefined, nowMs: number): Promise<TaskState[]> {
  const today = localDate(nowMs);
  const out: TaskState[] = [];
  for (const c of checklists) {
    const { occurrences, problems } = taskView(c, cal, nowMs);
    for (const p of problems) log.warn({ checklist: p.checklist, item: p.item }, p.message);
    for (const o of occurrences) {
      const d = await store?.getDone(c.id, o.item.id, o.occurrence);
      out.push({
        chat_id: c.chat_id,
        checklist: c.id,
        id: o.item.id,
        title: o.item.title,
        occurrence: o.occurrence,
        due: o.due,
        state: d ? 'done' : o.due < today ? 'overdue' : 'open',
        assignees: o.item.assignees,
        ...(o.item.measure ? { measure: o.item.measure } : {}),
        ...(d ? { done_by: { open_id: d.by_open_id, name: d.by_name }, done_at: DateTime.fromMillis(d.at, { zone: ZONE }).toISO({ suppressMilliseconds: true })! } : {}),
      });
    }
  }
  return out;
}

/** Items of a checklist as `{id,title,due,assignees}` (the dry-run JSON shape). */
export function itemSummary(item: ChecklistItem, due: string): { id: string; title: string; due: string; assignees: Person[] } {
  return { id: item.id, title: item.title, due, assignees: item.assignees };
}

