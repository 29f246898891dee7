import type { SourceDoc } from './corpus.js';
import { splitSentences } from './sentences.js';
import type { Traced } from './traced.js';

/** A retrievable unit: a run of whole sentences from one section of one document. */
export interface Chunk {
  /** `<source-stem>#c<k>`, stable while the document does not change. */
  id: string;
  source: string;
  title: string;
  /** Headings and lead phrase, joined by " > " ("" when none). */
  section: string;
  text: string;
  /** Offsets of the first and after the last character in the original file (UTF-16 units). */
  start: number;
  end: number;
}

/** Chunking parameters, in characters (Chinese: one character ≈ one token for BM25 purposes). */
export interface ChunkOptions {
  /** Stop adding sentences once a chunk reaches this size. Default 300. */
  target: number;
  /** A single sentence longer than this is cut at a comma. Default 480. */
  max: number;
  /** Sentences repeated from the end of the previous chunk of the same paragraph. Default 1. */
  overlap: number;
}

/** About 300 characters (a few hundred, as Chinese needs), hard cap 480, one sentence of overlap. */
export const DEFAULT_CHUNK_OPTIONS: ChunkOptions = { target: 300, max: 480, overlap: 1 };

/** Paragraph text with its section path, the unit that chunks and measures are cut from. */
export interface Passage {
  section: string[];
  lead?: string;
  text: Traced;
}

/** The document's paragraphs with their section path (headings by level, then the lead phrase). */
export function passages(doc: SourceDoc): Passage[] {
  const stack: { level: number; text: string }[] = [];
  const out: Passage[] = [];
  for (const b of doc.blocks) {
    if (b.kind === 'heading') {
      while (stack.length && stack[stack.length - 1]!.level >= b.level) stack.pop();
      // the document title itself is not part of the section path
      const norm = (x: string) => x.replace(/[\s—]/g, '');
      if (!(stack.length === 0 && norm(doc.title).startsWith(norm(b.text.text)))) stack.push({ level: b.level, text: b.text.text });
    } else if (b.kind === 'paragraph') {
      const section = stack.map((s) => s.text);
      out.push({ section: b.lead ? [...section, b.lead] : section, lead: b.lead, text: b.text });
    }
  }
  return out;
}

function cutLong(sentence: Traced, max: number): Traced[] {
  if (sentence.length <= max) return [sentence];
  const parts: Traced[] = [];
  let rest = sentence;
  while (rest.length > max) {
    const window = rest.text.slice(0, max);
    const cut = Math.max(window.lastIndexOf('，'), window.lastIndexOf('、'));
    const at = cut > max / 3 ? cut + 1 : max;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  if (rest.length) parts.push(rest);
  return parts;
}

/**
 * Cuts a document into chunks on Chinese sentence boundaries. Paragraphs are packed whole while they
 * fit (small paragraphs of one section share a chunk); a long paragraph is split into windows of
 * about `target` characters that repeat `overlap` sentences. Chunks never cross a section.
 */
export function chunkDocument(doc: SourceDoc, options: Partial<ChunkOptions> = {}): Chunk[] {
  const opt = { ...DEFAULT_CHUNK_OPTIONS, ...options };
  const stem = doc.source.replace(/\.[^.]+$/, '');
  const chunks: Chunk[] = [];
  let pending: { section: string; sentences: Traced[] } | undefined;

  const emit = (section: string, sentences: Traced[]) => {
    if (!sentences.length) return;
    const text = sentences.map((s) => s.text).join('');
    const first = sentences[0]!;
    const last = sentences[sentences.length - 1]!;
    chunks.push({
      id: `${stem}#c${chunks.length}`,
      source: doc.source,
      title: doc.title,
      section,
      text,
      start: first.span().start,
      end: last.span().end,
    });
  };
  const flush = () => {
    if (pending) emit(pending.section, pending.sentences);
    pending = undefined;
  };

  for (const p of passages(doc)) {
    const section = p.section.join(' > ');
    const sentences = splitSentences(p.text).flatMap((s) => cutLong(s, opt.max));
    const size = p.text.length;
    // a short paragraph joins the previous short one of the same section
    if (pending && pending.section.split(' > ').slice(0, -1).join() === p.section.slice(0, -1).join() && !p.lead && !pending.section.endsWith(p.lead ?? '\u0000')) {
      const pendingSize = pending.sentences.reduce((n, s) => n + s.length, 0);
      if (pendingSize + size <= opt.target) {
        pending.sentences.push(...sentences);
        continue;
      }
    }
    flush();
    if (size <= opt.target) {
      pending = { section, sentences };
      continue;
    }
    let i = 0;
    while (i < sentences.length) {
      const window: Traced[] = [];
      let len = 0;
      let j = i;
      while (j < sentences.length && (len < opt.target || window.length === 0)) {
        // do not leave a tail shorter than a third of the target for the next window
        window.push(sentences[j]!);
        len += sentences[j]!.length;
        j++;
      }
      const remaining = sentences.slice(j).reduce((n, s) => n + s.length, 0);
      if (remaining > 0 && remaining < opt.target / 3 && len + remaining <= opt.max) {
        window.push(...sentences.slice(j));
        j = sentences.length;
      }
      emit(section, window);
      if (j >= sentences.length) break;
      i = Math.max(i + 1, j - opt.overlap);
    }
  }
  flush();
  return chunks;
}
