/**
 * The LLM draft: map (bullets per group of three passages, prompts/summary-map.*) then reduce (the same
 * outline as the extractive draft: title, 导语, bullets with [n]; prompts/summary-reduce.*), then checked
 * against the passages before it is shown.
 */
import type { Citation } from '../../types.js';
import { formatPassages, keepCited } from '../citations.js';
import type { ChatModel } from '../llm.js';
import { renderPrompt } from '../prompts.js';

/** Why an LLM draft was not used; the extractive draft is shown with `FALLBACK_NOTE[reason]`. */
export type LlmRejection = 'failed' | 'empty' | 'uncited' | 'figures' | 'length';

/** Fixed notes shown with the extractive draft when the LLM draft is not used (details go to the log). */
export const FALLBACK_NOTE: Record<LlmRejection, string> = {
  failed: '大模型暂时无法生成草稿，以下为摘录式草稿',
  empty: '大模型没有从资料中提炼出要点，以下为摘录式草稿',
  uncited: '大模型草稿有未标注出处的条目，以下为摘录式草稿',
  figures: '大模型草稿中有资料里找不到的数字，以下为摘录式草稿',
  length: '大模型草稿超出长度要求，以下为摘录式草稿',
};

/** A checked LLM draft, or the reason it was rejected with details for the log. */
export type LlmDraftResult = { ok: true; markdown: string; citations: Citation[] } | { ok: false; reason: LlmRejection; detail: string };

const NUMBER = /\d+(?:\.\d+)?/g;

function numbersOf(text: string): string[] {
  return [...text.replace(/\[\d+\]/g, '').matchAll(NUMBER)].map((m) => m[0]);
}

function holdsNumber(text: string, n: string): boolean {
  const escaped = n.replace('.', '\\.');
  return new RegExp(`(?<![\\d.])${escaped}(?![\\d]|\\.\\d)`).test(text);
}

/**
 * Checks a draft's figures: every number of a line must occur (as a whole number, 71 not inside 171) in
 * the passages that line cites; a line without a citation (title, a 导语 sentence) may use any cited
 * passage or the background facts. Returns the numbers that fail, as `line: number`.
 */
export function unsupportedFigures(markdown: string, citations: Citation[], background: string): string[] {
  const all = citations.map((c) => c.text).join('\n') + '\n' + background;
  const bad: string[] = [];
  for (const line of markdown.split('\n')) {
    const cited = [...line.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    const source = cited.length ? citations.filter((c) => cited.includes(c.n)).map((c) => c.text).join('\n') + '\n' + background : all;
    for (const n of numbersOf(line)) if (!holdsNumber(source, n)) bad.push(`${line.slice(0, 40)}: ${n}`);
  }
  return bad;
}

/**
 * Runs map-reduce over the passages the extractive draft cites and checks the result: a reply is used
 * only when it has bullets, every bullet ends with a valid [n], every figure is in a cited passage and it
 * fits `maxChars`.
 */
export async function llmDraft(
  llm: ChatModel,
  args: { title: string; topic: string; background: string; citations: Citation[]; maxChars: number },
): Promise<LlmDraftResult> {
  let reduced: string;
  try {
    const groups: Citation[][] = [];
    for (let i = 0; i < args.citations.length; i += 3) groups.push(args.citations.slice(i, i + 3));
    const points = await Promise.all(
      groups.map((g) =>
        llm.complete([
          { role: 'system', content: renderPrompt('summary-map.system') },
          { role: 'user', content: renderPrompt('summary-map.user', { topic: args.topic, passages: formatPassages(g) }) },
        ]),
      ),
    );
    const merged = points.filter((p) => !p.includes('无相关内容')).join('\n');
    if (!merged.trim()) return { ok: false, reason: 'empty', detail: 'every map step answered 无相关内容' };
    reduced = await llm.complete([
      { role: 'system', content: renderPrompt('summary-reduce.system', { maxChars: String(args.maxChars) }) },
      { role: 'user', content: renderPrompt('summary-reduce.user', { title: args.title, background: args.background, points: merged }) },
    ]);
  } catch (err) {
    return { ok: false, reason: 'failed', detail: (err as Error).message };
  }
  const bullets = reduced.split('\n').filter((l) => /^\s*[-*]\s/.test(l));
  const badBullet = bullets.find((l) => !/\[(\d+)\]\s*[。.]?\s*$/.test(l) || ![...l.matchAll(/\[(\d+)\]/g)].every((m) => args.citations.some((c) => c.n === Number(m[1]))));
  if (!bullets.length || badBullet !== undefined) return { ok: false, reason: 'uncited', detail: badBullet ?? 'no bullet lines' };
  const bad = unsupportedFigures(reduced, args.citations, args.background);
  if (bad.length) return { ok: false, reason: 'figures', detail: bad.join(' | ') };
  const kept = keepCited(reduced, args.citations);
  if (kept.answer.length > args.maxChars) return { ok: false, reason: 'length', detail: `${kept.answer.length} > ${args.maxChars}` };
  return { ok: true, markdown: kept.answer, citations: kept.citations };
}
