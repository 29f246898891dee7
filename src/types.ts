/**
 * Shapes shared by the answerers, the CLI and the chat bot. Everything here is plain data
 * (JSON-serialisable) so that it can be printed with `--json` and rendered into Feishu cards.
 */

/** One numbered source passage that an answer or a summary cites as `[n]`. */
export interface Citation {
  /** 1-based marker as it appears in the answer text, e.g. 2 for "[2]". */
  n: number;
  /** Corpus file name, e.g. `001_02e902364aa12d71.txt`. */
  source: string;
  /**
   * Title of what the passage is cited from: the document's title (from its metadata or its first heading), or, for
   * a passage of another article printed on a newspaper page, that article's headline (then `page` names the page).
   */
  title: string;
  /** For a passage of another article of a newspaper page: the page's title (the document's), shown as 刊于《page》. */
  page?: string;
  /** Section path inside the document, headings joined by " > " ("" when none). */
  section: string;
  /** The quoted passage (the chunk or the sentences actually used). */
  text: string;
}

/** A turn of a conversation thread, oldest first, used to resolve follow-up questions. */
export interface Turn {
  question: string;
  answer: string;
  /** Corpus files the answer cited (`Citation.source`, in citation order), so “这篇报道” can be resolved. */
  sources?: string[];
}

/** The result of `Assistant.ask`. */
export interface Answer {
  question: string;
  /** Answer text with `[n]` citation markers; a refusal ("资料中未找到…") when not grounded. */
  answer: string;
  /** False when the materials do not contain the answer and the text is a refusal. */
  grounded: boolean;
  citations: Citation[];
  /** Which generator produced the text. `glossary` = a term explained from data/glossary.yaml. */
  mode: 'extractive' | 'llm' | 'glossary';
  /** Set when something degraded, e.g. "LLM 调用失败，已改用摘录式回答". */
  note?: string;
}

/** The result of `Assistant.summarize`: a structured markdown draft with citations. */
export interface Summary {
  topic: string;
  /**
   * Markdown: `## title`, a `**导语**：` paragraph (when, where, what, headline figures with `[n]`), then one bullet
   * per distinct measure or section, `- **lead**：key sentence [n]`; a topic across places puts a `**place**` line
   * before each place's bullets. A refusal is the title and one sentence (资料中未找到…).
   */
  summary: string;
  grounded: boolean;
  citations: Citation[];
  mode: 'extractive' | 'llm';
  note?: string;
}

/** A measure (举措) extracted from a work report. */
export interface Measure {
  /** Stable id, `<source>#m<k>`, e.g. `001_02e902364aa12d71.txt#m3` (before index version 9 without the extension). */
  id: string;
  title: string;
  text: string;
  /** Figures as written, e.g. ["467名", "1100万元", "90%"]. */
  figures: string[];
  /** Place names mentioned, most specific first (e.g. 天峻县, 海西州). */
  places: string[];
  /** Domain labels (党员教育, 乡村振兴, 基层治理, 人才, 考核减负, 新业态, 组织体系, 主题教育…). */
  domains: string[];
  source: string;
  docTitle: string;
  section: string;
}

/** Filter for `Assistant.measures`. All fields optional; a field matches by inclusion. */
export interface MeasureFilter {
  place?: string;
  domain?: string;
  source?: string;
  /** Free-text query: keeps measures whose title or text contains every word. */
  query?: string;
}

/** Options for `Assistant.ask`. */
export interface AskOptions {
  /** Earlier turns of the same chat thread (oldest first), for follow-up questions. */
  history?: Turn[];
  /**
   * Called while an LLM answer is generated, with its text so far: unchecked (not yet through the
   * grounding check), for showing progress only. The returned `Answer` is what may be shown as final.
   */
  onPartial?: (textSoFar: string) => void;
}

/** Options for `Assistant.summarize`. */
export interface SummaryOptions extends AskOptions {
  /** Upper bound of the draft's length in characters (default 1200, at most 1500, at least 300). */
  maxChars?: number;
}

/**
 * The product's knowledge core as the CLI and the bot see it. Implemented in `src/assistant.ts`
 * (`openAssistant`). Methods never throw for "no answer": they return `grounded: false`.
 * They throw only on programming errors or a corrupt index.
 */
export interface Assistant {
  ask(question: string, options?: AskOptions): Promise<Answer>;
  /** Drafts a summary of a topic, a document title or a file; `history` resolves “这篇报道”. */
  summarize(topic: string, options?: SummaryOptions): Promise<Summary>;
  measures(filter?: MeasureFilter): Measure[];
}

/**
 * Role of a section in a document's structure. `document` is the root; `chapter`/`section`/`article` come
 * from 第X章/第X节/第X条 of a 条例 or 办法; `outline` from 一、（一）1.（1） outlines of a 方案 or 通知; `headline`
 * from a newspaper headline or a Markdown/HTML/docx heading; `lead` from a lead phrase opening a paragraph
 * (newspaper reports: “把握好引领与协同的关系。”); `annex` from 附件.
 */
export type SectionRole = 'document' | 'chapter' | 'section' | 'article' | 'outline' | 'headline' | 'lead' | 'annex';

/** File format a document was read from (chooses the reader). */
export type DocFormat = 'newspaper' | 'official' | 'markdown' | 'docx' | 'pdf' | 'html';

/** One section of a document's tree, flattened (reading order) into `DocumentInfo.sections`. */
export interface SectionInfo {
  /** `<source>#s<k>`, stable while the document does not change; the root is `<source>#s0`. */
  id: string;
  /** Id of the enclosing section (undefined for the root). */
  parentId?: string;
  /** Heading as printed without its number: “总则”, “把握好引领与协同的关系”. The root's heading is the title. */
  heading: string;
  /** Number as printed, when the heading has one: “第一章”, “第十八条”, “一”, “（一）”, “1.”, “附件1”. */
  number?: string;
  role: SectionRole;
  /**
   * Heading level as printed on a newspaper page (Markdown `#` count, 2 for an implicit headline); the root carries
   * its title's level when the title is printed as a heading. Undefined for other formats and in indexes built
   * before it was recorded.
   */
  level?: number;
  /** Headings from the top, document title excluded, each as printed with its number (“第一章 总则”). */
  path: string[];
  /**
   * Set on a top-level section of a newspaper page that is another article printed on the page (not a part of the
   * lead article the page's title names): 003's 《党建赋能 夯实乡村振兴之基》 on the 西宁 page.
   */
  pageArticle?: PageArticleInfo;
  /** Offsets into the document's text (see `DocumentInfo.textLength`). */
  start: number;
  end: number;
}

/**
 * What a newspaper page prints around one of its articles, as read by the newspaper reader: the byline lines
 * (“本报记者 郑思哲 通讯员 李京蓉”, an author “黄城”, or a place tag “祁连” printed before the headline), the column
 * label (栏目 “党建新论”, “先锋力量”) or a banner printed above the headline, and the article's place as resolved at
 * indexing (the place tag when it names a place of data/lexicon.yaml, else the place its passages name most;
 * undefined when they name none: a commentary).
 */
export interface PageArticleInfo {
  bylines: string[];
  column?: string;
  place?: string;
}

/** A document as indexed: its metadata and its section tree, for title lookup, enumeration and widening. */
export interface DocumentInfo {
  /** File name inside the corpus folder. */
  source: string;
  title: string;
  format: DocFormat;
  /** Issuing body (发文机关, 落款), when the document names one. */
  issuer?: string;
  /** Date of issue or publication, ISO `YYYY-MM-DD` (or `YYYY-MM`, `YYYY` when only that is known). */
  date?: string;
  /** Place the document is about (from its metadata or its most mentioned place). */
  place?: string;
  /** 发文字号 as printed under the 红头, e.g. `某组发〔2026〕12号`. */
  docNumber?: string;
  /** Length of the document's text that section and record offsets point into (the decoded file, or the text extracted from .docx/.pdf/.html). */
  textLength?: number;
  /** Every section in reading order; `sections[0]` is the root. */
  sections: SectionInfo[];
}

/** A table row as a record carries its table's caption and header cells (“表1 各乡镇发展党员情况 · 乡镇：湖东镇 · 发展党员数：42”). */
export interface TableRowInfo {
  caption?: string;
  header: string[];
  cells: string[];
}

/**
 * One retrievable record: a chunk of a document (prose, one article 第X条, one table row, or a list with its
 * lead sentence), or a measure extracted from it. A chunk never crosses a section.
 */
export interface IndexRecord {
  id: string;
  type: 'chunk' | 'measure';
  /** Structural unit of the record (measures: `text`). */
  unit?: 'text' | 'article' | 'table-row' | 'list';
  source: string;
  /** Title of the document. */
  title: string;
  /** `sectionPath` joined by " > " ("" when none). */
  section: string;
  /** Heading path from the top, document title excluded, numbers kept (“第三章 党员管理 > 第十八条”). */
  sectionPath?: string[];
  /** Innermost section holding the record (`SectionInfo.id`); its parent gives the section to widen to. */
  sectionId?: string;
  text: string;
  /** For measures: the measure title (lead phrase or action clause). */
  measureTitle?: string;
  /** Offsets in the document's text (chunks only). */
  start?: number;
  end?: number;
  /** Places mentioned, with all their ancestors (for the place filter). */
  places: string[];
  domains: string[];
  figures: string[];
  /**
   * Headline of the article the record belongs to when it is another article printed on a newspaper page
   * (`SectionInfo.pageArticle`), not the lead article the page's title names.
   */
  pageArticle?: string;
  /** Article number for `unit: 'article'`, normalised to Chinese numerals: “第十八条”. */
  article?: string;
  /** For `unit: 'table-row'`. */
  table?: TableRowInfo;
  /** For `unit: 'list'`: the items without their markers. */
  items?: string[];
}
