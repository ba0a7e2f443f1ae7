import { describe, expect, it } from 'vitest';
import { DRAFT_TITLE, titleFromPrompt } from './session-title';

const redact = (text: string) => text.replace(/sk-[A-Za-z0-9-]{8,}/g, '[REDACTED]');

describe('titleFromPrompt', () => {
  it.each([
    ['Fix the build\nand more', 'Fix the build'],
    ['   \n\n  Add tests for   the parser  \n', 'Add tests for the parser'],
    ['## Refactor the store', 'Refactor the store'],
    ['> quoted ask', 'quoted ask'],
    ['- [ ] list item task', '[ ] list item task'],
    ['```ts\nconst x = 1;\n```', 'const x = 1;'],
    ['a'.repeat(70), 'a'.repeat(60)],
    [`${'word '.repeat(15)}end`, 'word word word word word word word word word word word word'],
    [
      'Rename the thing, then update every caller of it across the whole project tree',
      'Rename the thing, then update every caller of it across the',
    ],
    ['Use key sk-live-0123456789abcdef to call the API', 'Use key [REDACTED] to call the API'],
    ['   \n  ', DRAFT_TITLE],
    ['---\n...', DRAFT_TITLE],
  ])('%j -> %j', (prompt, title) => expect(titleFromPrompt(prompt, redact)).toBe(title));

  it('redacts before cutting, so half a key never shows', () => {
    const prompt = `${'x '.repeat(27)}sk-live-0123456789abcdefghij`;
    const title = titleFromPrompt(prompt, redact);
    expect(title).not.toMatch(/sk-live/);
    expect(title.length).toBeLessThanOrEqual(60);
  });

  it('never ends in a dangling comma or colon', () => {
    const title = titleFromPrompt(
      `Please do these things in order: ${'step, '.repeat(10)}`,
      redact,
    );
    expect(title).not.toMatch(/[,:;\s]$/);
  });
});
