import { beforeAll, describe, expect, it } from 'vitest';
import { chunkDocument, type Chunk } from '../../src/ingest/chunk.js';
import { readCorpus, type SourceDoc } from '../../src/ingest/corpus.js';
import { Lexicon } from '../../src/ingest/lexicon.js';
import { extractFigures, extractMeasures } from '../../src/ingest/measures.js';
import { endsSentence } from '../../src/ingest/normalize.js';

let docs: SourceDoc[];
let chunks: Chunk[];
beforeAll(async () => {
  docs = (await readCorpus('data/corpus')).docs;
  chunks = docs.flatMap((d) => chunkDocument(d));
});

describe('chunking', () => {
  it('cuts on sentence boundaries: every chunk starts a sentence and ends one', () => {
    for (const c of chunks) {
      expect(endsSentence(c.text) || c.text.endsWith('……')).toBe(true);
    }
  });

  it('keeps chunks at a size that suits Chinese (at most 480 characters, most 100-400)', () => {
    const sizes = chunks.map((c) => c.text.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(480);
    expect(sizes.filter((n) => n >= 100 && n <= 400).length / sizes.length).toBeGreaterThan(0.8);
  });

  it('overlaps consecutive windows of a long paragraph by one sentence', () => {
    const d = docs.find((x) => x.source.startsWith('001'))!;
    const cs = chunkDocument(d, { target: 120, max: 480, overlap: 1 });
    const sameSection = cs.filter((c) => c.section.endsWith('强基固本提升党建质效新水平'));
    expect(sameSection.length).toBeGreaterThan(1);
    const lastSentence = sameSection[0]!.text.match(/[^。！？；]+[。！？；]”?$/)![0];
    expect(sameSection[1]!.text.startsWith(lastSentence)).toBe(true);
  });

  it('records source, title, section path and offsets that point into the original file', () => {
    const c = chunks.find((x) => x.text.includes('吸引467名大学生到村任职'))!;
    expect(c.source).toBe('001_02e902364aa12d71.txt');
    expect(c.title).toBe('厚植基层党建沃土 汇聚高质量发展动能');
    expect(c.section).toContain('激活乡村动能，打造振兴发展“红色引擎”');
    const raw = docs.find((d) => d.source === c.source)!.text;
    expect(raw.slice(c.start, c.end).replace(/\s+/g, '')).toContain('吸引467名大学生到村任职');
  });
});

describe('measure extraction on the real reports', () => {
  const lexicon = Lexicon.load('data');

  it('extracts each bold lead phrase of 000 as a measure with its figures', () => {
    const ms = extractMeasures(docs.find((d) => d.source.startsWith('000'))!, lexicon);
    const m = ms.find((x) => x.title === '以实现共享为支点，让教育资源“联起来”')!;
    expect(m.figures).toEqual(expect.arrayContaining(['71名', '23项']));
    expect(m.domains).toContain('党员教育');
    expect(m.places).toContain('海西州');
  });

  it('extracts the action sentence with figures "出台涵盖7个方面36项具体任务的年度重点工作清单" (001)', () => {
    const ms = extractMeasures(docs.find((d) => d.source.startsWith('001'))!, lexicon);
    const m = ms.find((x) => x.text.includes('出台涵盖7个方面36项具体任务的年度重点工作清单'))!;
    expect(m.figures).toEqual(expect.arrayContaining(['7个', '36项']));
    expect(ms.find((x) => x.title === '统筹考核事项')?.domains).toContain('考核减负');
  });

  it('labels the place of county-level measures (祁连县, 黑马河镇)', () => {
    const ms = extractMeasures(docs.find((d) => d.source.startsWith('003'))!, lexicon);
    expect(ms.find((x) => x.text.includes('购买摆渡车32辆'))!.places).toContain('黑马河镇');
    expect(ms.some((x) => x.places.includes('祁连县'))).toBe(true);
    // no place in its own sentence: the place of its story, not the page's 西宁市
    expect(ms.find((x) => x.text.includes('建立“人才超市”和专家工作室8个'))!.places).toContain('祁连县');
  });

  it('reads figures as printed and skips years', () => {
    expect(extractFigures('2024年度考核中实地考核事项仅有11项，年度人才资金增至1100万元，占90%')).toEqual(['11项', '1100万元', '90%']);
  });
});
