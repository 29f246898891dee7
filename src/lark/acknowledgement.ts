/**
 * Messages that only thank or acknowledge (谢谢, 好的, 收到, 明白了, OK …): they ask nothing, so they get a
 * short reply of one line — not the help card, not a search, and no 👍/👎 buttons (there is no answer to
 * rate). A message with anything more (谢谢，那党费怎么交？) is not one of them and is answered as usual.
 */
const THANKS = /^(?:谢谢|谢啦|谢了|多谢|感谢|非常感谢|十分感谢|太感谢了|辛苦了?|thanks?|thank\s*you|thx)(?:你|您|啦|了|哈|党建助手)*$/i;
const ACK = /^(?:好的?|好滴|好嘞|行|可以|收到|明白|明白了|知道了|了解|懂了|嗯+|哦+|ok(?:ay)?|👌|👍)(?:的|啦|了|哈|呀)*$/i;
/** Punctuation, spaces and mild particles around the words. */
const TRIM = /[\s，,。.！!~～…、]+/g;

/**
 * The reply to a message that only thanks or acknowledges, or undefined for anything else.
 * @param text the message text without the bot's @mention
 */
export function acknowledgementReply(text: string): string | undefined {
  const parts = text.split(TRIM).filter(Boolean);
  if (!parts.length || parts.length > 3) return undefined;
  if (parts.every((p) => THANKS.test(p) || ACK.test(p))) {
    return parts.some((p) => THANKS.test(p)) ? '不客气！还有问题随时问我。' : '好的，有需要随时找我。';
  }
  return undefined;
}
