import { describe, expect, it } from 'vitest';
import { MAX_BULLETS, MIN_PROVISION_SENTENCE, provisionSentence } from '../../src/answer/summary/draft.js';
import { assistantOn } from './support.js';

/**
 * A synthetic 办法 (fictional county 桐岭县) made of articles alone, no 第X章: twelve provisions after the purpose
 * article, more than a draft's bullet cap (`MAX_BULLETS`), about half of them without any figure (a principle, a
 * duty, a penalty).
 */
const ARTICLES = [
  '为规范农村党员志愿服务管理，根据有关规定，结合本县实际，制定本办法。',
  '本办法所称志愿服务党员，是指每年参加志愿服务累计12小时以上的农村党员。',
  '志愿服务坚持“支部统筹、党员认领、群众点单”的原则，实行村党组织和服务站点共同管理。',
  '村党组织应当建立志愿服务登记簿，每月汇总一次，并于每年7月10日前报乡镇党委。',
  '党员参加志愿服务，应当服从服务站点安排，如实记录服务内容，不得借志愿服务谋取私利。',
  '每个村应当组建不少于2支党员志愿服务队，每支服务队不少于5人。',
  '乡镇党委每半年对志愿服务开展情况进行一次督导，督导结果在全乡镇通报。',
  '对年度服务时长排名前10%的党员，村党组织可以推荐其参加县级“志愿服务之星”评选。',
  '志愿服务经费从村级党组织服务群众经费中列支，每村每年不超过8000元。',
  '党员连续两年无正当理由不参加志愿服务的，由村党组织进行谈心谈话，并在民主评议党员时予以考虑。',
  '县委组织部负责统筹全县志愿服务阵地建设，推动服务站点与党群服务中心一体使用。',
  '志愿服务记录作为党员评先评优、发展党员政治审查的参考依据。',
  '本办法由县委组织部负责解释。',
  '本办法自2027年3月1日起施行。',
];
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四'];
const TEXT = [
  '桐岭县农村党员志愿服务管理办法',
  '（本文件为虚构示例，仅用于测试）',
  ...ARTICLES.map((a, i) => `第${NUMERALS[i]}条 ${a}`),
  '中共桐岭县委组织部',
  '2027年2月10日',
].join('\n\n');

const corpus = assistantOn({ 'banfa.txt': TEXT });

describe('a draft of a text made of articles alone (a 办法 without chapters)', () => {
  it('gives every provision a bullet, figures or none, within the default length', async () => {
    const s = await corpus.assistant.summarize('总结 桐岭县农村党员志愿服务管理办法');
    expect(s.grounded).toBe(true);
    const leads = s.summary.split('\n').filter((l) => l.startsWith('- ')).map((l) => l.match(/^- \*\*(.+?)\*\*/)![1]);
    // more provisions than the bullet cap of a report's draft: the text's structure is its articles
    expect(leads.length).toBeGreaterThan(MAX_BULLETS);
    for (const n of NUMERALS.slice(1, 12)) expect(leads).toContain(`第${n}条`);
    // the principle, the duty and the penalty carry no figure, and are provisions all the same
    for (const phrase of ['共同管理', '不得借志愿服务谋取私利', '谈心谈话']) expect(s.summary).toContain(phrase);
    // the purpose and the interpretation articles say nothing a reader acts on
    expect(leads).not.toContain('第一条');
    expect(leads).not.toContain('第十三条');
    expect(s.summary.length).toBeLessThan(1200);
  });
});

describe('provisionSentence', () => {
  it('shares the length after the 导语 among the articles, within [MIN_PROVISION_SENTENCE, max]', () => {
    expect(provisionSentence(14, 1200, 120)).toBe(55);
    expect(provisionSentence(3, 1200, 120)).toBe(120);
    expect(provisionSentence(60, 1200, 120)).toBe(MIN_PROVISION_SENTENCE);
  });
});
