/**
 * The bot-membership events as Feishu delivers them (schema 2.0 envelopes; fields as typed in the
 * Node SDK's EventDispatcher handles):
 * - `im.chat.member.bot.added_v1` — the bot was added to a group;
 * - `im.chat.member.bot.deleted_v1` — the bot was removed from a group;
 * - `im.chat.access_event.bot_p2p_chat_entered_v1` — a user opened the private chat with the bot.
 */
import { randomUUID } from 'node:crypto';
import { STANDIN_APP_ID, STANDIN_VERIFICATION_TOKEN } from './openapi-standin.js';

/** Which lifecycle event. */
export type LifecycleEventType = 'im.chat.member.bot.added_v1' | 'im.chat.member.bot.deleted_v1' | 'im.chat.access_event.bot_p2p_chat_entered_v1';

/** Fields of a test lifecycle event. */
export interface LifecycleSpec {
  chatId: string;
  operatorOpenId?: string;
  eventId?: string;
  /** Group name (added/deleted events). */
  name?: string;
}

/** Builds a lifecycle event envelope. */
export function buildLifecycleEvent(type: LifecycleEventType, spec: LifecycleSpec): Record<string, unknown> {
  const operator = { union_id: 'on_standin_user', user_id: 'standin_user', open_id: spec.operatorOpenId ?? 'ou_standin_user' };
  const event: Record<string, unknown> =
    type === 'im.chat.access_event.bot_p2p_chat_entered_v1'
      ? { chat_id: spec.chatId, operator_id: operator, last_message_id: '', last_message_create_time: '' }
      : { chat_id: spec.chatId, operator_id: operator, external: false, operator_tenant_key: 'standin_tenant', name: spec.name ?? '测试群', i18n_names: { zh_cn: spec.name ?? '测试群' } };
  return {
    schema: '2.0',
    header: {
      event_id: spec.eventId ?? randomUUID().replace(/-/g, ''),
      token: STANDIN_VERIFICATION_TOKEN,
      create_time: String(Date.now()),
      event_type: type,
      tenant_key: 'standin_tenant',
      app_id: STANDIN_APP_ID,
    },
    event,
  };
}
