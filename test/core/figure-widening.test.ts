import { describe, expect, it } from 'vitest';
import { assistantOn } from './support.js';

/**
 * A figure question whose figure sits in a long passage about something else, below passages that repeat the asked
 * words without a figure (synthetic; 庚州 does not exist).
 */
const talk = (k: number) => `庚州第${k}片区推进党员教育阵地建设，党员教育阵地功能不断完善，党员教育阵地管理更加规范，阵地建设成效明显（虚构）。`;
const files: Record<string, string> = {
  '庚州组织工作综述.txt': [
    '庚州组织工作综述（虚构）',
    '',
    '坚持把政治建设摆在首位，持续深化理论武装，健全完善学习制度体系，推动理论学习走深走实，推动各级党组织和广大党员干部把学习成果转化为推动高质量发展的实际成效，推动各级党组织严格落实“第一议题”制度，完善学习制度，组织开展专题读书班、理论宣讲、知识竞赛等活动，引导党员干部深刻领会理论精髓。用好活用7个党员教育阵地和14个组织生活共享阵地，从明确学习任务、组织理论测试、通报学习成果等方面入手，推动学习教育常态长效，各级领导班子带头开展调查研究，形成调研报告120余篇，推动解决一批群众急难愁盼问题。',
  ].join('\n'),
};
for (let k = 1; k <= 45; k++) files[`庚州片区${k}.txt`] = `庚州第${k}片区工作简报（虚构）\n\n${talk(k)}`;
const on = assistantOn(files);

describe('a figure question looks below the top passages for the figure counting its noun', () => {
  it('answers 党员教育阵地有几个 from the long passage that counts them (7个), below more passages than the reranker pool holds that only name them', async () => {
    const a = await on.assistant.ask('庚州的党员教育阵地有几个？');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('7个党员教育阵地');
  });
});

