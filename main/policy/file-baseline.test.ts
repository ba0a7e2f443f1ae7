import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CommandPart, Decision } from '../../shared/domain/policy';
import { FileBaseline, type SessionChange } from './file-baseline';
import { tempDir } from './test-helpers';

let ws: string;

beforeEach(() => {
  ws = tempDir('baseline-');
  writeFileSync(join(ws, 'package.json'), '{"scripts":{"test":"vitest"}}');
});

/** A command part as the policy reports it (words split on spaces). */
const part = (text: string, decision: Decision = 'allow'): CommandPart => ({
  command: text,
  argv: text.split(' '),
  text,
  decision,
  reason: '',
  rule: null,
});

describe('FileBaseline', () => {
  it('compares content: an edit counts, a touch or an undone edit does not', () => {
    const b = new FileBaseline(ws);
    const check = () => b.check([part('npm test')], b.root);
    expect(check()).toEqual({
      reason: null,
      watched: expect.arrayContaining([join(ws, 'package.json')]) as string[],
    });
    writeFileSync(join(ws, 'package.json'), '{"scripts":{"test":"rm -rf src"}}');
    expect(check().reason).toBe(
      'package.json changed since it was last approved (scripts run as commands)',
    );
    writeFileSync(join(ws, 'package.json'), '{"scripts":{"test":"vitest"}}');
    utimesSync(join(ws, 'package.json'), new Date(), new Date(Date.now() + 60_000));
    expect(check().reason).toBeNull();
  });

  it('moves the baseline when a run is approved', () => {
    const b = new FileBaseline(ws);
    writeFileSync(join(ws, 'package.json'), '{}');
    const first = b.check([part('npm test')], b.root);
    expect(first.reason).not.toBeNull();
    b.approve(first.watched);
    expect(b.check([part('npm test')], b.root).reason).toBeNull();
  });

  it('a file created after the start counts as changed', () => {
    const b = new FileBaseline(ws);
    expect(b.check([part('make')], b.root).reason).toBeNull();
    writeFileSync(join(ws, 'Makefile'), 'all:\n\trm -rf src\n');
    expect(b.check([part('make')], b.root).reason).toBe(
      'Makefile changed since it was last approved (recipes run as commands)',
    );
    writeFileSync(join(ws, 'evil.mk'), 'x:\n');
    expect(b.check([part('make')], b.root).reason).toMatch(/and 1 more file changed since they/);
  });

  it('a file the session wrote deeper down is compared with what it held before', () => {
    mkdirSync(join(ws, 'packages', 'a'), { recursive: true });
    const nested = join(ws, 'packages', 'a', 'package.json');
    writeFileSync(nested, '{"scripts":{"test":"vitest"}}');
    const changes: SessionChange[] = [];
    const b = new FileBaseline(ws, () => changes, Date.now() + 60_000);
    expect(b.check([part('npm test')], b.root).reason).toBeNull();
    changes.push({ path: nested, before: '{"scripts":{"test":"vitest"}}' });
    writeFileSync(nested, '{"scripts":{"test":"rm -rf src"}}');
    expect(b.check([part('npm test')], b.root).reason).toBe(
      'packages/a/package.json changed since it was last approved (scripts run as commands)',
    );
  });

  it('in another folder: old files are the baseline, files newer than the session are not', () => {
    mkdirSync(join(ws, 'old'));
    mkdirSync(join(ws, 'new'));
    writeFileSync(join(ws, 'old', 'package.json'), '{}');
    const b = new FileBaseline(ws, () => [], Date.now() + 60_000);
    expect(b.check([part('npm test')], join(ws, 'old')).reason).toBeNull();
    writeFileSync(join(ws, 'old', 'package.json'), '{"scripts":{"test":"rm -rf src"}}');
    expect(b.check([part('npm test')], join(ws, 'old')).reason).toMatch(
      /^old\/package.json changed/,
    );

    const later = new FileBaseline(ws, () => [], Date.now() - 60_000);
    writeFileSync(join(ws, 'new', 'package.json'), '{}');
    expect(later.check([part('npm test')], join(ws, 'new')).reason).toMatch(/^new\/package.json/);
  });

  it.each([
    [['cd sub', 'npm test'], 'runs after a change of directory'],
    [['env -C sub npm test'], 'runs after a change of directory'],
    [['npm --prefix sub test'], 'reads its files from a place the policy does not check'],
    [['go generate ./...'], 'go generate runs the commands'],
  ])('%j cannot be checked, so it is asked about', (texts, reason) => {
    const b = new FileBaseline(ws);
    const parts = texts.map((t) =>
      t.startsWith('env') ? { ...part(t), argv: ['npm', 'test'], command: 'npm test' } : part(t),
    );
    expect(b.check(parts, b.root).reason).toContain(reason);
  });

  it('an unresolved directory cannot be checked either', () => {
    expect(new FileBaseline(ws).check([part('npm test')], null).reason).toMatch(/directory/);
  });

  it('skips denied parts and programs that interpret nothing', () => {
    const b = new FileBaseline(ws);
    writeFileSync(join(ws, 'package.json'), '{}');
    expect(b.check([part('npm test', 'deny'), part('ls -la')], b.root)).toEqual({
      reason: null,
      watched: [],
    });
  });

  it('survives a workspace that is not there and paths under a file', () => {
    const b = new FileBaseline(join(ws, 'missing'));
    expect(b.check([part('git status')], b.root).reason).toBeNull();
    writeFileSync(join(ws, '.git'), 'gitdir: /elsewhere\n');
    const w = new FileBaseline(ws);
    expect(w.check([part('git status')], w.root).reason).toBeNull();
  });
});
