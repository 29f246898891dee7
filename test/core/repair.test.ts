import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repairReport } from '../../src/ingest/repair.js';
import { normalizeText } from '../../src/ingest/normalize.js';

const corpus = (name: string) => fs.readFileSync(`data/corpus/${name}`, 'utf8');
const paragraphs = (name: string) => repairReport(corpus(name)).filter((b) => b.kind === 'paragraph').map((b) => b.text.text);

describe('print-extraction repair on the real reports', () => {
  it('joins a figure broken across a line and a blank line ("加 2\\n\\n分" → "加2分") in 004', () => {
    const text = paragraphs('004_5159ee9c9b1cd9bb.txt').join('\n');
    expect(text).toContain('参与社区环境卫生整治活动加2分，义务帮助他人、解决困难诉求加3分');
    expect(text).toContain('参与积分兑换的党员群众76名');
    expect(text).toContain('10月28日');
  });

  it('rejoins sentences that 004 breaks on almost every line, without gluing headlines into them', () => {
    const blocks = repairReport(corpus('004_5159ee9c9b1cd9bb.txt'));
    const text = blocks.filter((b) => b.kind === 'paragraph').map((b) => b.text.text).join('\n');
    expect(text).toContain('海西州乡村振兴局聚焦推进乡村振兴，围绕工作中的突出问题');
    expect(text).toContain('茫崖市花土沟镇大浪滩社区联合物业党支部及辖区企事业单位党组织组成党建联盟');
    expect(text).toContain('探索“支部+合作社+牧民+电商”经营模式');
    const headings = blocks.filter((b) => b.kind === 'heading').map((b) => b.text.text);
    expect(headings).toContain('在盘点检视中推动主题教育见行见效');
    expect(headings).toContain('在评价交流中提升“头雁”领航能力');
    expect(text).not.toContain('见行见效自学习');
  });

  it('removes letter-spacing of justified lines ("努 力 提 升") and keeps title halves apart', () => {
    expect(paragraphs('004_5159ee9c9b1cd9bb.txt').join('')).toContain('努力提升群众满意度和幸福感');
    const title = repairReport(corpus('000_dd9fc999d4f06d2b.txt')).find((b) => b.kind === 'heading')!.text.text;
    expect(title).toBe('踔厉奋发启新程 赓续前行谱新篇');
  });

  it('keeps stand-alone photo captions and credits out of the sentences', () => {
    const blocks = repairReport(corpus('003_50fb352426c234d0.txt'));
    const captions = blocks.filter((b) => b.kind === 'caption').map((b) => b.text.text);
    expect(captions).toEqual(expect.arrayContaining(['交心茶座“话党建”', '西宁市组织部供图']));
    expect(paragraphs('003_50fb352426c234d0.txt').join('')).not.toContain('供图');
    const c001 = repairReport(corpus('001_02e902364aa12d71.txt')).filter((b) => b.kind === 'caption').map((b) => b.text.text);
    expect(c001).toContain('到村任职大学生赴宁波推销牛羊肉产品。');
  });

  it('joins a sentence across a column cut with three blank lines (000 "三治融合”机制，\\n\\n\\n\\n完善…")', () => {
    expect(paragraphs('000_dd9fc999d4f06d2b.txt').join('')).toContain('推行社区党组织领导的“三治融合”机制，完善“1+N”组织体系');
  });

  it('turns **bold** and implicit lead phrases into the paragraph lead', () => {
    const leads = repairReport(corpus('000_dd9fc999d4f06d2b.txt')).flatMap((b) => (b.lead ? [b.lead] : []));
    expect(leads).toContain('铸魂赋能，以知促行“添动力”');
    const leads001 = repairReport(corpus('001_02e902364aa12d71.txt')).flatMap((b) => (b.lead ? [b.lead] : []));
    expect(leads001).toEqual(expect.arrayContaining(['压实责任链条，搭建年度目标“核心框架”', '统筹考核事项', '严管厚爱激发干部队伍新活力']));
    expect(leads001.some((l) => l.includes('党的力量来自组织'))).toBe(false);
  });

  it('maps half-width punctuation next to Chinese to full width (003 mixes them)', () => {
    expect(normalizeText('西宁市坚持“书记抓、抓书记”,召开书记议事专题会')).toBe('西宁市坚持“书记抓、抓书记”，召开书记议事专题会');
    expect(normalizeText('增长 1,000 人')).toBe('增长1,000人');
  });

  it('keeps offsets into the original file for every character', () => {
    const raw = corpus('004_5159ee9c9b1cd9bb.txt');
    const p = repairReport(raw).find((b) => b.kind === 'paragraph' && b.text.text.includes('加2分'))!;
    const i = p.text.text.indexOf('加2分');
    expect(raw.slice(p.text.offs[i]!, p.text.offs[i]! + 3)).toBe('加 2');
    expect(raw[p.text.offs[i + 2]!]).toBe('分');
  });

  it('reads 第一章 总则 as a heading, never a byline, and keeps 一、 off the title line', () => {
    const law = repairReport('某某县党员管理办法\n\n第一章 总则\n\n第一条 为加强党员管理，制定本办法。\n');
    expect(law.find((b) => b.text.text === '第一章 总则')?.kind).toBe('heading');
    const plan = repairReport('关于开展基层党建提质增效行动的实施方案\n一、总体要求\n以党的建设为统领，坚持问题导向，全面提升基层党组织组织力。\n');
    expect(plan.map((b) => [b.kind, b.text.text])).toEqual([
      ['heading', '关于开展基层党建提质增效行动的实施方案'],
      ['heading', '一、总体要求'],
      ['paragraph', '以党的建设为统领，坚持问题导向，全面提升基层党组织组织力。'],
    ]);
  });
});
