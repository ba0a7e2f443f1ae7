import { createOutputRedactor, type OutputRedactor } from './output-redact';

/** What a secret is replaced with wherever text leaves main or lands on disk. */
export const REDACTED = '[REDACTED]';

/*
 * Shapes of common provider keys and credentials. Each is anchored so it does not start in the
 * middle of a word ("task-..." is not "sk-..."), and is generous: redacting a harmless string that
 * looks like a key is cheap, printing a real key is not. Order matters: specific before generic.
 */
const TOKEN_BOUNDARY = '(?<![A-Za-z0-9_-])';
const KEY_SHAPES: readonly RegExp[] = [
  /sk-ant-[A-Za-z0-9_-]{16,}/g, // Anthropic
  /sk-or-v\d-[A-Za-z0-9_-]{16,}/g, // OpenRouter
  /sk-[A-Za-z0-9_-]{16,}/g, // OpenAI, DeepSeek, Moonshot and most OpenAI-compatible services
  /AIza[0-9A-Za-z_-]{30,}/g, // Google / Gemini
  /xai-[A-Za-z0-9_-]{16,}/g, // xAI
  /gsk_[A-Za-z0-9]{20,}/g, // Groq
  /hf_[A-Za-z0-9]{24,}/g, // Hugging Face
  /gh[pousr]_[A-Za-z0-9]{30,}/g, // GitHub tokens
  /github_pat_[A-Za-z0-9_]{30,}/g, // GitHub fine-grained tokens
  /glpat-[A-Za-z0-9_-]{20,}/g, // GitLab
  /xox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /(?:AKIA|ASIA)[0-9A-Z]{16}/g, // AWS access key ids
].map((shape) => new RegExp(`${TOKEN_BOUNDARY}${shape.source}`, 'g'));

// `Authorization: Bearer <token>`, `x-api-key: <key>`, `OPENAI_API_KEY=<key>`, `"apiKey":"<key>"`.
const LABELLED_SECRETS: readonly RegExp[] = [
  /(\bBearer\s+)[A-Za-z0-9._~+/=-]{12,}/gi,
  /((?<![A-Za-z0-9])(?:x-api-key|x-goog-api-key|api[_-]?key|apikey|access[_-]?token|secret[_-]?key)\\?["']?\s*[:=]\s*\\?["']?)[^\s"'\\,;&]{8,}/gi,
];

/** Replace every string shaped like a provider key or labelled as a secret with `[REDACTED]`. */
export function redactKeyShapes(text: string): string {
  let out = text;
  for (const shape of KEY_SHAPES) out = out.replace(shape, REDACTED);
  for (const labelled of LABELLED_SECRETS) {
    out = out.replace(labelled, (match: string, label: string) =>
      match.endsWith(REDACTED) ? match : `${label}${REDACTED}`,
    );
  }
  return out;
}

/** Secrets shorter than this are not matched literally: a 3-letter "key" would shred every log. */
export const MIN_REMEMBERED_SECRET = 8;

/** Redacts every key the app has seen (stored, set, read from the environment) plus key shapes. */
export interface SecretRedactor {
  /** Add a secret to redact from now on (also its JSON- and URL-escaped forms). */
  readonly remember: (secret: string) => void;
  /** Redact known secrets, then anything shaped like a key. Safe to pass around unbound. */
  readonly redact: (text: string) => string;
  /** A redactor for one byte stream (a command's output): known secrets only, split-safe. */
  readonly outputRedactor: () => OutputRedactor;
}

/** Create a redactor. Known secrets are kept for the whole process, even after a key is deleted. */
export function createSecretRedactor(): SecretRedactor {
  const known = new Set<string>();
  let ordered: string[] = [];

  const remember = (secret: string): void => {
    if (secret.length < MIN_REMEMBERED_SECRET) return;
    const forms = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)];
    let added = false;
    for (const form of forms) {
      if (!known.has(form)) {
        known.add(form);
        added = true;
      }
    }
    // Longest first, so a key that contains another known key is replaced whole.
    if (added) ordered = [...known].sort((a, b) => b.length - a.length);
  };

  const redact = (text: string): string => {
    let out = text;
    for (const secret of ordered) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return redactKeyShapes(out);
  };

  return { remember, redact, outputRedactor: () => createOutputRedactor(() => ordered, REDACTED) };
}

/** The function to hand to `Logger.addRedactor` so every log line passes through `redactor`. */
export function logRedactor(redactor: SecretRedactor): (text: string) => string {
  return (text) => redactor.redact(text);
}
