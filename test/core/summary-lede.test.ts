import { describe, expect, it } from 'vitest';
import { balanceQuotes, figureClause } from '../../src/answer/summary/text.js';

/** The 导语's headline figures: clauses a reader can take alone (synthetic sentences, one rule per case). */
describe('headline figure clauses', () => {
  it('keeps a clause that says what was counted (建立党建责任清单4900余份)', () => {
    expect(figureClause('市委与各县区签订责任书，示范带动建立党建责任清单4900余份。', '4900余份')).toContain('党建责任清单4900余份');
  });

  it('drops a clause leaning on words left behind (等6个方面…, 分别占40%…)', () => {
    expect(figureClause('此外，西宁市建立市级分管领导包联解决基层党建工作重点问题机制，市级领导分别认领“发展壮大村集体经济”“提升党建引领基层治理水平”等6个方面20条突出问题及措施，明确了具体责任单位。', '6个')).toBeUndefined();
    expect(figureClause('日常考核、述职评议和民主测评，分别占40%、30%和30%。', '40%')).toBeUndefined();
  });

  it('drops a condition (党员外出时间在6个月以上、地点相对固定的) and a table row (3000元以下 · 交纳比例)', () => {
    expect(figureClause('党员外出时间在6个月以上、地点相对固定的，应当转移组织关系。', '6个月')).toBeUndefined();
    expect(figureClause('表1 党费交纳比例 · 月工资收入：3000元以下（含3000元） · 交纳比例：0.5%', '3000元')).toBeUndefined();
  });

  it('drops half a book title the clause cut (“》等系列党课视频20余部”), as it drops half a quotation', () => {
    expect(balanceQuotes('》等系列党课视频20余部', '20余部')).toBe('等系列党课视频20余部');
    expect(balanceQuotes('制作推出《红色记忆》等党课视频20余部', '20余部')).toBe('制作推出《红色记忆》等党课视频20余部');
    expect(balanceQuotes('党课视频20余部，推出《红色', '20余部')).toBe('党课视频20余部，推出');
  });
});
