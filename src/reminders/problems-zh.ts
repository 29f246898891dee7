/**
 * Chinese reasons for the problems of a checklist file: zod issues (through a per-parse error map, so
 * that messages written on the schema win) and YAML syntax errors (by the `yaml` package's error
 * `code`). The people who edit checklists are branch secretaries: every reason says what is wrong and,
 * where it helps, what to write instead. Field paths stay as written in the file (`recurrence.month`).
 */
import type { ErrorCode } from 'yaml';
import type { z } from 'zod';

const TYPE_NAMES: Record<string, string> = {
  string: '文字',
  number: '数字',
  int: '整数',
  boolean: 'true 或 false',
  array: '列表（- 开头的多行，或 [a, b]）',
  object: '字段表（key: value）',
  date: '日期',
  undefined: '空',
  null: '空',
};

function typeName(t: unknown): string {
  return TYPE_NAMES[String(t)] ?? String(t);
}

/** The type of a value as a secretary would call it. */
function received(input: unknown): string {
  if (input === undefined) return '缺少该字段';
  if (input === null) return '为空';
  if (Array.isArray(input)) return '为列表';
  if (typeof input === 'object') return '为字段表';
  if (typeof input === 'string') return `为文字“${input.length > 20 ? `${input.slice(0, 20)}…` : input}”`;
  return `为 ${String(input)}`;
}

/**
 * zod error map (zod 4 `{ error }` parse option) giving a Chinese message for every issue code.
 * Messages set on the schema itself take precedence over it (zod's rule), so this is the fallback.
 * Pass `reportInput: true` with it so that the received value can be named.
 */
export const checklistErrorMap: z.core.$ZodErrorMap = (issue) => {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined ? `缺少必填字段（应为${typeName(issue.expected)}）` : `应为${typeName(issue.expected)}，现${received(input)}`;
    case 'too_big': {
      const what = issue.origin === 'array' ? `最多 ${issue.maximum} 项` : issue.origin === 'string' ? `最多 ${issue.maximum} 个字` : `应不大于 ${issue.maximum}`;
      return input !== undefined && typeof input !== 'object' ? `${what}，现为 ${String(input)}` : what;
    }
    case 'too_small': {
      if (issue.origin === 'array') return `至少需要 ${issue.minimum} 项`;
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? '不能为空' : `至少 ${issue.minimum} 个字`;
      const what = `应不小于 ${issue.minimum}`;
      return input !== undefined && typeof input !== 'object' ? `${what}，现为 ${String(input)}` : what;
    }
    case 'invalid_value':
      return `应为 ${issue.values.map((v) => String(v)).join(' / ')} 之一${input !== undefined && typeof input !== 'object' ? `，现为 ${String(input)}` : ''}`;
    case 'unrecognized_keys':
      return `不认识的字段：${issue.keys.join('、')}（检查拼写和缩进，可用字段见 docs/reminders.md）`;
    case 'invalid_union':
      return '写法不对，可用的写法见 docs/reminders.md';
    case 'invalid_format':
      return '格式不对';
    case 'not_multiple_of':
      return `应为 ${String(issue.divisor)} 的倍数`;
    case 'invalid_key':
      return '字段名不对';
    case 'invalid_element':
      return '列表中有一项不对';
    default:
      return '内容不对';
  }
};

const YAML_REASONS: Partial<Record<ErrorCode, string>> = {
  BAD_INDENT: '缩进不对（同一层的字段要对齐，只用空格缩进）',
  TAB_AS_INDENT: '用了 Tab 缩进，请改用空格',
  MISSING_CHAR: '缺少配对的符号（引号、括号 ] 或 } 没有闭合）',
  DUPLICATE_KEY: '同一层里有重复的字段名',
  BLOCK_AS_IMPLICIT_KEY: '字段名写法不对（冒号后要有空格，或这一行缩进不对）',
  MULTILINE_IMPLICIT_KEY: '字段名跨了多行（可能少了冒号或引号）',
  UNEXPECTED_TOKEN: '这里出现了意外的符号（检查冒号、短横线和括号）',
  BAD_SCALAR_START: '值不能以这个符号开头（以 @ ` | > 等开头的文字请加引号）',
  BLOCK_IN_FLOW: '在 [ ] 或 { } 里不能换成多行写法',
  BAD_DQ_ESCAPE: '双引号里的转义写法不对（\\ 后跟的字符无效）',
  KEY_OVER_1024_CHARS: '字段名太长',
  MULTIPLE_DOCS: '一个文件里只能有一份清单（不要写 ---）',
  BAD_ALIAS: '引用（*别名）写法不对',
  ALIAS_PROPS: '引用（*别名）不能带标签或锚点',
  MULTIPLE_ANCHORS: '一个值只能有一个锚点（&）',
  MULTIPLE_TAGS: '一个值只能有一个标签（!）',
  TAG_RESOLVE_FAILED: '无法识别的标签（!）',
  BAD_COLLECTION_TYPE: '列表或字段表的类型不对',
  NON_STRING_KEY: '字段名应为文字',
  BAD_DIRECTIVE: '无效的 % 指令',
  BAD_PROP_ORDER: '锚点和标签的顺序不对',
  RESOURCE_EXHAUSTION: '引用展开过多',
};

/** The Chinese reason for a YAML syntax error of code `code` (`YAML 语法：…`). */
export function yamlReason(code: ErrorCode | string): string {
  return `YAML 语法：${YAML_REASONS[code as ErrorCode] ?? `无法解析（${code}）`}`;
}
