import { cutWords } from './segment.js';
import { CLOSERS, endsSentence, isCjk, normalizeLine } from './normalize.js';
import { matchMarker } from './readers/markers.js';
import { Traced } from './traced.js';

/**
 * Repairs print extraction: turns the raw lines of a report into structural blocks.
 *
 * Observed quirks (../shared/corpus/README.md): sentences broken across lines and blank lines
 * (004 breaks nearly every line), column cuts where a paragraph resumes after a caption, stand-alone
 * image captions ("西宁市组织部供图"), bylines ("本报记者 郑思哲"), Markdown `#` headings, `**bold**`
 * lead phrases, and headlines printed as a bare line with no punctuation.
 *
 * The rule that decides a join: a line that does not end a sentence continues into the next line,
 * unless it is itself a stand-alone line (heading, caption, byline). A bare line is a heading only
 * when it starts a paragraph, carries no inner punctuation, and the next line does not continue a
 * word across the break (checked with jieba: "中国特|色社会" would form 特色).
 */
export type BlockKind = 'heading' | 'paragraph' | 'caption' | 'byline';

/** One structural block of a repaired report, with original offsets for every character. */
export interface Block {
  kind: BlockKind;
  /** Heading level: 1-6 for Markdown `#`, 2 for an implicit headline; 0 otherwise. */
  level: number;
  /** True for a heading marked up as Markdown (`#`…`######`): its level was printed, not guessed. */
  marked?: boolean;
  text: Traced;
  /** For paragraphs: the bold (or implicit) lead phrase that opens it, without the trailing 。. */
  lead?: string;
}

const BYLINE = /(本报记者|通讯员|记者|供图|摄影|^[□■]|^■|文\/图|文／图|\(文\/图|（文\/图|^作者)/;
/** "海西州委常委、组织部部长 黄斌": an office and a 2-4 character name after a space. */
const AUTHOR_LINE = /(部长|书记|主任|委员|常委|局长|县长|州长|市长|院长|校长|主席|社长|总编)\s+[\u4e00-\u9fff]{2,4}$/;
const CAPTION_TAIL = /(供图|摄|提供\)|提供）)$/;
const INNER_PUNCT = /[，。；！？：、,;!?]/;
/**
 * A headline printed in two halves with a space between them, as newspaper headlines are ("厚植基层党建沃土
 * 汇聚高质量发展动能", "聚焦考准考精考实 助力基层减负增效"): two runs of 4+ Chinese characters (quotes and · allowed).
 */
export const TWO_PART_HEADLINE = /^[\u4e00-\u9fff“”"‘’·]{4,}[ \u3000]+[\u4e00-\u9fff“”"‘’·]{4,}$/;
/** The text up to the first sentence end closes a quotation it did not open ("突破”，又鼓励…"). */
function closesUnopened(t: string): boolean {
  const head = /^[^。！？；]*/.exec(t)![0];
  let depth = 0;
  for (const ch of head) {
    if ('“‘「'.includes(ch)) depth++;
    else if ('”’」'.includes(ch) && --depth < 0) return true;
  }
  return false;
}
/** What stands for the text a column cut lost, between the two pieces of a paragraph it separates. */
export const CUT_MARK = '……';

interface Line {
  text: Traced;
  blanksBefore: number;
  blanksAfter: number;
}

function splitLines(raw: string): Line[] {
  const lines: Line[] = [];
  let pos = 0;
  let blanks = 0;
  for (const piece of raw.split('\n')) {
    const base = pos;
    pos += piece.length + 1;
    const t = normalizeLine(Traced.of(piece.replace(/\r$/, ''), base));
    if (!t.text) {
      blanks++;
      continue;
    }
    lines.push({ text: t, blanksBefore: blanks, blanksAfter: 0 });
    blanks = 0;
  }
  for (let i = 0; i < lines.length; i++) lines[i]!.blanksAfter = lines[i + 1]?.blanksBefore ?? 99;
  return lines;
}

/** True when the last characters of `a` and the first of `b` form one jieba word across the break. */
function wordSpansBreak(a: string, b: string): boolean {
  const left = a.slice(-4);
  const right = b.slice(0, 4);
  if (!isCjk(left[left.length - 1]) || !isCjk(right[0])) return false;
  let pos = 0;
  for (const w of cutWords(left + right)) {
    const end = pos + w.length;
    if (pos < left.length && end > left.length && w.length > 1) return true;
    pos = end;
  }
  return false;
}

/** True when the quotes opened in `t` are not all closed ("“要增强从党的创新理论中找方法"). */
function hasOpenQuote(t: string): boolean {
  const opens = (t.match(/[“‘「『（《]/g) ?? []).length;
  const closes = (t.match(/[”’」』）》]/g) ?? []).length;
  return opens > closes;
}

function looksStandalone(line: Line, next: Line | undefined, seam: (a: string, b: string) => boolean): boolean {
  const t = line.text.text;
  // a structure marker ("一、", "（一）") is not inner punctuation of a heading ("一、总体要求")
  const marker = matchMarker(t);
  const body = marker ? t.slice(marker.printed.length) : t;
  if (t.length < 2 || t.length > 40 || endsSentence(t) || INNER_PUNCT.test(body) || hasOpenQuote(t) || /[0-9A-Za-z+]$/.test(t)) return false;
  if (!next) return true;
  const n = next.text.text;
  if (CLOSERS.includes(n[0]!) || /^[，。；、：！？]/.test(n)) return false;
  // a 1-3 character clause ("如何？", "振兴，", "分，") can only be the tail of a broken sentence,
  // unless it is a structure marker opening the next line ("一、总体要求"), or the line is a two-part headline: the
  // tail then is a column cut's (001: "定政策建机制强保障 建设高质量人才队伍" / "创业。海西州委组织部荣获…")
  if (/^[^，。；、：！？]{1,3}[，。；、：！？]/.test(n) && !matchMarker(n) && !TWO_PART_HEADLINE.test(t)) return false;
  return !wordSpansBreak(t, n) && !seam(t, n);
}

/**
 * Parses a report into blocks (headings, paragraphs with their lead phrase, captions, bylines).
 * Every character keeps its offset in `raw`.
 */
export function repairReport(raw: string): Block[] {
  const lines = splitLines(raw);
  const flat = raw.replace(/\s+/g, '');
  // The 4 characters around a break occur elsewhere in the document ("乡村|振兴" → 乡村振兴): a word was cut.
  const seam = (a: string, b: string) => {
    const probe = a.slice(-2) + b.slice(0, 2);
    const first = flat.indexOf(probe);
    return first >= 0 && flat.indexOf(probe, first + 1) >= 0;
  };
  const blocks: Block[] = [];
  let open: Block | undefined; // paragraph whose last sentence is not finished

  const closeIfDone = () => {
    if (open && endsSentence(open.text.text)) open = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.text.text;

    const md = /^(#{1,6})\s*/.exec(t);
    if (md) {
      open = undefined;
      blocks.push({ kind: 'heading', level: md[1]!.length, marked: true, text: line.text.slice(md[0].length).trim() });
      continue;
    }
    if ((BYLINE.test(t) || AUTHOR_LINE.test(t)) && t.length <= 60) {
      // "观摩基层党建引领乡村产业发展。 海西州委组织部供图": a caption with its credit; "本报记者 …": a byline.
      const kind: BlockKind = CAPTION_TAIL.test(t) || /供图/.test(t) ? 'caption' : 'byline';
      // Bare lines just before a photo credit are that photo's captions, not headlines.
      if (kind === 'caption' && blocks.some((b) => b.kind === 'paragraph')) {
        for (let k = blocks.length - 1; k >= 0 && blocks[k]!.kind === 'heading' && blocks[k]!.level === 0; k--) blocks[k]!.kind = 'caption';
      }
      blocks.push({ kind, level: 0, text: line.text });
      continue;
    }

    const bold = /^\*\*(.+?)\*\*/.exec(t);
    if (bold) {
      open = undefined;
      const body = line.text.replace(/\*\*/g, '');
      const lead = bold[1]!.replace(/[。：:]$/, '');
      open = { kind: 'paragraph', level: 0, text: body, lead };
      blocks.push(open);
      closeIfDone();
      continue;
    }

    if (open) {
      // an unfinished sentence continues, across blank lines and column cuts
      const needsSpace = /[A-Za-z0-9]$/.test(open.text.text) && /^[A-Za-z]/.test(t);
      // a piece after a blank line that closes a quotation the paragraph never opened resumes after lost text (a
      // column cut: 003 "通过资源共享、信息共" / "突破”，又鼓励团队…"): the seam is marked as an elision
      const cut = line.blanksBefore > 0 && !hasOpenQuote(open.text.text) && closesUnopened(t);
      const glue = needsSpace ? ' ' : cut ? CUT_MARK : '';
      open.text = open.text.concat(glue ? Traced.of(glue, line.text.offs[0]!).concat(line.text) : line.text);
      closeIfDone();
      continue;
    }

    const next = lines[i + 1];
    // Two bare lines in a row with at most one blank line between them are one broken sentence
    // (004: "茫崖市花土沟镇大浪滩社区联合" / "物业党支部及辖区企事业单位党组织"), unless the second is a "——" subtitle.
    const pairedBare =
      next &&
      next.blanksBefore < 2 &&
      next.text.length > 6 &&
      !/^(——|#)/.test(next.text.text) &&
      !BYLINE.test(next.text.text) &&
      !AUTHOR_LINE.test(next.text.text) &&
      looksStandalone(next, lines[i + 2], seam);
    if (t.startsWith('——') && blocks.at(-1)?.kind === 'heading') {
      blocks.push({ kind: 'heading', level: 0, text: line.text });
      continue;
    }
    if (!pairedBare && looksStandalone(line, next, seam)) {
      // A short, isolated, finished sentence between photos is a caption (001: "在省级党性教育基地将军楼重温入党誓词。")
      blocks.push({ kind: 'heading', level: 0, text: line.text });
      continue;
    }
    if (endsSentence(t) && t.length <= 60 && line.blanksBefore >= 2 && line.blanksAfter >= 2 && !/[，。；！？,;]/.test(t.slice(0, -1))) {
      blocks.push({ kind: 'caption', level: 0, text: line.text });
      continue;
    }
    open = { kind: 'paragraph', level: 0, text: line.text };
    blocks.push(open);
    closeIfDone();
  }

  // A lone short sentence between photos and a headline is a caption (001: "在省级党性教育基地将军楼重温入党誓词。");
  // a lone short statement before a paragraph is that paragraph's lead (001: "严管厚爱激发干部队伍新活力。").
  for (let k = 0; k < blocks.length; k++) {
    const b = blocks[k]!;
    const next = blocks[k + 1];
    // "**以筑牢阵地为基点，让理想信念“强起来”。**打造红色教育阵地集群。" then its body as the next paragraph (000)
    if (b.kind === 'paragraph' && b.lead && b.text.length < 60 && next?.kind === 'paragraph' && !next.lead) {
      b.text = b.text.concat(next.text);
      blocks.splice(k + 1, 1);
      continue;
    }
    if (b.kind !== 'paragraph' || b.lead || !/^[^。！？；]{2,60}[。！？]$/.test(b.text.text)) continue;
    const prev = blocks[k - 1];
    if ((!prev || prev.kind === 'caption') && (!next || next.kind === 'heading' || next.kind === 'caption')) {
      b.kind = 'caption';
    } else if (next?.kind === 'paragraph' && !next.lead && b.text.text.endsWith('。') && implicitLeadShape(b.text.text)) {
      next.text = b.text.concat(next.text);
      next.lead = b.text.text.slice(0, -1);
      blocks.splice(k, 1);
      k--;
    }
  }

  // Implicit headlines get level 2 (below a Markdown title, replaced by the next headline);
  // bare labels of up to 6 characters ("祁连", "周学武") are place tags or author names: bylines.
  for (const b of blocks) {
    if (b.kind === 'heading' && b.level === 0) {
      if (b.text.length <= 6 && !/[“”"]/.test(b.text.text) && !matchMarker(b.text.text)) b.kind = 'byline';
      else b.level = 2;
    }
    if (b.kind === 'paragraph' && !b.lead) b.lead = implicitLead(b.text.text);
  }
  return blocks;
}

/**
 * The implicit lead phrase of a paragraph: a short first sentence (≤ 26 characters) followed by at
 * least 40 more characters, as in 001 "压实责任链条，搭建年度目标“核心框架”。聚焦…" or "统筹考核事项。认真落实…".
 */
export function implicitLead(text: string): string | undefined {
  const m = /^[^。！？；]{4,26}[。！？]/.exec(text);
  if (!m || text.length - m[0].length < 40 || !implicitLeadShape(m[0])) return undefined;
  return m[0].slice(0, -1);
}

/**
 * A lead phrase is 4-26 characters, has no figures, does not open or leave open a quotation
 * (001: "习近平总书记指出：“党的力量来自组织。" is the start of a quote, not a lead) and has at most one comma.
 */
function implicitLeadShape(sentence: string): boolean {
  return (
    sentence.length >= 5 &&
    sentence.length <= 27 &&
    !/\d/.test(sentence) &&
    !/^[“"‘]/.test(sentence) &&
    !hasOpenQuote(sentence) &&
    !/[：:]/.test(sentence) &&
    (sentence.match(/[，,]/g) ?? []).length <= 1
  );
}
