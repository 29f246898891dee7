import { describe, expect, it } from 'vitest';
import { Lexicon } from '../../src/ingest/lexicon.js';
import { extractMeasures } from '../../src/ingest/measures.js';
import { articleNumber, toChineseNumeral } from '../../src/ingest/numerals.js';
import { readOne } from './support.js';
import { splitSentences } from '../../src/ingest/sentences.js';
import { Traced } from '../../src/ingest/traced.js';

const BANFA = `某某县党员教育管理办法（虚构）

第一章 总则

第一条 为加强党员教育管理，制定本办法。
第二条 本办法适用于全县各级党组织。

第二章 党员管理

第十八条 党员应当按月交纳党费。
党员连续六个月不交纳党费的，按照有关规定处理。
第十九条 党支部应当建立党员档案，内容包括：
（一）基本信息；
（二）奖惩情况。

第三章 附则

第二十条 本办法自2026年12月1日起施行。
`;

const FANGAN = `中共某某县委组织部文件
某组发〔2026〕12号
关于开展基层党建提质增效行动的实施方案
各乡镇党委，县直各党（工）委：
为推动基层党建提质增效，制定本方案。
一、总体要求
以党的建设为统领，坚持问题导向，全面提升基层党组织组织力。
二、主要任务
（一）加强组织建设。各乡镇党委要在12月31日前完成软弱涣散党组织排查整顿，全年整顿15个。
（二）健全工作机制。建立党建工作台账，按月更新。
主要措施包括：
1.每月召开一次党建例会；
2.每季度开展一次督查。
三、保障措施
各单位要高度重视，确保各项任务落到实处。

中共某某县委组织部
2026年11月20日
`;

describe('official documents: 第X章 and 第X条', () => {
  it('reads 第一章 总则 as a chapter (not a byline) and each 第X条 as one chunk with its number', async () => {
    const { sections, chunks } = await readOne('banfa.txt', BANFA);
    const chapter = sections.find((s) => s.number === '第一章')!;
    expect(chapter).toMatchObject({ role: 'chapter', heading: '总则', path: ['第一章 总则'] });
    const articles = chunks.filter((c) => c.unit === 'article');
    expect(articles.map((c) => c.article)).toEqual(['第一条', '第二条', '第十八条', '第十九条', '第二十条']);
    const a18 = chunks.find((c) => c.article === articleNumber('第18条'))!;
    expect(a18.sectionPath).toEqual(['第二章 党员管理', '第十八条']);
    // both 款 of the article, nothing of the next one
    expect(a18.text).toContain('连续六个月不交纳党费');
    expect(a18.text).not.toContain('第十九条');
    // the 项 （一）（二） stay inside their article
    expect(chunks.find((c) => c.article === '第十九条')!.text).toContain('（二）奖惩情况');
    expect(sections.filter((s) => s.role === 'outline')).toEqual([]);
  });

  it('splits a long article into windows that each keep the article and its section', async () => {
    const sentence = (k: number) => `第${k}项要求是各党支部应当按照规定的程序和时限认真组织落实本项工作并如实记录备查。`;
    const long = `某某县党支部工作规则（虚构）\n第一章 总则\n第三条 ${Array.from({ length: 16 }, (_, k) => sentence(k + 1)).join('')}\n第四条 本规则自印发之日起施行。\n`;
    const { chunks } = await readOne('guize.txt', long);
    const a3 = chunks.filter((c) => c.sectionPath.at(-1) === '第三条');
    expect(a3.length).toBeGreaterThan(1);
    expect(a3.every((c) => c.unit === 'article' && c.article === '第三条' && c.text.length <= 480)).toBe(true);
    expect(a3.map((c) => c.sectionId)).toEqual(a3.map(() => a3[0]!.sectionId));
    expect(a3.some((c) => c.text.includes('本规则自印发之日起施行'))).toBe(false);
  });

  it('rejoins a hard-wrapped text: an article broken over lines stays one article', async () => {
    const wrapped = `某某县党员教育管理办法（虚构）\n第一章 总则\n第一条 为加强党员教育管理，根据《中国共产党章程》和有关党内法规，结\n合本县实际，制定本办法。\n第二条 本办法适用于全县各级党组织。\n`;
    const { doc, chunks } = await readOne('wrapped.txt', wrapped);
    expect(doc.format).toBe('official');
    expect(chunks.find((c) => c.article === '第一条')!.text).toBe('第一条 为加强党员教育管理，根据《中国共产党章程》和有关党内法规，结合本县实际，制定本办法。');
  });

  it('normalises article numbers to Chinese numerals', () => {
    expect(articleNumber('第18条')).toBe('第十八条');
    expect(articleNumber('第 101 条')).toBe('第一百零一条');
    expect(articleNumber('第二十条')).toBe('第二十条');
    expect(toChineseNumeral(110)).toBe('一百一十');
    expect(articleNumber('第十八章')).toBeUndefined();
  });
});

describe('official documents: 一、（一）1. outlines, front matter and signature', () => {
  it('keeps the text of an outline item that is one sentence of several clauses, hard-wrapped or not', async () => {
    const paras = [
      '某县机关党建工作要点（虚构）',
      '一、加强政治建设',
      '（1）各支部每月开展1次主题党日活动，所需经费列入年度预算，专款专用。',
      '（2）对学习不到位的8个后进党支部进行约谈，限期整改，整改情况于12月10日前报送。',
      '2.全年举办党员轮训班2批，培训党员260人。',
      '3.加强阵地建设。',
    ];
    // wrapped every 35 characters, as a copy from a PDF gives it
    const { sections, chunks } = await readOne('yaodian.txt', `${paras.map((p) => p.match(/.{1,35}/g)!.join('\n')).join('\n')}\n`);
    const text = chunks.map((c) => c.text).join('\n');
    for (const fact of ['经费列入年度预算', '8个后进党支部', '12月10日前报送', '培训党员260人']) expect(text).toContain(fact);
    // the item is headed by its first clause; a one-clause item is a heading alone
    expect(sections.map((s) => s.path.at(-1))).toContain('（1）各支部每月开展1次主题党日活动');
    expect(sections.map((s) => s.path.at(-1))).toContain('3.加强阵地建设');
  });

  it('keeps an outline item whose first wrapped line has no punctuation whole, not as a heading cut mid-word', async () => {
    const paras = [
      '某县机关党建工作要点（虚构）',
      '一、加强经费保障',
      '（1）机关党组织工作经费按照每名党员每年不低于200元的标准列入部门年度预算，专款专用。',
      '（2）党员人数50名以上的单位建设标准化党员活动室，6月底前全部达标。',
      '（3）各支部每季度开展1次党员志愿服务活动，服务情况于季度末报送县直机关工委。',
    ];
    // wrapped every 35 characters: the first line of （1） ends “…列入部门年” with no punctuation
    const { chunks } = await readOne('yaodian.txt', `${paras.map((p) => p.match(/.{1,35}/g)!.join('\n')).join('\n')}\n`);
    expect(chunks.some((c) => c.text.includes('列入部门年度预算，专款专用'))).toBe(true);
    expect(chunks.every((c) => !c.text.startsWith('度预算'))).toBe(true);
  });

  it('keeps the field lines of a 会议纪要 head apart (时间：/地点：/主持：), each a sentence of its own in the chunk', async () => {
    const minutes = '某县委组织部部务会会议纪要（虚构）\n\n时间：2026年11月20日（星期五）上午9:00\n地点：县委组织部三楼会议室\n主持：李明（县委常委、组织部部长）\n参加：王芳、赵强、孙丽\n\n会议听取了关于全县村级后备力量储备情况的汇报，研究了2027年党员发展计划。会议要求各乡镇党委于12月15日前完成信息核查。\n';
    const { chunks } = await readOne('jiyao.txt', minutes);
    const sentences = chunks.flatMap((c) => splitSentences(Traced.of(c.text)).map((x) => x.text));
    expect(sentences).toContain('时间：2026年11月20日（星期五）上午9:00');
    expect(sentences).toContain('主持：李明（县委常委、组织部部长）');
  });

  it('reads rows with inner pipes only (“3000元以下 | 0.5%”) as a table under its caption', async () => {
    const notice = '关于党费交纳的通知（虚构）\n\n一、交纳标准\n\n表1 在职党员党费交纳比例\n月工资收入（税后） | 交纳比例\n3000元以下（含3000元） | 0.5%\n3000元以上至5000元（含5000元） | 1%\n5000元以上 | 2%\n\n二、工作要求\n\n各支部按月收缴。\n';
    const { chunks } = await readOne('dangfei.txt', notice);
    const rows = chunks.filter((c) => c.unit === 'table-row');
    expect(rows.map((r) => r.text)).toContain('表1 在职党员党费交纳比例 · 月工资收入（税后）：3000元以上至5000元（含5000元） · 交纳比例：1%');
    expect(rows).toHaveLength(3);
  });

  it('finds the 发文字号 of a copy that puts the title and a note first, and keeps it out of the body', async () => {
    const notice = `关于开展党费专项检查的通知（虚构）\n\n（本文件为虚构示例）\n\n某县委组织部〔2026〕27号\n\n各乡镇党委：\n\n现将有关事项通知如下。\n\n一、检查范围\n\n全县各基层党组织。\n`;
    const { doc, chunks } = await readOne('tongzhi.txt', notice);
    expect(doc.tree.docNumber).toBe('某县委组织部〔2026〕27号');
    expect(chunks.some((c) => c.text.includes('〔2026〕27号'))).toBe(false);
  });

  it('keeps the title apart from 一、 and nests （一） under 一、', async () => {
    const { doc, sections, chunks } = await readOne('fangan.txt', FANGAN);
    expect(doc.title).toBe('关于开展基层党建提质增效行动的实施方案');
    expect(doc.tree.docNumber).toBe('某组发〔2026〕12号');
    const top = sections.filter((s) => s.parentId === sections[0]!.id).map((s) => s.path.at(-1));
    expect(top).toEqual(['一、总体要求', '二、主要任务', '三、保障措施']);
    const task = sections.find((s) => s.number === '（一）')!;
    expect(task).toMatchObject({ role: 'outline', heading: '加强组织建设', path: ['二、主要任务', '（一）加强组织建设'] });
    expect(chunks.every((c) => !c.text.includes('实施方案'))).toBe(true);
  });

  it('reads each question of a 解读 answered on the next line (问一：…？ / 答：…) as a part heading its answer', async () => {
    const JIEDU = ['某某县发展党员工作规程解读（虚构）', '一、总体情况', '现就有关问题解读如下。', '问一：入党积极分子怎么确定？', '答：由党小组推荐，支部委员会研究确定。', '问二：培养考察多长时间？', '答：一般不少于一年。', '二、其他事项', '问三是什么意思？', '这一句不是答句。'].join('\n');
    const { sections, chunks } = await readOne('jiedu.txt', JIEDU);
    const q = sections.filter((s) => s.heading.startsWith('问'));
    expect(q.map((s) => s.path)).toEqual([
      ['一、总体情况', '问一：入党积极分子怎么确定？'],
      ['一、总体情况', '问二：培养考察多长时间？'],
    ]);
    expect(chunks.find((c) => c.text.includes('一般不少于一年'))!.sectionPath).toEqual(['一、总体情况', '问二：培养考察多长时间？']);
    // (a question line with no 答 after it is text, not a heading)
    expect(sections.some((s) => s.heading.includes('问三'))).toBe(false);
  });

  it('reads the issuer and the date of the signature (落款) and keeps them out of the text chunks', async () => {
    const { doc, chunks } = await readOne('fangan.txt', FANGAN);
    expect(doc.tree.issuer).toBe('中共某某县委组织部');
    expect(doc.tree.date).toBe('2026-11-20');
    expect(chunks.some((c) => c.text.includes('2026年11月20日'))).toBe(false);
  });

  it('keeps a list with the sentence that announces it', async () => {
    const { chunks } = await readOne('fangan.txt', FANGAN);
    const list = chunks.find((c) => c.unit === 'list')!;
    expect(list.text.startsWith('主要措施包括：')).toBe(true);
    expect(list.items).toEqual(['每月召开一次党建例会；', '每季度开展一次督查。']);
    expect(list.sectionPath).toEqual(['二、主要任务', '（二）健全工作机制']);
  });

  it('reads “附件：1. …” and the numbered lines under it as the list of annexes, not as outline headings', async () => {
    const notice = `关于报送材料的通知（虚构）\n一、工作要求\n请按时报送。\n附件：1. 测评表\n      2. 述职报告提纲\n      3. 整改清单\n中共某某县委组织部\n2026年11月20日\n`;
    const { chunks, sections } = await readOne('tongzhi.txt', notice);
    const list = chunks.find((c) => c.unit === 'list')!;
    expect(list.items).toEqual(['1. 测评表', '2. 述职报告提纲', '3. 整改清单'].map((x) => x.replace(/^\d\. /, '')));
    expect(sections.some((s) => s.heading.includes('述职报告提纲'))).toBe(false);
  });

  it('takes the outline items that state a task as measures', async () => {
    const { doc } = await readOne('fangan.txt', FANGAN);
    const ms = extractMeasures(doc, Lexicon.load('data'));
    expect(ms.map((m) => m.title)).toEqual(expect.arrayContaining(['加强组织建设', '健全工作机制']));
    expect(ms.find((m) => m.title === '加强组织建设')!.figures).toContain('15个');
  });
});

describe('tables', () => {
  it('turns each row of a Markdown table into a chunk with its caption and header cells', async () => {
    const md = `# 某某县党建工作总结（虚构）\n\n## 发展党员\n\n表1 各乡镇发展党员情况\n\n| 乡镇 | 发展党员数 |\n| --- | --- |\n| 湖东镇 | 42 |\n| 河西乡 | 17 |\n`;
    const { chunks } = await readOne('zongjie.md', md);
    const rows = chunks.filter((c) => c.unit === 'table-row');
    expect(rows.map((r) => r.text)).toEqual(['表1 各乡镇发展党员情况 · 乡镇：湖东镇 · 发展党员数：42', '表1 各乡镇发展党员情况 · 乡镇：河西乡 · 发展党员数：17']);
    expect(rows[0]!.table).toEqual({ caption: '表1 各乡镇发展党员情况', header: ['乡镇', '发展党员数'], cells: ['湖东镇', '42'] });
    expect(rows[0]!.sectionPath).toEqual(['发展党员']);
  });
});
