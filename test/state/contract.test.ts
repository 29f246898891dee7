/**
 * One contract for the shared state, run against SQLite (always) and the real PostgreSQL
 * (`TEST_DATABASE_URL`; see test/support/postgres.ts). "Two replicas" here are two stores with their own
 * owner ids on the same database: two connections, as two processes would have.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../src/log.js';
import { openChatState, openDocumentState, openReminderState } from '../../src/state/open.js';
import { uploadStoreOn } from '../../src/state/uploads.js';
import type { ChatState, DocumentChange, DocumentState, InboxMessage, ReminderState } from '../../src/state/types.js';
import { freshDatabase, skipPostgres } from '../support/postgres.js';

setLogLevel('silent');

type Msg = InboxMessage & { chatId: string; text: string };
const msg = (i: number, eventId = `ev_${i}`): Msg => ({ eventId, messageId: `om_${i}`, chatId: 'oc_1', text: `问题 ${i}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Backend {
  chat(leaseMs?: number): Promise<ChatState<Msg>>;
  reminders(leaseMs?: number): Promise<ReminderState>;
  documents(): Promise<DocumentState>;
}

function contract(name: string, setup: () => Promise<{ backend: Backend; teardown: () => Promise<void> }>) {
  describe(`shared state contract: ${name}`, () => {
    let b: Backend;
    let teardown: () => Promise<void>;
    const open: { close(): Promise<void> }[] = [];
    const track = <T extends { close(): Promise<void> }>(s: T): T => (open.push(s), s);
    beforeAll(async () => {
      ({ backend: b, teardown } = await setup());
    });
    afterAll(async () => {
      for (const s of open) await s.close();
      await teardown();
    });

    it('a message is accepted once across replicas, by event_id and by message_id', async () => {
      const a = track(await b.chat());
      const c = track(await b.chat());
      expect(await a.accept(msg(1))).toBe(true);
      expect(await c.accept(msg(1))).toBe(false); // the same delivery at the other replica
      expect(await c.accept(msg(1, 'ev_other'))).toBe(false); // the same message in a new event
      expect(await a.claim('ev_x', undefined)).toBe(true);
      expect(await c.claim('ev_x', undefined)).toBe(false);
      expect(await a.claim(undefined, undefined)).toBe(true);
      expect((await c.inbox()).map((e) => e.message)).toEqual([msg(1)]);
      await a.finish('om_1');
      expect(await c.inbox()).toEqual([]);
    });

    it('concurrent deliveries of the same messages to two replicas: each accepted exactly once', async () => {
      const a = track(await b.chat());
      const c = track(await b.chat());
      const ids = Array.from({ length: 60 }, (_, i) => 1000 + i);
      const results = await Promise.all(ids.flatMap((i) => [a.accept(msg(i)), c.accept(msg(i)), c.accept(msg(i, `ev_dup_${i}`))]));
      for (let k = 0; k < ids.length; k++) expect(results.slice(3 * k, 3 * k + 3).filter(Boolean), `message ${ids[k]}`).toHaveLength(1);
      for (const i of ids) await a.finish(`om_${i}`);
    });

    it('an inbox entry is leased: not taken while its holder renews it, taken over once the lease expired', async () => {
      const a = track(await b.chat(400));
      const c = track(await b.chat(400));
      expect(await a.accept(msg(2))).toBe(true);
      const now = Date.now() + 1;
      expect(await c.takeInbox(now)).toEqual([]); // A is answering it
      await sleep(250);
      await a.renewInbox(['om_2']);
      await sleep(250);
      expect(await c.takeInbox(Date.now()), 'renewed lease still live').toEqual([]);
      await sleep(500); // A died: no more renewals
      const taken = await c.takeInbox(Date.now());
      expect(taken.map((e) => e.message.messageId)).toEqual(['om_2']);
      expect(await a.takeInbox(Date.now()), 'now leased to the other replica').toEqual([]);
      // a failure that may pass: deferred, the lease freed; due later for whichever replica comes first
      await c.defer('om_2', Date.now() + 200);
      expect(await a.takeInbox(Date.now())).toEqual([]);
      await sleep(250);
      expect((await a.takeInbox(Date.now())).map((e) => [e.message.messageId, e.attempts])).toEqual([['om_2', 1]]);
      await a.finish('om_2');
      expect(await c.inbox()).toEqual([]);
    });

    it('streaming cards: recorded with a lease, renewed, taken once expired (by one replica), ceiling only raised, forgotten', async () => {
      const a = track(await b.chat(300));
      const c = track(await b.chat(300));
      const card = { cardId: 'card_1', chatId: 'oc_1', messageId: 'om_q', openedAt: 1000, sequenceCeiling: 100 };
      await a.streamCardOpened(card);
      await a.streamCardCeiling('card_1', 200);
      await a.streamCardCeiling('card_1', 150);
      await new Promise((r) => setTimeout(r, 200));
      await a.renewStreamCards(['card_1']);
      await new Promise((r) => setTimeout(r, 200));
      expect(await c.takeInterruptedStreamCards(), 'renewed: still live').toEqual([]);
      await new Promise((r) => setTimeout(r, 400));
      const [x, y] = await Promise.all([c.takeInterruptedStreamCards(), a.takeInterruptedStreamCards()]);
      expect([...x, ...y]).toEqual([{ ...card, sequenceCeiling: 200 }]);
      await c.streamCardClosed('card_1');
      await new Promise((r) => setTimeout(r, 400));
      expect(await a.takeInterruptedStreamCards()).toEqual([]);
    });

    it('history keeps the last 20 turns per thread with their sources; feedback keeps one vote per user and card', async () => {
      const a = track(await b.chat());
      for (let i = 0; i < 23; i++) await a.addTurn('oc_1/om_t', { question: `q${i}`, answer: `a${i}`, ...(i === 22 ? { sources: ['海西州.md'] } : {}) });
      expect(await a.lastTurns('oc_1/om_t', 2)).toEqual([{ question: 'q21', answer: 'a21' }, { question: 'q22', answer: 'a22', sources: ['海西州.md'] }]);
      expect(await a.lastTurns('oc_1/om_t', 100)).toHaveLength(20);
      expect(await a.lastTurns('oc_1/other', 3)).toEqual([]);
      await a.recordFeedback({ messageId: 'om_card', chatId: 'oc_1', openId: 'ou_1', vote: 'up', question: 'q', at: 1 });
      await a.recordFeedback({ messageId: 'om_card', chatId: 'oc_1', openId: 'ou_1', vote: 'down', question: 'q', at: 2 });
      await a.recordFeedback({ messageId: 'om_card', chatId: 'oc_1', openId: 'ou_2', vote: 'up', question: 'q', at: 3 });
      expect((await a.listFeedback()).map((f) => [f.openId, f.vote])).toEqual([['ou_1', 'down'], ['ou_2', 'up']]);
      expect(await a.feedbackTotals()).toEqual({ up: 1, down: 1 });
      await a.recordUndeliverable({ chatId: 'oc_gone', code: 230002, msg: 'bot not in chat', at: 5 });
      expect(await a.listUndeliverable()).toEqual([{ chatId: 'oc_gone', code: 230002, msg: 'bot not in chat', at: 5 }]);
      await a.clearUndeliverable('oc_gone');
      expect(await a.listUndeliverable()).toEqual([]);
    });

    it('a reminder send is leased: a live claim is never taken over, an expired one is, once', async () => {
      const a = track(await b.reminders(400));
      const c = track(await b.reminders(400));
      const keys = ['l|x|2026-12-10|d1@09:00', 'l|y|2026-12-10|d1@09:00'];
      expect(await a.claim(keys, 'reminder', 'oc_1', 1)).toEqual({ keys, inDoubt: [] });
      expect(await c.claim(keys, 'reminder', 'oc_1', 2), 'live lease of the other replica').toEqual({ keys: [], inDoubt: [] });
      expect(await c.settled(keys[0])).toBe(true);
      await sleep(250);
      expect(await a.renew(keys)).toEqual(keys);
      await sleep(250);
      expect((await c.claim(keys, 'reminder', 'oc_1', 3)).keys, 'renewed').toEqual([]);
      await sleep(500); // A stopped mid-send
      expect(await c.settled(keys[0])).toBe(false);
      expect(await c.claim(keys, 'reminder', 'oc_1', 4)).toEqual({ keys, inDoubt: keys });
      expect(await a.renew(keys), 'A lost its lease').toEqual([]);
      await a.confirm(keys, 'om_from_a', 5); // too late: not A's any more
      expect((await c.sendState(keys[0]))?.state).toBe('claimed');
      await c.confirm(keys, 'om_from_c', 6);
      expect(await a.sendState(keys[1])).toMatchObject({ state: 'sent', message_id: 'om_from_c' });
      expect((await a.claim(keys, 'reminder', 'oc_1', 7)).keys).toEqual([]);
      expect(await a.sentCount('reminder')).toBe(2);
      // a failed send releases: the next tick (any replica) claims again
      expect((await a.claim(['l|z|1'], 'digest', 'oc_1', 8)).keys).toEqual(['l|z|1']);
      await a.release(['l|z|1']);
      expect((await c.claim(['l|z|1'], 'digest', 'oc_1', 9)).keys).toEqual(['l|z|1']);
    });

    it('two replicas claiming the same keys at once split them: every key to exactly one', async () => {
      const a = track(await b.reminders());
      const c = track(await b.reminders());
      const keys = Array.from({ length: 40 }, (_, i) => `race|${i}`);
      const groups = Array.from({ length: 8 }, (_, g) => keys.slice(g * 5, g * 5 + 15)); // overlapping groups
      const claims = await Promise.all(groups.flatMap((g) => [a.claim(g, 'reminder', 'oc_1', 1), c.claim([...g].reverse(), 'reminder', 'oc_1', 1)]));
      const mine = (i: number) => claims.filter((_, k) => k % 2 === i).flatMap((x) => x.keys);
      const all = [...mine(0), ...mine(1)];
      expect(new Set(all).size, 'no key claimed twice').toBe(all.length);
      expect(new Set(all)).toEqual(new Set(keys));
    });

    it("keeps the reminders' records: first start, done marks, cards, holds and pauses", async () => {
      const a = track(await b.reminders());
      const c = track(await b.reminders());
      expect(await a.firstStart(100)).toBe(100);
      expect(await c.firstStart(200)).toBe(100);
      const mark = { checklist: 'l', item: 'dues', occurrence: '2026-12-10', by_open_id: 'ou_a', by_name: '李', at: 10, via: 'button' };
      expect(await a.markDone(mark)).toBe(true);
      expect(await c.markDone({ ...mark, by_open_id: 'ou_b', at: 11 })).toBe(false);
      expect(await c.getDone('l', 'dues', '2026-12-10')).toEqual(mark);
      expect(await c.doneBetween('l', 0, 11)).toEqual([mark]);
      expect(await c.doneBetween('l', 11, 20)).toEqual([]);
      const dues = { checklist: 'l', item: 'dues', occurrence: '2026-12-10', due: '2026-12-10' };
      await a.saveCard({ message_id: 'om_c1', chat_id: 'oc_1', day: '2026-12-07', kind: 'reminder', entries: [dues], sent_at: 50 });
      expect(await c.getCard('om_c1')).toMatchObject({ chat_id: 'oc_1', day: '2026-12-07', entries: [dues] });
      expect((await c.cardsShowing('l', 'dues', '2026-12-10', 0)).map((r) => r.message_id)).toEqual(['om_c1']);
      expect(await c.cardsShowing('l', 'dues', '2026-12-11', 0)).toEqual([]);
      expect(await c.cardsShowing('other', 'dues', '2026-12-10', 0)).toEqual([]);
      expect(await c.cardsShowing('l', 'dues', '2026-12-10', 51)).toEqual([]);
      // entries of another checklist merged into the day's card, each once, from either replica
      const meeting = { checklist: 'notice-1', item: 'meeting', occurrence: '2026-12-11', due: '2026-12-11' };
      await Promise.all([a.addCardEntries('om_c1', [meeting, dues]), c.addCardEntries('om_c1', [meeting])]);
      expect((await a.getCard('om_c1'))!.entries).toEqual([dues, meeting]);
      expect((await a.cardsShowing('notice-1', 'meeting', '2026-12-11', 0)).map((r) => r.message_id)).toEqual(['om_c1']);
      expect(await a.addCardEntries('om_none', [meeting])).toBeUndefined();
      expect(await c.undoDone('l', 'dues', '2026-12-10')).toEqual(mark);
      expect(await c.undoDone('l', 'dues', '2026-12-10')).toBeUndefined();
      const h1 = await a.holdChat('oc_1', { code: 99991400, reason: 'rate', now: 1000, backoffMs: (n) => n * 60_000 });
      const h2 = await c.holdChat('oc_1', { reason: '5xx', now: 2000, backoffMs: (n) => n * 60_000 });
      expect([h1.failures, h2.failures, h2.until]).toEqual([1, 2, 122_000]);
      expect(await a.chatHold('oc_1')).toEqual(h2);
      expect(await a.chatHolds()).toEqual([h2]);
      await a.clearChatHold('oc_1');
      expect(await c.chatHold('oc_1')).toBeUndefined();
      await a.pauseChat('oc_1', 5, 'bot-removed');
      expect(await c.pausedChat('oc_1')).toEqual({ chat_id: 'oc_1', at: 5, reason: 'bot-removed' });
      expect(await c.resumeChat('oc_1')).toBe(true);
      expect(await c.resumeChat('oc_1')).toBe(false);
    });

    it('documents added from chat: bytes and metadata, and every replica hears of an addition or a removal', async () => {
      const a = track(await b.documents());
      const c = track(await b.documents());
      const heard: DocumentChange[] = [];
      const off = c.onDocumentsChanged((ch) => heard.push(ch));
      if ('listening' in c) await (c as { listening(): Promise<void> }).listening();
      const bytes = Buffer.from('# 关于开展主题党日活动的通知\n\n各党支部：……', 'utf8');
      const meta = { chatId: 'oc_1', source: 'upload-1-主题党日通知.md', via: 'file' };
      const doc = await a.save({ name: '主题党日通知.md', bytes, addedBy: 'ou_a', addedAt: 1000, meta });
      expect(doc).toMatchObject({ name: '主题党日通知.md', size: bytes.length, addedBy: 'ou_a', addedAt: 1000, deleted: false, meta });
      expect(doc.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect((await a.save({ name: '主题党日通知.md', bytes, addedBy: 'ou_b' })).id, 'the same file again').toBe(doc.id);
      expect(await c.getBytes(doc.id)).toEqual(bytes);
      expect((await c.list()).map((d) => d.id)).toEqual([doc.id]);
      await expect.poll(() => heard, { timeout: 5000 }).toEqual([{ action: 'added', id: doc.id, name: doc.name, sha256: doc.sha256 }]);
      expect(await c.remove(doc.id, 'ou_admin', 2000)).toBe(true);
      expect(await a.remove(doc.id, 'ou_admin')).toBe(false);
      expect(await a.list()).toEqual([]);
      expect(await a.list({ includeDeleted: true })).toEqual([{ ...doc, deleted: true, deletedAt: 2000, deletedBy: 'ou_admin' }]);
      expect(await a.getBytes(doc.id), 'bytes kept after removal').toEqual(bytes);
      expect(await a.get('999999')).toBeUndefined();
      await expect.poll(() => heard.length, { timeout: 5000 }).toBe(2);
      expect(heard[1]).toEqual({ action: 'removed', id: doc.id, name: doc.name, sha256: doc.sha256 });
      off();
    });

    it('serves as the upload store of the documents from chat: numbered records with their meta and bytes', async () => {
      const uploads = uploadStoreOn<{ fileName: string; addedBy: string; chatId: string; via: 'file' }>(track(await b.documents()));
      const bytes = Buffer.from('第一条　为了加强党员教育管理……', 'utf8');
      const rec = await uploads.save(bytes, { fileName: '党员教育管理办法.txt', addedBy: 'ou_u', chatId: 'oc_9', via: 'file' });
      expect(rec).toMatchObject({ fileName: '党员教育管理办法.txt', addedBy: 'ou_u', chatId: 'oc_9', via: 'file', bytes: bytes.length });
      expect(Number.isInteger(rec.id)).toBe(true);
      expect((await uploads.list()).map((r) => r.id)).toContain(rec.id);
      expect(await uploads.get(rec.id)).toEqual({ record: rec, bytes });
      expect(await uploads.remove(rec.id, 'ou_u')).toBe(true);
      expect(await uploads.get(rec.id)).toBeUndefined();
      expect((await uploads.list()).map((r) => r.id)).not.toContain(rec.id);
      expect(await uploads.remove(rec.id)).toBe(false);
    });
  });
}

contract('SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-state-'));
  const file = (n: string) => path.join(dir, n);
  return {
    backend: {
      chat: (leaseMs) => openChatState<Msg>({ file: file('lark.db'), leaseMs }),
      reminders: (leaseMs) => openReminderState({ file: file('reminders.sqlite'), leaseMs }),
      documents: async () => {
        const { SqliteDocumentState } = await import('../../src/state/sqlite.js');
        return SqliteDocumentState.open(file('documents.sqlite'), { pollMs: 50 });
      },
    },
    teardown: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

describe.skipIf(skipPostgres)('PostgreSQL', () => {
  contract('PostgreSQL', async () => {
    const db = await freshDatabase('contract');
    return {
      backend: {
        chat: (leaseMs) => openChatState<Msg>({ url: db.url, file: '', leaseMs }),
        reminders: (leaseMs) => openReminderState({ url: db.url, file: '', leaseMs }),
        documents: () => openDocumentState({ url: db.url, file: '' }),
      },
      teardown: db.drop,
    };
  });
});
