import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'chokidar';
import { log } from '../log.js';
import { formatProblem, loadChecklists, type Checklist, type LoadProblem } from './checklist.js';

/** A checklist file that could not be (re)loaded: its problems, and whether an earlier version of it is still in force. */
export interface BrokenFile {
  file: string;
  problems: LoadProblem[];
  /** True when the previous valid version of this file keeps running. */
  kept: boolean;
}

/** Options of {@link ChecklistSource}. */
export interface ChecklistSourceOptions {
  /** The checklist directory (templates in `<dir>/templates/`). */
  dir: string;
  /** Called after a reload that changed the checklists in force (by content). */
  onChange?: (checklists: Checklist[]) => void;
  /** Called once for each new set of problems of a file (a file saved again with the same mistakes is not reported twice). */
  onBroken?: (broken: BrokenFile) => void;
  /** Quiet time after the last file event before a reload, ms (default 300). */
  debounceMs?: number;
}

/**
 * The checklists in force, read from a directory and reloaded when its files change (chokidar).
 * A file that fails to load after an edit keeps its previous valid version in force (`kept`), and
 * its problems are reported once through `onBroken`; a file that never loaded is left out. A deleted
 * file's checklist is dropped. Templates count as part of every checklist that uses them.
 */
export class ChecklistSource {
  private byFile = new Map<string, Checklist>();
  private readonly reported = new Map<string, string>();
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private readonly opts: ChecklistSourceOptions;

  constructor(opts: ChecklistSourceOptions) {
    this.opts = opts;
  }

  /** The checklists in force, in file-name order. */
  get checklists(): Checklist[] {
    return [...this.byFile.values()];
  }

  /**
   * Reads the directory now (synchronously) and applies the rule above. Returns the files that
   * failed in this pass. Throws only when the directory cannot be read.
   */
  reload(): BrokenFile[] {
    const r = loadChecklists(this.opts.dir);
    const next = new Map<string, Checklist>();
    const broken: BrokenFile[] = [];
    for (const f of r.files) {
      if (f.checklist) {
        next.set(f.file, f.checklist);
        if (this.reported.delete(f.file)) log.info({ file: f.file }, 'reminders: checklist file fixed, reloaded');
        continue;
      }
      const previous = this.byFile.get(f.file);
      if (previous) next.set(f.file, previous);
      broken.push({ file: f.file, problems: f.problems, kept: Boolean(previous) });
    }
    const changed = JSON.stringify([...next]) !== JSON.stringify([...this.byFile]);
    this.byFile = next;
    for (const b of broken) {
      const text = b.problems.map(formatProblem).join('\n');
      const digest = createHash('sha256').update(`${b.kept}\n${text}`).digest('hex');
      if (this.reported.get(b.file) === digest) continue;
      this.reported.set(b.file, digest);
      log.error({ file: b.file, kept: b.kept, problems: b.problems }, `reminders: checklist file not loaded${b.kept ? ' (previous version kept)' : ''}: ${text}`);
      this.opts.onBroken?.(b);
    }
    if (changed) this.opts.onChange?.(this.checklists);
    return broken;
  }

  /** Starts watching the directory and its templates; each burst of changes is reloaded once. Resolves when the watcher is ready. */
  watch(): Promise<void> {
    if (this.watcher) return Promise.resolve();
    this.watcher = watch(this.opts.dir, {
      ignoreInitial: true,
      depth: 1,
      ignored: (path, stats) => Boolean(stats?.isFile() && !/\.ya?ml$/.test(path)),
      awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 50 },
    });
    const schedule = () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        try {
          this.reload();
        } catch (err) {
          log.error({ err, dir: this.opts.dir }, 'reminders: checklist directory could not be read; keeping the checklists in force');
        }
      }, this.opts.debounceMs ?? 300);
    };
    this.watcher.on('add', schedule).on('change', schedule).on('unlink', schedule);
    this.watcher.on('error', (err) => log.error({ err }, 'reminders: watching the checklist directory failed'));
    const w = this.watcher;
    return new Promise<void>((resolve) => w.once('ready', () => resolve()));
  }

  /** Stops watching. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    await this.watcher?.close();
    this.watcher = undefined;
  }
}
