import cliProgress from 'cli-progress';

/** Progress of an ingest: documents read and written (`done` of `total`), then the BM25 postings and the vector index being written. */
export interface IngestProgress {
  phase: 'documents' | 'postings' | 'vectors';
  done: number;
  total: number;
}

/**
 * A progress reporter for the CLI's `ingest`: with `json`, one JSON line per step on stderr
 * (`{"progress":{"phase":"documents","done":50,"total":5000}}`, so stdout keeps the one report line); on a
 * terminal, a cli-progress bar on stderr; otherwise nothing. Call `stop()` when the build ends.
 */
export function progressReporter(json: boolean, stream: NodeJS.WriteStream = process.stderr): { onProgress: (p: IngestProgress) => void; stop: () => void } {
  if (json) return { onProgress: (p) => stream.write(`${JSON.stringify({ progress: p })}\n`), stop: () => {} };
  if (!stream.isTTY) return { onProgress: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({ stream, format: '{phase} [{bar}] {value}/{total} {eta_formatted}', hideCursor: true }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    onProgress: (p) => {
      if (p.phase !== 'documents') return bar.update(bar.getTotal(), { phase: p.phase === 'postings' ? '倒排索引' : '向量索引' });
      if (!started) {
        bar.start(p.total, 0, { phase: '文档' });
        started = true;
      }
      bar.update(p.done, { phase: '文档' });
    },
    stop: () => started && bar.stop(),
  };
}
