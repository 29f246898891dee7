import { describe, expect, it } from 'vitest';
import { assistantOn } from './support.js';

/**
 * A figure question that names the counted thing in chat words (方面, 附近, 搞…的) is answered by a figure of the asked
 * measure whose clause holds the noun's most specific word; a figure that counts another noun, or a clause without that
 * word, is no answer (synthetic documents; 庚州 does not exist).
 */
const on = assistantOn({
  '庚州党员教育工作简报.txt': [
    '庚州党员教育工作简报（虚构）',
    '',
    '一、丰富课程资源。坚持需求导向，开发政治理论、党性教育课程103门，制作微党课50余部，不断丰富课程资源库。',
    '二、带动群众增收。依托湖畔景点发展乡村旅游，景点招收吸纳周边农牧民就业96名，带动群众人均增收2000元。',
  ].join('\n'),
  '庚州村级党组织工作规则.txt': [
    '庚州村级党组织工作规则（虚构）',
    '',
    '第一条 为加强村级党组织建设，制定本规则。',
    '第二条 本规则适用于庚州所辖14个乡镇的全部行政村党组织。',
    '第三条 民主评议党员，评为优秀的党员一般不超过本支部参评党员总数的30%。',
  ].join('\n'),
});

describe('a figure asked in chat words is read beside the noun’s most specific word', () => {
  it('answers 多少门党性教育方面的课 with the 103门 of 党性教育课程 (方面 is a general word)', async () => {
    const a = await on.assistant.ask('庚州开发了多少门党性教育方面的课？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('103门');
  });

  it('answers 招了多少附近牧民 with the 96名 of 周边农牧民', async () => {
    const a = await on.assistant.ask('庚州湖畔那个景点招了多少附近牧民来上班？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('96名');
  });

  it('does not answer 有多少个行政村 with 14个乡镇, a figure that counts another noun', async () => {
    const a = await on.assistant.ask('庚州有多少个行政村？');
    expect(a.answer).not.toContain('14个');
  });

  it('does not answer the share of 不合格 党员 with the cap on 优秀 党员', async () => {
    const a = await on.assistant.ask('民主评议评为不合格的党员比例上限是多少？');
    expect(a.answer).not.toContain('30%');
  });
});
