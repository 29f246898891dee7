import { answerQuery, readQuestion } from './answer/ask.js';
import { retrieve } from './answer/retrieve.js';
import { ChatModel } from './answer/llm.js';
import { summarize } from './answer/summarize.js';
import type { Answer, AskOptions, Assistant, Measure, MeasureFilter, Summary, SummaryOptions } from './types.js';
import { loadCoreConfig, type CoreConfig } from './config.js';
import { Lexicon } from './ingest/lexicon.js';
import { Glossary } from './retrieval/glossary.js';
import { KnowledgeIndex, type IngestReport } from './retrieval/knowledge-index.js';
import { HybridRetriever, type SearchHit } from './retrieval/retriever.js';

/** The knowledge core wired together; implements the `Assistant` contract used by the CLI and the bot. */
export class KnowledgeAssistant implements Assistant {
  /** Replaced together with `index` by {@link KnowledgeAssistant.reloadIndex}. */
  retriever: HybridRetriever;
  readonly llm?: ChatModel;

  constructor(
    readonly config: CoreConfig,
    public index: KnowledgeIndex,
    readonly glossary: Glossary,
    public lexicon: Lexicon,
  ) {
    this.retriever = new HybridRetriever(index, glossary);
    this.llm = config.llm ? new ChatModel(config.llm) : undefined;
  }

  /** Questions running per index: an index replaced by `reloadIndex` is closed when its last one ends. */
  private readonly inFlight = new Map<KnowledgeIndex, number>();
  private readonly retired = new Set<KnowledgeIndex>();

  /**
   * Re-opens the index after the corpus folder changed (rebuilt when its fingerprint differs, under the
   * build lock; vectors of unchanged texts come from the cache) and answers from it from the next
   * question on. Questions already running finish on the previous index, whose database is closed when the
   * last of them ends (at once when none runs).
   * @returns the ingest report when a rebuild ran.
   * @throws Error when the embedding endpoint fails while rebuilding (the previous index stays in use).
   */
  async reloadIndex(): Promise<IngestReport | undefined> {
    const { index, report } = await KnowledgeIndex.open(this.config);
    const previous = this.index;
    this.lexicon = Lexicon.load(this.config.dataDir).withPlaces(index.documents().map((d) => d.place));
    this.retriever = new HybridRetriever(index, this.glossary);
    this.index = index;
    if (previous !== index) {
      if (this.inFlight.has(previous)) this.retired.add(previous);
      else previous.close();
    }
    return report;
  }

  /** Runs `work` on a snapshot of the index, retriever and lexicon, so that a reload meanwhile does not mix two indexes. */
  private async using<T>(work: (ctx: KnowledgeAssistant) => Promise<T>): Promise<T> {
    const index = this.index;
    const ctx = Object.assign(Object.create(this) as KnowledgeAssistant, { index, retriever: this.retriever, lexicon: this.lexicon });
    this.inFlight.set(index, (this.inFlight.get(index) ?? 0) + 1);
    try {
      return await work(ctx);
    } finally {
      const left = this.inFlight.get(index)! - 1;
      if (left > 0) this.inFlight.set(index, left);
      else {
        this.inFlight.delete(index);
        if (this.retired.delete(index)) index.close();
      }
    }
  }

  /** Answers a question; a request to summarise (“请总结…”, “写一份简报”) is drafted as a summary instead. */
  ask(question: string, options?: AskOptions): Promise<Answer> {
    return this.using(async (ctx) => {
      const query = readQuestion(question, ctx, options);
      if (query.intent === 'summary') {
        const s = await summarize(question, ctx, options);
        return { question, answer: s.summary, grounded: s.grounded, citations: s.citations, mode: s.mode, note: s.note };
      }
      return answerQuery(query, ctx, options);
    });
  }

  /**
   * The answer pipeline's retrieval for a question (understand → retrieve, with the figure boost and the place
   * and title restrictions): what `ask` answers from. Used by `search --json` and the evaluation.
   */
  retrieve(question: string, k = 5): Promise<SearchHit[]> {
    return this.using(async (ctx) => (await retrieve(readQuestion(question, ctx), ctx.index, ctx.retriever, k)).hits);
  }

  /** Drafts a summary of a topic, a document title or file, or “这篇报道” resolved from `options.history` (see `summarize`). */
  summarize(topic: string, options?: SummaryOptions): Promise<Summary> {
    return this.using((ctx) => summarize(topic, ctx, options));
  }

  /** Measures matching the filter; a place matches measures in it or below it (海西州 ⊃ 格尔木市). */
  measures(filter: MeasureFilter = {}): Measure[] {
    const place = filter.place ? (this.lexicon.canonicalPlace(filter.place) ?? filter.place) : undefined;
    const words = filter.query?.split(/\s+/).filter(Boolean) ?? [];
    return this.index
      .measures()
      .filter(
        (m) =>
          (!place || m.places.includes(place)) &&
          (!filter.domain || m.domains.includes(filter.domain)) &&
          (!filter.source || m.source.startsWith(filter.source)) &&
          words.every((w) => m.title.includes(w) || m.text.includes(w)),
      );
  }
}

/** Options of `openAssistant`; paths default to the configuration (`DJ_DATA_DIR`, `DJ_INDEX_DIR`). */
export interface OpenOptions {
  dataDir?: string;
  indexDir?: string;
  /** Force a rebuild of the index even when it is up to date. */
  rebuild?: boolean;
  /** Configuration to use instead of reading `process.env`. */
  config?: CoreConfig;
}

/**
 * Opens the assistant: validates the configuration, loads the index (building it on first use or when
 * the corpus or the embedding settings changed), the glossary and the lexicon.
 * @throws ConfigError on a bad environment variable; Error when data files are invalid or the
 * embedding endpoint fails while building.
 */
export async function openAssistant(options: OpenOptions = {}): Promise<KnowledgeAssistant & { ingestReport?: IngestReport }> {
  const config = options.config ?? loadCoreConfig(process.env, { dataDir: options.dataDir, indexDir: options.indexDir });
  const { index, report } = await KnowledgeIndex.open(config, { rebuild: options.rebuild });
  // places the documents declare (a county the lexicon does not list) filter questions and topics like listed ones
  const lexicon = Lexicon.load(config.dataDir).withPlaces(index.documents().map((d) => d.place));
  const assistant = new KnowledgeAssistant(config, index, Glossary.load(config.dataDir), lexicon) as KnowledgeAssistant & {
    ingestReport?: IngestReport;
  };
  assistant.ingestReport = report;
  return assistant;
}
