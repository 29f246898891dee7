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
  /** Document title from its metadata (or its first heading). */
  title: string;
  /** Section path inside the document, headings joined by " > " ("" when none). */
  section: string;
  /** The quoted passage (the chunk or the sentences actually used). */
  text: string;
}

/** A turn of a conversation thread, oldest first, used to resolve follow-up questions. */
export interface Turn {
  question: string;
  answer: string;
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
  /** Markdown: a heading line, then one bullet per measure ending with `[n]`. */
  summary: string;
  grounded: boolean;
  citations: Citation[];
  mode: 'extractive' | 'llm';
  note?: string;
}

/** A measure (举措) extracted from a work report. */
export interface Measure {
  /** Stable id, `<source-stem>#m<k>`, e.g. `001_02e902364aa12d71#m3`. */
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
}

/**
 * The product's knowledge core as the CLI and the bot see it. Implemented in `src/assistant.ts`
 * (`openAssistant`). Methods never throw for "no answer": they return `grounded: false`.
 * They throw only on programming errors or a corrupt index.
 */
export interface Assistant {
  ask(question: string, options?: AskOptions): Promise<Answer>;
  summarize(topic: string): Promise<Summary>;
  measures(filter?: MeasureFilter): Measure[];
}
