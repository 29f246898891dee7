import { describe, expect, it } from 'vitest';
import { documentPlace } from '../../src/ingest/lexicon.js';
import { readOne } from './support.js';

/**
 * A 简报 (work bulletin) as a county's organisation department writes it in plain text: the name set apart with
 * spaces, an issue line, “某部编 date”, a 本期目录 with ◎ entries, articles under headlines without outline markers,
 * rules drawn with dashes and a 版记 (报：/送：/发：/共印). Synthetic; no real county.
 */
const JIANBAO = `组 工 简 报
2026年第5期（总第41期）

中共丙川县委组织部编　　　　　　　　　　2026年6月8日

本期目录
◎全县党务干部培训班开班
◎南岭镇推行“红色网格员”
◎县委组织部开展调研走访

--------------------------------------------------

全县党务干部培训班开班

6月2日，全县党务干部培训班在县委党校开班，来自各乡镇的党务干部共120人参加培训。

南岭镇推行“红色网格员”

南岭镇在全镇9个村选聘红色网格员64名，每人联系群众30户左右，共收集民情诉求215件。

县委组织部开展调研走访

5月下旬，县委组织部分成5个调研组走访村（社区）38个，收集意见建议42条。

--------------------------------------------------
报：市委组织部
送：县人大常委会、县政府
发：各乡镇党委
（共印50份）
`;

describe('a work bulletin (简报) in plain text', () => {
  it('is read as an official text (not a print extraction): the masthead gives title, issuer and date', async () => {
    const { doc } = await readOne('jianbao.txt', JIANBAO);
    expect(doc.format).toBe('official');
    expect(doc.tree.title).toBe('组工简报2026年第5期（总第41期）');
    expect(doc.tree.issuer).toBe('中共丙川县委组织部');
    expect(doc.tree.date).toBe('2026-06-08');
  });

  it('makes each article named in its 目录 a section, without the contents, the dashed rules or the 版记 as text', async () => {
    const { sections, chunks } = await readOne('jianbao.txt', JIANBAO);
    expect(sections.map((s) => s.heading).slice(1)).toEqual(['全县党务干部培训班开班', '南岭镇推行“红色网格员”', '县委组织部开展调研走访']);
    const text = chunks.map((c) => c.text).join('\n');
    expect(text).not.toMatch(/本期目录|◎|-{6}|共印50份|报：市委组织部/);
    expect(chunks.find((c) => c.text.includes('红色网格员64名'))?.section).toContain('南岭镇推行');
  });

  it('speaks for its issuer’s county, named in the issuer or at the start of the title, never for 全县 or 本市', () => {
    expect(documentPlace('中共丙川县委组织部', '组工简报2026年第5期')).toBe('丙川县');
    expect(documentPlace('西宁市人民政府办公厅', '关于印发…的通知')).toBe('西宁市');
    expect(documentPlace(undefined, '丙川县流动党员管理办法（试行）')).toBe('丙川县');
    expect(documentPlace('县委组织部', '关于公布全县党群服务中心开放时间的通知')).toBeUndefined();
    expect(documentPlace(undefined, '做好全县党员发展工作的通知')).toBeUndefined();
    // after 关于, or inside the 《》 of the document a 解读 explains: the name, not 关于丙川县
    expect(documentPlace('县委组织部调研组', '关于丙川县村级后备力量队伍建设情况的调研报告')).toBe('丙川县');
    expect(documentPlace(undefined, '《丙川县民主评议党员工作实施办法》政策解读')).toBe('丙川县');
    // after the verb a 关于 title opens with, and before a quoted name: not 开展丙川县, and not nothing
    expect(documentPlace(undefined, '关于开展丙川县党员冬训工作的通知')).toBe('丙川县');
    expect(documentPlace(undefined, '丙川县“两新”组织党建工作情况报告')).toBe('丙川县');
    expect(documentPlace(undefined, '关于丙川县“双报到”工作情况的通报')).toBe('丙川县');
    expect(documentPlace(undefined, '关于做好全县党员冬训工作的通知')).toBeUndefined();
  });

  it('keeps a sentence with a date right under the title as body text, not as a byline', async () => {
    const { doc, chunks } = await readOne('tongzhi.md', '# 关于公布开放时间的通知（虚构）\n\n各乡镇党委要在2027年3月15日前，将开放时间在中心门口公示。\n\n中共丙川县委组织部\n2027年2月20日\n');
    expect(chunks.map((c) => c.text).join('')).toContain('3月15日前');
    expect(doc.tree.date).toBe('2027-02-20');
  });
});
