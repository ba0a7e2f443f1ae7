import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { ConfigIssue } from '../../shared/domain/policy';
import { writeFileAtomic } from '../fs/atomic-write';
import { defaultConfig, loadConfig, type ConfigFileRef } from './config-loader';
import type { VtcodeConfig } from './effective';
import { parseToml, setTomlValue } from './toml-text';

/** What subscribers hear: the config now in force, and the problems of the latest read. */
export interface ConfigChange {
  readonly config: VtcodeConfig;
  /** False when the latest read failed and the previous valid config stayed in force. */
  readonly applied: boolean;
  readonly issues: readonly ConfigIssue[];
}

/** The live policy config: reloads on external edits, keeps the last valid config on errors. */
export interface ConfigStore {
  current(): VtcodeConfig;
  /** Problems found by the latest read (empty when it was clean). */
  issues(): readonly ConfigIssue[];
  reload(): Promise<ConfigChange>;
  subscribe(listener: (change: ConfigChange) => void): () => void;
  /** Start watching the files' folders for edits (debounced). */
  watch(): void;
  /** Set `[section] key` in one of the files, atomically, keeping everything else. */
  setValue(file: string, section: string, key: string, value: unknown): Promise<ConfigChange>;
  /** The files this store reads, lowest precedence first. */
  readonly files: readonly ConfigFileRef[];
  /**
   * Rewrite one of the files from its current text (read and written in the store's queue, so no
   * save races it); `edit` gets '' for a missing file. The file must parse first.
   */
  editFile(file: string, edit: (text: string) => string): Promise<ConfigChange>;
  close(): void;
}

/** Create a store over the given files (see configFiles) and load them once. */
export async function createConfigStore(
  files: readonly ConfigFileRef[],
  options: { readonly debounceMs?: number } = {},
): Promise<ConfigStore> {
  let config = defaultConfig();
  let lastIssues: readonly ConfigIssue[] = [];
  const listeners = new Set<(change: ConfigChange) => void>();
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const reload = async (): Promise<ConfigChange> => {
    const result = await loadConfig(files);
    lastIssues = result.config.issues;
    if (result.ok) config = result.config;
    const change: ConfigChange = { config, applied: result.ok, issues: lastIssues };
    for (const listener of listeners) {
      try {
        listener(change);
      } catch {
        // A failing subscriber must not stop the others or the watcher.
      }
    }
    return change;
  };
  // Serialise reloads and saves so an edit never races a read.
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };

  const editFile = (file: string, edit: (text: string) => string): Promise<ConfigChange> =>
    serial(async () => {
      let text = '';
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOENT') throw error;
      }
      if (text.trim() !== '') {
        const parsed = parseToml(text, file);
        if (!parsed.ok)
          throw new Error(
            `${file}: fix the file before saving: ${parsed.issue.message} (line ${parsed.issue.line ?? '?'})`,
          );
      }
      await writeFileAtomic(file, edit(text));
      return reload();
    });

  await serial(reload);

  return {
    current: () => config,
    issues: () => lastIssues,
    reload: () => serial(reload),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    watch() {
      if (watchers.length > 0) return;
      const names = new Map<string, Set<string>>();
      for (const f of files) {
        const set = names.get(dirname(f.path)) ?? new Set<string>();
        set.add(basename(f.path));
        names.set(dirname(f.path), set);
      }
      for (const [dir, wanted] of names) {
        try {
          const w = watch(dir, { persistent: false }, (_event, name) => {
            // Atomic saves rename a temp file over the target: any event in the folder may matter.
            const n = name?.toString();
            if (n && !wanted.has(n) && ![...wanted].some((w) => n.startsWith(`.${w}.`))) return;
            clearTimeout(timer);
            timer = setTimeout(() => void serial(reload), options.debounceMs ?? 150);
          });
          w.on('error', () => w.close());
          watchers.push(w);
        } catch {
          // The folder does not exist (no user config yet): nothing to watch there.
        }
      }
    },
    files,
    setValue(file, section, key, value) {
      return editFile(file, (text) => setTomlValue(text, section, key, value));
    },
    editFile,
    close() {
      clearTimeout(timer);
      for (const w of watchers) w.close();
      watchers.length = 0;
      listeners.clear();
    },
  };
}
