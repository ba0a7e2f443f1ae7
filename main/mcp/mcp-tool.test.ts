import { describe, expect, it } from 'vitest';
import { ToolError } from '../agent/tools/tool-types';
import {
  checkArguments,
  MAX_RESULT_CHARS,
  mcpAgentTool,
  resultText,
  unavailableReason,
} from './mcp-tool';

const validation = { maxArgumentSize: 200, pathTraversalProtection: true };

describe('checkArguments', () => {
  it.each([
    [{ path: '../secret' }],
    [{ nested: { list: ['a', 'b/../../c'] } }],
    [{ p: '..\\windows' }],
    [{ p: '%2e%2e%2fetc' }],
    // Past one decoding, in a key, or in characters a server folds to dots.
    [{ p: '%252e%252e%252fetc' }],
    [{ '../secret': 'x' }],
    [{ nested: [{ 'a/../../b': 1 }] }],
    [{ p: '\uff0e\uff0e/etc' }],
    [{ big: 'x'.repeat(300) }],
  ])('refuses %j', (args) => {
    expect(() => checkArguments(args, validation)).toThrow(ToolError);
  });

  it('lets ordinary arguments through, and ".." when protection is off', () => {
    expect(() =>
      checkArguments({ text: 'a..b', n: 1, path: 'src/x.ts' }, validation),
    ).not.toThrow();
    expect(() =>
      checkArguments({ path: '../x' }, { ...validation, pathTraversalProtection: false }),
    ).not.toThrow();
  });
});

describe('MCP results as text', () => {
  it('keeps text, names what it leaves out, falls back to structured content', () => {
    expect(
      resultText({
        content: [
          { type: 'text', text: 'a' },
          { type: 'image', data: 'AAAA', mimeType: 'image/png' },
          { type: 'resource_link', uri: 'file:///x', name: 'x' },
          { type: 'resource', resource: { uri: 'file:///y', text: 'inline' } },
          { type: 'resource', resource: { uri: 'file:///z', blob: 'AAAA' } },
        ],
      }),
    ).toBe(
      'a\n[image image/png, 4 base64 characters, not shown]\n[resource link: file:///x (x)]\ninline\n[resource file:///z: binary, not shown]',
    );
    expect(resultText({ content: [], structuredContent: { n: 1 } })).toContain('"n": 1');
  });

  it('cuts a long result and reports a server error as an error', async () => {
    const big = mcpAgentTool(
      's',
      { name: 'big', inputSchema: { type: 'object' } },
      () => validation,
      () =>
        Promise.resolve({
          content: [{ type: 'text', text: 'y'.repeat(MAX_RESULT_CHARS * 2) }],
        }),
    );
    const out = await big.execute({}, { signal: new AbortController().signal } as never);
    expect(out.text.length).toBeLessThan(MAX_RESULT_CHARS + 200);
    expect(out.text).toContain('characters omitted');
    const failing = mcpAgentTool(
      's',
      { name: 'f', inputSchema: { type: 'object' } },
      () => validation,
      () =>
        Promise.resolve({
          content: [{ type: 'text', text: 'nope' }],
          isError: true,
        }),
    );
    expect(await failing.execute({}, { signal: new AbortController().signal } as never)).toEqual({
      status: 'error',
      text: 'nope',
    });
  });

  it('names tools mcp__server__tool, and says when a name cannot be offered', () => {
    const t = mcpAgentTool(
      'srv',
      {
        name: 'do',
        description: 'Does.\nMore.',
        inputSchema: { type: 'object', properties: { a: { type: 'string' } } },
      },
      () => validation,
      () => Promise.resolve({ content: [] }),
    );
    expect(t.name).toBe('mcp__srv__do');
    expect(t.summary).toBe('Does. (MCP server srv)');
    expect(t.inputJsonSchema).toMatchObject({
      type: 'object',
      properties: { a: { type: 'string' } },
    });
    const schema = { type: 'object' as const };
    expect(unavailableReason('srv', { name: 'do', inputSchema: schema })).toBeNull();
    expect(unavailableReason('srv', { name: 'has.dot', inputSchema: schema })).toMatch(
      /not a name/,
    );
    expect(unavailableReason('srv', { name: 'x'.repeat(60), inputSchema: schema })).toMatch(
      /at most 64/,
    );
    const huge = { type: 'object' as const, description: 'x'.repeat(70_000) };
    expect(unavailableReason('srv', { name: 'do', inputSchema: huge })).toMatch(/larger than/);
  });
});
