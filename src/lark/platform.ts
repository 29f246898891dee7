import type { Readable } from 'node:stream';
import type * as lark from '@larksuiteoapi/node-sdk';
import pRetry, { AbortError } from 'p-retry';
import { log } from '../log.js';
import { ResourceError, type ChatInfo, type ChatPlatform } from './contracts.js';

/**
 * What the message-resource API's error codes mean for the user, from the Open Platform page
 * 获取消息中的资源文件 (`im-v1/message/get-message-resource`, …/reference/im-v1/message-resource/get):
 * 230110 message deleted, 234003 file not in message, 234004 app not in chat, 234009 external chat,
 * 234037 over 100 MB, 234038 restricted (保密) message, 234040 message invisible to the bot,
 * 234043 unsupported message type (merged forward, card). 99991672/99991679: the app lacks a scope.
 */
const RESOURCE_REASONS: Record<number, string> = {
  230110: '该消息已被撤回或删除，文件无法再下载',
  234003: '文件已失效或不属于这条消息（请重新发送文件）',
  234004: '机器人不在该群，无法读取群里的文件',
  234009: '外部群中的文件无法由机器人读取',
  234037: '文件超过飞书允许机器人下载的 100 MB 上限',
  234038: '该消息为保密消息或群已开启防泄密模式，机器人不能下载其中的文件',
  234040: '机器人看不到这条消息（群设置未允许新成员查看历史消息）',
  234043: '不支持从合并转发或卡片消息中读取文件，请直接发送文件',
  99991672: '应用缺少读取消息文件的权限（请管理员在开发者后台开通 im:resource 等权限）',
  99991679: '应用缺少读取消息文件的权限（请管理员在开发者后台开通 im:resource 等权限）',
};

interface HttpishError {
  response?: { status?: number; data?: unknown };
  message?: string;
}

/** Reads an error body the SDK left as a stream (`responseType: "stream"`) and parses its `{code,msg}`. */
async function errorBody(data: unknown): Promise<{ code?: number; msg?: string }> {
  if (data && typeof (data as Readable).on === 'function') {
    const chunks: Buffer[] = [];
    try {
      for await (const c of data as Readable) {
        chunks.push(Buffer.from(c as Buffer));
        if (chunks.length > 64) break;
      }
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: number; msg?: string };
    } catch {
      return {};
    }
  }
  return (data as { code?: number; msg?: string } | undefined) ?? {};
}

/** Reads a stream into one Buffer, refusing more than `maxBytes`. */
async function readLimited(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    size += (c as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      throw new ResourceError(`文件超过 ${Math.round(maxBytes / 1024 / 1024)} MB 的上限`);
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * {@link ChatPlatform} over the SDK client: file downloads through `client.im.messageResource.get`
 * (`type=file`; retried on 429/5xx/network errors, 3 times with backoff) and a group's owner through the
 * messenger's `chatInfo` (`im.chat.get`, `user_id_type=open_id`), cached for 10 minutes.
 */
export class LarkPlatform implements ChatPlatform {
  private readonly owners = new Map<string, { openId?: string; at: number }>();

  constructor(
    private readonly client: lark.Client,
    /** The group's info (`Messenger.chatInfo`: one `im.chat.get` for the whole bot). */
    private readonly chatInfo: (chatId: string) => Promise<ChatInfo>,
    private readonly ownerTtlMs = 600_000,
  ) {}

  async downloadFile(messageId: string, fileKey: string, maxBytes: number): Promise<Buffer> {
    return pRetry(
      async () => {
        let res: Awaited<ReturnType<lark.Client['im']['messageResource']['get']>>;
        try {
          res = await this.client.im.messageResource.get({ path: { message_id: messageId, file_key: fileKey }, params: { type: 'file' } });
        } catch (e) {
          const err = e as HttpishError;
          const status = err.response?.status;
          const body = await errorBody(err.response?.data);
          log.warn({ messageId, status, code: body.code, msg: body.msg ?? err.message }, 'lark: file download refused');
          if (status === undefined || status === 429 || status >= 500 || body.code === 99991400) throw new Error(`download failed: ${status ?? err.message}`);
          const reason = (body.code !== undefined && RESOURCE_REASONS[body.code]) || (status === 404 ? '文件不存在或已过期' : `飞书拒绝了下载（${status}${body.code ? `，错误码 ${body.code}` : ''}）`);
          throw new AbortError(new ResourceError(reason, body.code, status));
        }
        const declared = Number((res.headers as Record<string, unknown> | undefined)?.['content-length']);
        const stream = res.getReadableStream();
        if (Number.isFinite(declared) && declared > maxBytes) {
          stream.destroy();
          throw new AbortError(new ResourceError(`文件超过 ${Math.round(maxBytes / 1024 / 1024)} MB 的上限`));
        }
        try {
          return await readLimited(stream, maxBytes);
        } catch (e) {
          if (e instanceof ResourceError) throw new AbortError(e);
          throw e;
        }
      },
      { retries: 3, minTimeout: 200, maxTimeout: 2000 },
    ).catch((e: unknown) => {
      if (e instanceof ResourceError) throw e;
      throw new ResourceError(`下载文件失败，请稍后重试（${(e as Error).message}）`);
    });
  }

  async chatOwner(chatId: string): Promise<string | undefined> {
    const hit = this.owners.get(chatId);
    if (hit && Date.now() - hit.at < this.ownerTtlMs) return hit.openId;
    let openId: string | undefined;
    try {
      openId = (await this.chatInfo(chatId)).ownerOpenId;
    } catch (e) {
      const err = e as HttpishError;
      log.warn({ chatId, status: err.response?.status, code: (err.response?.data as { code?: number } | undefined)?.code, msg: err.message }, 'lark: chat info failed');
      return undefined;
    }
    this.owners.set(chatId, { openId, at: Date.now() });
    return openId;
  }
}
