import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A structured logger: one JSON line per entry in the log file, a readable line on stderr. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Register a function every line passes through before it is written (secret redaction). */
  addRedactor(redact: (text: string) => string): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  /** JSON-lines file; created with its folder. Omit to log to stderr only. */
  readonly file?: string;
  readonly level?: LogLevel;
  /** Also print to stderr (the CLI and the headless host do; the Electron app does in dev). */
  readonly echo?: boolean;
}

function serialiseError(value: unknown): unknown {
  if (value instanceof Error)
    return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

/** Create a logger. Writes are synchronous so a crash does not lose the line that explains it. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = ORDER[options.level ?? 'info'];
  const redactors: Array<(text: string) => string> = [];
  if (options.file) mkdirSync(dirname(options.file), { recursive: true });

  const redact = (text: string): string => redactors.reduce((acc, fn) => fn(acc), text);

  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (ORDER[level] < threshold) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, message };
    for (const [key, value] of Object.entries(fields ?? {})) entry[key] = serialiseError(value);
    const line = redact(JSON.stringify(entry));
    if (options.file) {
      try {
        appendFileSync(options.file, `${line}\n`, { mode: 0o600 });
      } catch {
        // A full disk must not take the app down with it; stderr still gets the line.
      }
    }
    if (options.echo) {
      const extra =
        fields && Object.keys(fields).length > 0
          ? ` ${JSON.stringify(fields, (_k, v: unknown) => serialiseError(v))}`
          : '';
      process.stderr.write(`${redact(`[${level}] ${message}${extra}`)}\n`);
    }
  };

  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    addRedactor: (fn) => {
      redactors.push(fn);
    },
  };
}
