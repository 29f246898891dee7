import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Citation } from '../../src/types.js';
import { buildCards, buildListCard, CARD_BODY_LIMIT_BYTES, cardRequestBytes, countComponents, MAX_CARD_COMPONENTS } from '../../src/lark/cards.js';
import { ChatConfigError, loadChatConfig } from '../../src/lark/config.js';
import { acknowledgementReply } from '../../src/lark/acknowledgement.js';
import { extractText } from '../../src/lark/conversation.js';
import { verifyLarkRequest } from '../../src/lark/request-verification.js';
import { renderCardText } from '../../src/lark/render-text.js';
import { openChatStore } from '../../src/lark/store.js';
import { buildMessageEvent, encryptPayload, signBody, STANDIN_ENCRYPT_KEY, STANDIN_VERIFICATION_TOKEN } from '../support/openapi-standin.js';

describe('chat configuration', () => {
  it('runs the local chat when no credentials are set', () => {
    expect(loadChatConfig({})).toMatchObject({ kind: 'local', stateDb: 'var/lark.db', historyTurns: 3 });
  });

  it('reads a Feishu configuration with a base URL domain and allowed chats', () => {
    const cfg = loadChatConfig({
      LARK_APP_ID: 'cli_a1b2c3d4e5f60718',
      LARK_APP_SECRET: 's',
      LARK_DOMAIN: 'http://127.0.0.1:9000/',
      LARK_ALLOWED_CHATS: 'oc_1, oc_2',
      LARK_ADMIN_OPEN_IDS: 'ou_a',
    });
    expect(cfg).toMatchObject({ kind: 'lark', baseUrl: 'http://127.0.0.1:9000', mode: 'ws', allowedChats: ['oc_1', 'oc_2'], adminOpenIds: ['ou_a'] });
    expect(loadChatConfig({ LARK_APP_ID: 'cli_a1b2c3d4e5f60718', LARK_APP_SECRET: 's', LARK_DOMAIN: 'lark' })).toMatchObject({ baseUrl: 'https://open.larksuite.com' });
  });

  it('names every bad variable, without echoing secrets', () => {
    let err: unknown;
    try {
      loadChatConfig({ LARK_APP_ID: 'cli_a', LARK_APP_SECRET: 'topsecret', LARK_MODE: 'http', LARK_DOMAIN: 'ftp://x', LARK_ALLOWED_CHATS: 'group1' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ChatConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('LARK_MODE: must be "ws" (long connection) or "webhook" (got "http")');
    expect(msg).toContain('LARK_DOMAIN');
    expect(msg).toContain('LARK_ALLOWED_CHATS');
    expect(msg).not.toContain('topsecret');
    expect(() => loadChatConfig({ LARK_APP_ID: 'cli_a', LARK_APP_SECRET: 's', LARK_MODE: 'webhook' })).toThrow(/LARK_ENCRYPT_KEY: required when LARK_MODE=webhook/);
    expect(() => loadChatConfig({ LARK_APP_ID: 'cli_a' })).toThrow(/LARK_APP_SECRET/);
    // the SDK's WSClient silently refuses an app id that is not cli_ + 16 hex digits
    expect(() => loadChatConfig({ LARK_APP_ID: 'cli_abc', LARK_APP_SECRET: 's' })).toThrow(/LARK_APP_ID: must be cli_ followed by 16 hex digits/);
  });
});

describe('cards within the 30 KB limit', () => {
  const cite = (n: number, len: number): Citation => ({ n, source: `s${n}.txt`, title: `报告${n}`, section: '一、人才', text: '党建引领乡村振兴'.repeat(len / 8) });

  it('keeps a normal answer in one card, sources folded, passages shortened', () => {
    const [card, ...rest] = buildCards({ title: 't', body: '回答[1]', citations: [cite(1, 2000)], feedbackFor: 'q' });
    expect(rest).toHaveLength(0);
    const text = JSON.stringify(card);
    expect(text).toContain('collapsible_panel');
    expect(text.length).toBeLessThan(3000);
  });

  it('splits a very long body over several cards, each under the limit, sources and buttons on the last', () => {
    const body = Array.from({ length: 400 }, (_, i) => `${i + 1}. 海西州吸引467名大学生到村任职，169名大学生担任村党支部书记。`).join('\n');
    const cards = buildCards({ title: '举措', body, citations: Array.from({ length: 30 }, (_, i) => cite(i + 1, 600)), feedbackFor: 'q' });
    expect(cards.length).toBeGreaterThan(1);
    for (const c of cards) expect(cardRequestBytes(c)).toBeLessThanOrEqual(CARD_BODY_LIMIT_BYTES);
    expect(JSON.stringify(cards[0])).not.toContain('feedback');
    expect(JSON.stringify(cards.at(-1))).toContain('feedback');
    expect(renderCardText(cards[0])).toContain(`（1/${cards.length}）`);
    // nothing of the body is lost when it fits in maxParts cards
    const all = cards.map((c) => renderCardText(c)).join('\n');
    expect(all).toContain('400. 海西州');
  });

  it('cuts with a note beyond the maximum number of parts', () => {
    const body = '很长的内容。'.repeat(60_000);
    const cards = buildCards({ title: 't', body }, { maxParts: 2 });
    expect(cards).toHaveLength(2);
    for (const c of cards) expect(cardRequestBytes(c)).toBeLessThanOrEqual(CARD_BODY_LIMIT_BYTES);
    expect(renderCardText(cards[1])).toContain('已截断');
  });
});

describe('card text rendering for the local chat', () => {
  it('a mention with the name shows the name, one without it the open_id', () => {
    const card = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: '负责：<at id=ou_1>王书记（示例）</at> <at id=ou_2></at>' }] } };
    expect(renderCardText(card)).toBe('负责：@王书记（示例） @ou_2');
  });

  it('shows title, body, folded sources and buttons', () => {
    const [card] = buildCards({ title: '党建助手 · 回答', body: '共 **467** 名[1]', citations: [{ n: 1, source: 'a.txt', title: '报告', section: '人才', text: '吸引467名 <大学生>' }], feedbackFor: 'q' });
    const text = renderCardText(card);
    expect(text).toContain('【党建助手 · 回答】');
    expect(text).toContain('共 467 名[1]');
    expect(text).toContain('▸ 来源（1）');
    expect(text).toContain('  [1] 《报告》 · 人才');
    expect(text).toContain('吸引467名 <大学生>');
    expect(text).toContain('[👍 有用] [👎 没用]');
  });
});

describe('message text extraction', () => {
  it('reads text and post messages, nothing else', () => {
    expect(extractText({ messageType: 'text', content: '{"text":"@_user_1 你好"}' })).toBe('@_user_1 你好');
    expect(
      extractText({ messageType: 'post', content: JSON.stringify({ title: '', content: [[{ tag: 'at', user_id: '@_user_1' }, { tag: 'text', text: '问题' }]] }) })?.trim(),
    ).toBe('@_user_1 问题');
    expect(extractText({ messageType: 'image', content: '{"image_key":"x"}' })).toBeUndefined();
  });
});

describe('thanks and acknowledgements', () => {
  it('a message that only thanks or acknowledges gets one line; one that asks more is left to the answer', () => {
    expect(acknowledgementReply('谢谢！')).toBe('不客气！还有问题随时问我。');
    expect(acknowledgementReply('好的，谢谢')).toBe('不客气！还有问题随时问我。');
    expect(acknowledgementReply('收到')).toBe('好的，有需要随时找我。');
    expect(acknowledgementReply('OK')).toBe('好的，有需要随时找我。');
    expect(acknowledgementReply('谢谢，那党费怎么交？')).toBeUndefined();
    expect(acknowledgementReply('好的做法有哪些')).toBeUndefined();
    expect(acknowledgementReply('可以线上交党费吗')).toBeUndefined();
  });
});

describe('dedupe store', () => {
  it('claims an event once by event_id and by message_id, across a reopen', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dj-store-')), 'x.db');
    const a = await openChatStore(file, { env: {} });
    expect(await a.claim('e1', 'm1')).toBe(true);
    expect(await a.claim('e1', 'm1')).toBe(false);
    expect(await a.claim('e2', 'm1')).toBe(false);
    expect(await a.claim('e1', 'm2')).toBe(false);
    await a.close();
    const b = await openChatStore(file, { env: {} });
    expect(await b.claim('e1', 'm9')).toBe(false);
    expect(await b.claim('e3', 'm3')).toBe(true);
    await b.addTurn('t', { question: 'q1', answer: 'a1' });
    await b.addTurn('t', { question: 'q2', answer: 'a2' });
    expect(await b.lastTurns('t', 1)).toEqual([{ question: 'q2', answer: 'a2' }]);
    await b.close();
  });
});

describe('webhook delivery check', () => {
  const cfg = { encryptKey: STANDIN_ENCRYPT_KEY, verificationToken: STANDIN_VERIFICATION_TOKEN };
  it('accepts a signed encrypted event and rejects a tampered body', () => {
    const body = JSON.stringify(encryptPayload(buildMessageEvent({ chatId: 'oc_1', text: 'x' })));
    const headers = signBody(body);
    expect(verifyLarkRequest(body, headers, cfg)).toEqual({ ok: true });
    const tampered = body.replace(/"}$/, 'A"}');
    expect(verifyLarkRequest(tampered, headers, cfg)).toMatchObject({ ok: false, status: 401 });
  });
  it('rejects an event carrying another app\'s verification token', () => {
    const body = JSON.stringify(encryptPayload(buildMessageEvent({ chatId: 'oc_1', text: 'x', token: 'other' })));
    expect(verifyLarkRequest(body, signBody(body), cfg)).toMatchObject({ ok: false, status: 401, reason: 'verification token mismatch' });
  });
  it('accepts a signed timestamp within 5 minutes either way and refuses one outside, or a malformed one', () => {
    const body = JSON.stringify(encryptPayload(buildMessageEvent({ chatId: 'oc_1', text: 'x' })));
    const at = 1_800_000_000;
    const headers = signBody(body, STANDIN_ENCRYPT_KEY, String(at));
    expect(verifyLarkRequest(body, headers, cfg, (at + 299) * 1000)).toEqual({ ok: true });
    expect(verifyLarkRequest(body, headers, cfg, (at - 299) * 1000)).toEqual({ ok: true });
    expect(verifyLarkRequest(body, headers, cfg, (at + 301) * 1000)).toMatchObject({ ok: false, status: 401, reason: expect.stringContaining('stale') });
    expect(verifyLarkRequest(body, headers, cfg, (at - 301) * 1000)).toMatchObject({ ok: false, status: 401 });
    expect(verifyLarkRequest(body, signBody(body, STANDIN_ENCRYPT_KEY, 'soon'), cfg)).toMatchObject({ ok: false, status: 401, reason: expect.stringContaining('malformed') });
  });
});

describe('list cards within the platform limits', () => {
  it('keeps as many whole items as fit 200 components and 30 KB and counts the rest', () => {
    const item = (i: number, text: string) => [{ tag: 'column_set', columns: [{ tag: 'column', elements: [{ tag: 'markdown', content: `${i}. ${text}` }, { tag: 'button', text: { tag: 'plain_text', content: '标记完成' } }] }] }];
    for (const text of ['短', '长'.repeat(600)]) {
      const card = buildListCard({ title: 't', template: 'blue', summary: 's', items: Array.from({ length: 100 }, (_, i) => item(i, text)) });
      expect(countComponents(card)).toBeLessThanOrEqual(MAX_CARD_COMPONENTS);
      expect(cardRequestBytes(card)).toBeLessThanOrEqual(CARD_BODY_LIMIT_BYTES);
      const shown = JSON.stringify(card).match(/标记完成/g)!.length;
      const hidden = Number(/还有(\d+)项未显示，发送 \/tasks 查看/.exec(JSON.stringify(card))![1]);
      expect(shown + hidden).toBe(100);
      expect(shown).toBeGreaterThan(0);
    }
    const small = buildListCard({ title: 't', template: 'blue', summary: 's', items: [item(1, 'x')] });
    expect(JSON.stringify(small)).not.toContain('还有');
  });
});
