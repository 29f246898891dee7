import type { CardActionContext } from './contracts.js';
import type { IncomingMessage } from './conversation.js';

/**
 * The `im.message.receive_v1` payload as the SDK's EventDispatcher hands it to a handler (header
 * fields merged with the event body; https://open.feishu.cn/document/server-docs/im-v1/message/events/receive).
 */
export interface ReceiveEventData {
  event_id?: string;
  sender: { sender_id?: { open_id?: string }; sender_type: string };
  message: {
    message_id: string;
    root_id?: string;
    parent_id?: string;
    chat_id: string;
    chat_type: string;
    message_type: string;
    content: string;
    mentions?: Array<{ key: string; id: { open_id?: string }; name: string }>;
  };
}

/** Converts an `im.message.receive_v1` payload to the transport-independent {@link IncomingMessage}. */
export function toIncomingMessage(data: ReceiveEventData): IncomingMessage {
  const m = data.message;
  return {
    eventId: data.event_id,
    messageId: m.message_id,
    chatId: m.chat_id,
    chatType: m.chat_type === 'p2p' ? 'p2p' : 'group',
    senderOpenId: data.sender?.sender_id?.open_id ?? '',
    senderType: data.sender?.sender_type,
    messageType: m.message_type,
    content: m.content,
    mentions: (m.mentions ?? []).map((x) => ({ key: x.key, openId: x.id?.open_id, name: x.name })),
    rootId: m.root_id || undefined,
    parentId: m.parent_id || undefined,
  };
}

/**
 * Converts a card callback, as the SDK hands it over, to a {@link CardActionContext}. Understands
 * both the current `card.action.trigger` (schema 2.0: `operator.open_id`, `context.open_message_id`,
 * `context.open_chat_id`; https://open.feishu.cn/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-callback-communication)
 * and the older message-card callback (`open_id`, `open_message_id`, `open_chat_id` at the top level).
 * A `value` sent as a JSON string is parsed. Returns undefined when the payload has no action.
 */
export function toCardActionContext(data: Record<string, unknown>): CardActionContext | undefined {
  const action = data.action as { value?: unknown } | undefined;
  if (!action) return undefined;
  let value: unknown = action.value;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      value = { raw: value };
    }
  }
  const operator = data.operator as { open_id?: string } | undefined;
  const context = data.context as { open_message_id?: string; open_chat_id?: string } | undefined;
  return {
    openId: operator?.open_id ?? (data.open_id as string | undefined) ?? '',
    chatId: context?.open_chat_id ?? (data.open_chat_id as string | undefined) ?? '',
    messageId: context?.open_message_id ?? (data.open_message_id as string | undefined) ?? '',
    value: (value && typeof value === 'object' ? value : {}) as Record<string, unknown>,
  };
}
