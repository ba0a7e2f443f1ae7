import {
  tokenEnvVarSchema,
  tokenHostsSchema,
  tokenNameSchema,
  tokenTestPathSchema,
} from '../../shared/domain/tokens';

/*
 * The Settings › Tokens "Add" form as typed, checked with the schemas main parses it with. Apart
 * from the slice so that the first screen does not load the schemas (issue 18).
 */

/** The Add form as typed; `value` goes to main and is never put in state. */
export interface TokenDraft {
  readonly name: string;
  readonly envVar: string;
  /** Hosts separated by spaces or commas. */
  readonly hosts: string;
  readonly testPath: string;
  readonly value: string;
}

/** Per field, why the draft cannot be sent; empty when it can. */
export type TokenDraftErrors = Partial<Record<keyof TokenDraft, string>>;

/** Check a draft with the schemas main uses; the token itself only for being there. */
export function checkTokenDraft(draft: TokenDraft): TokenDraftErrors {
  const errors: TokenDraftErrors = {};
  const first = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
    r.success ? undefined : (r.error?.issues[0]?.message ?? 'invalid');
  const name = first(tokenNameSchema.safeParse(draft.name.trim()));
  if (name) errors.name = name;
  const envVar = first(tokenEnvVarSchema.safeParse(draft.envVar.trim()));
  if (envVar) errors.envVar = envVar;
  const hosts = first(tokenHostsSchema.safeParse(splitHosts(draft.hosts)));
  if (hosts) errors.hosts = hosts;
  if (draft.testPath.trim() !== '') {
    const path = first(tokenTestPathSchema.safeParse(draft.testPath.trim()));
    if (path) errors.testPath = path;
  }
  if (draft.value.trim() === '') errors.value = 'Paste the token.';
  return errors;
}

/** `a.example.com, b.example.com c.example.com` -> three hosts. */
export function splitHosts(text: string): string[] {
  return text.split(/[\s,]+/).filter((h) => h !== '');
}
