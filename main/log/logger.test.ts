import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

describe('createLogger', () => {
  it('writes JSON lines at or above the level, redacted', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'log-')), 'logs', 'main.log');
    const log = createLogger({ file, level: 'info' });
    log.addRedactor((t) => t.replaceAll('sk-secret', '[REDACTED]'));
    log.debug('hidden');
    log.info('opened', { path: '/w' });
    log.error('failed', { error: new Error('key sk-secret rejected') });
    const lines = (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.message)).toEqual(['opened', 'failed']);
    expect(lines[0]).toMatchObject({ level: 'info', path: '/w' });
    expect(JSON.stringify(lines[1])).toContain('[REDACTED]');
    expect(JSON.stringify(lines[1])).not.toContain('sk-secret');
  });
});
