import fs from 'node:fs';
import { AlignmentType, Document, HeadingLevel, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/ingest/chunk.js';
import { readFiles, readOne } from './support.js';

/** A .docx written with the `docx` package: a title, Heading 1/2, a numbered list and a table with a header row. */
async function sampleDocx(): Promise<Buffer> {
  const cell = (t: string) => new TableCell({ children: [new Paragraph(t)] });
  const doc = new Document({
    numbering: { config: [{ reference: 'steps', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }] }] },
    sections: [
      {
        children: [
          new Paragraph({ text: '某某县“三会一课”落实情况通报（虚构）', heading: HeadingLevel.TITLE }),
          new Paragraph({ text: '一、基本情况', heading: HeadingLevel.HEADING_1 }),
          new Paragraph('今年以来，全县各党支部认真落实“三会一课”制度，共召开支部党员大会420次。'),
          new Paragraph({ text: '二、下一步工作', heading: HeadingLevel.HEADING_1 }),
          new Paragraph('下一步重点做好以下工作：'),
          new Paragraph({ text: '规范会议记录；', numbering: { reference: 'steps', level: 0 } }),
          new Paragraph({ text: '加强督促检查。', numbering: { reference: 'steps', level: 0 } }),
          new Paragraph({ text: '三、各乡镇情况', heading: HeadingLevel.HEADING_1 }),
          new Paragraph('表2 各乡镇党课开展情况'),
          new Table({
            rows: [
              new TableRow({ tableHeader: true, children: [cell('乡镇'), cell('党课次数')] }),
              new TableRow({ children: [cell('湖东镇'), cell('36')] }),
              new TableRow({ children: [cell('河西乡'), cell('28')] }),
            ],
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

describe('.docx (mammoth → HTML → tree)', () => {
  it('reads the title, the headings, the numbered list with its lead and the table rows with their header', async () => {
    const { doc, sections, chunks } = await readOne('tongbao.docx', await sampleDocx());
    expect(doc.format).toBe('docx');
    expect(doc.title).toBe('某某县“三会一课”落实情况通报（虚构）');
    expect(sections.slice(1).map((s) => s.path.join(' > '))).toEqual(['一、基本情况', '二、下一步工作', '三、各乡镇情况']);
    const list = chunks.find((c) => c.unit === 'list')!;
    expect(list.items).toEqual(['规范会议记录；', '加强督促检查。']);
    expect(list.text.startsWith('下一步重点做好以下工作：')).toBe(true);
    const rows = chunks.filter((c) => c.unit === 'table-row').map((c) => c.text);
    expect(rows).toEqual(['表2 各乡镇党课开展情况 · 乡镇：湖东镇 · 党课次数：36', '表2 各乡镇党课开展情况 · 乡镇：河西乡 · 党课次数：28']);
    // offsets point into the extracted text
    const c = chunks.find((x) => x.text.includes('420次'))!;
    expect(doc.text.slice(c.start, c.end)).toContain('共召开支部党员大会420次');
  });
});

describe('a heading style on an item that states something', () => {
  // Word users style whole numbered items as Heading 2; a 通知's closing 联系人 line then follows the last one
  async function styledItems(): Promise<Buffer> {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({ text: '关于做好纪念章颁发工作的通知（虚构）', heading: HeadingLevel.TITLE }),
            new Paragraph({ text: '一、时间安排', heading: HeadingLevel.HEADING_1 }),
            new Paragraph({ text: '（一）审核阶段。', heading: HeadingLevel.HEADING_2 }),
            new Paragraph('各单位于4月30日前完成名单核实。'),
            new Paragraph({ text: '（二）2027年7月1日前，各单位完成纪念章颁发，并于7月10日前报送颁发情况。', heading: HeadingLevel.HEADING_2 }),
            new Paragraph('联系人：县委组织部组织科（虚构）'),
          ],
        },
      ],
    });
    return Packer.toBuffer(doc);
  }

  it('keeps a styled item of several clauses ending in 。 as quotable text, headed by its first clause', async () => {
    const { sections, chunks } = await readOne('tongzhi.docx', await styledItems());
    const item = chunks.find((c) => c.text.includes('7月10日前报送颁发情况'));
    expect(item, 'the sentence of the styled item is in a chunk’s text, not only in a section path').toBeDefined();
    expect(item!.sectionPath.at(-1)).toBe('（二）2027年7月1日前');
    // a one-clause styled line (“审核阶段。”) is still a heading over its paragraph
    expect(sections.map((s) => s.path.at(-1))).toContain('（一）审核阶段');
  });
});

describe('files that cannot be read are reported while the rest index', () => {
  it('reports a corrupt .docx, a scanned PDF, an empty and a binary file by name, and reads the others', async () => {
    const { docs, problems } = await readFiles({
      'broken.docx': Buffer.from('PK\u0003\u0004 this is not a zip archive'),
      'scanned.pdf': fs.readFileSync('test/fixtures/readers/scanned.pdf'),
      'empty.txt': '',
      'image.txt': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x0d, 0x0a]),
      'ok.txt': '关于做好党费收缴工作的通知\n一、收缴标准\n按月收缴党费。\n',
    });
    expect(docs.map((d) => d.source)).toEqual(['ok.txt']);
    const reason = Object.fromEntries(problems.map((p) => [p.source, p.reason]));
    expect(Object.keys(reason).sort()).toEqual(['broken.docx', 'empty.txt', 'image.txt', 'scanned.pdf']);
    expect(reason['scanned.pdf']).toContain('扫描件');
    expect(reason['broken.docx']).toContain('损坏');
  });
});

describe('text encodings', () => {
  it('decodes GBK and UTF-16 text', async () => {
    const text = '关于加强党员教育的通知\n一、总体要求\n各党支部要按月开展主题党日活动。\n';
    const gbk = await readOne('gbk.txt', iconv.encode(text, 'gbk'));
    expect(gbk.chunks.map((c) => c.text)).toContain('各党支部要按月开展主题党日活动。');
    expect(gbk.doc.title).toBe('关于加强党员教育的通知');
    const utf16 = await readOne('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]));
    expect(utf16.doc.title).toBe('关于加强党员教育的通知');
  });
});

describe('.html (Readability → cheerio)', () => {
  const page = `<!doctype html><html><head><meta charset="utf-8"><title>某某县基层党建工作总结（虚构）_某某县人民政府网</title></head><body>
<nav><ul><li>首页</li><li>政务公开</li><li>联系我们</li></ul></nav>
<header><h1>某某县人民政府网</h1><div>欢迎您</div></header>
<div id="main"><article>
<h1>某某县基层党建工作总结（虚构）</h1>
<p>2026年，某某县坚持以党建引领基层治理，各项工作取得明显成效。全县新建党群服务中心12个，培训党员3200人次，党员队伍结构持续优化。</p>
<h2>一、发展党员情况</h2>
<table><caption>表1 各乡镇发展党员情况</caption><thead><tr><th>乡镇</th><th>发展党员数</th></tr></thead>
<tbody><tr><td>湖东镇</td><td>42</td></tr><tr><td>河西乡</td><td>17</td></tr></tbody></table>
<p>全县共发展党员59名，其中35岁以下青年占比达到68%，农牧民党员比例明显提高。</p>
</article></div>
<footer><p>版权所有：某某县人民政府 备案号：青ICP备00000000号</p></footer></body></html>`;

  it('takes the <h1> as the title, not a byline under it, and reads the byline’s date', async () => {
    const brief = `<!doctype html><html><head><meta charset="utf-8"><title>某县党建简报</title></head><body><nav><a href="/">首页</a></nav>
<div class="content"><h1>某县党建简报（第12期）</h1><p>某县委组织部编　　2026年11月26日（虚构）</p>
<h2>东坪镇：党员中心户带动产业发展</h2><p>东坪镇在全镇12个村设立党员中心户86户，每户联系群众10户以上。今年以来，党员中心户带动发展特色种植2300亩，户均增收4200元，比上年增加了一成多。</p>
<h2>西林乡：红色代办让群众少跑腿</h2><p>西林乡组建红色代办员队伍46人，为群众代办事项1350件，群众满意率达到98.6%，代办服务覆盖全乡所有行政村和社区。</p></div></body></html>`;
    const { doc } = await readOne('jianbao.html', brief);
    expect(doc.title).toBe('某县党建简报（第12期）');
    expect(doc.tree.date).toBe('2026-11-26');
  });

  it('reads the article without navigation and footer, and table rows with caption and header', async () => {
    const { doc, chunks } = await readOne('zongjie.html', page);
    expect(doc.title).toBe('某某县基层党建工作总结（虚构）');
    expect(doc.text).not.toMatch(/首页|版权所有|欢迎您|人民政府网/);
    const rows = chunks.filter((c) => c.unit === 'table-row');
    expect(rows[0]!.text).toBe('表1 各乡镇发展党员情况 · 乡镇：湖东镇 · 发展党员数：42');
    expect(rows[0]!.sectionPath).toEqual(['一、发展党员情况']);
  });

  it('keeps a page metadata line (来源：… 发布时间：…) out of the chunks', async () => {
    const withMeta = page.replace('<h1>某某县基层党建工作总结（虚构）</h1>', '<h1>某某县基层党建工作总结（虚构）</h1><p>来源：某某县委组织部 发布时间：2026-08-03</p><p>（虚构示例）</p>');
    const { chunks } = await readOne('zongjie.html', withMeta);
    expect(chunks.map((c) => c.text).join('\n')).not.toContain('来源：');
    expect(chunks.map((c) => c.text).join('\n')).toContain('2026年，某某县坚持');
  });

  it('keeps a metadata line of a plain-text file out of a wrapped paragraph', async () => {
    const { chunks } = await readOne('tongzhi.txt', '关于某项工作的通知（虚构）\n\n来源：某某县委组织部 作者：某某某\n一、工作目标\n全县今年新建党群服务中心12个，培训党员3200人次，党员队伍结构持续优化。\n');
    expect(chunks.map((c) => c.text).join('\n')).not.toContain('来源：');
  });
});

describe('.pdf with a text layer (unpdf → lines → line repair → official parser)', () => {
  it('rejoins an article wrapped over several lines and reads chapters, articles and the signature', async () => {
    const { doc, sections, chunks } = await readOne('policy.pdf', fs.readFileSync('test/fixtures/readers/policy.pdf'));
    expect(doc.title).toBe('某某县村级党组织工作管理办法（虚构）');
    expect(sections.filter((s) => s.role === 'chapter').map((s) => s.path[0])).toEqual(['第一章 总则', '第二章 组织生活']);
    const a18 = chunks.find((c) => c.article === '第十八条')!;
    expect(a18.text).toContain('每季度召开一次党员大会，每季度上一次党课');
    expect(a18.text).toContain('如实记录并存档备查');
    expect(chunkDocument(doc).filter((c) => c.unit === 'article')).toHaveLength(4);
    expect(doc.tree.issuer).toBe('某某县委组织部');
    expect(doc.tree.date).toBe('2026-11-20');
  });

  it('reads a table of the annex whose header cells wrap over two lines, one chunk per row', async () => {
    const { sections, chunks } = await readOne('policy.pdf', fs.readFileSync('test/fixtures/readers/policy.pdf'));
    expect(sections.find((s) => s.role === 'annex')).toMatchObject({ number: '附件', heading: '各村组织生活开展情况' });
    const rows = chunks.filter((c) => c.unit === 'table-row');
    expect(rows.map((r) => r.text)).toEqual([
      '表1 各村组织生活开展情况 · 村名：湖东村 · 支部委员会会议（次）：12 · 党员大会（次）：4',
      '表1 各村组织生活开展情况 · 村名：河西村 · 支部委员会会议（次）：11 · 党员大会（次）：4',
    ]);
  });
});
