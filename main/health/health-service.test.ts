import { describe, expect, it } from 'vitest';
import { HealthService, keychainProbe, type HealthProbe } from './health-service';

const ok: HealthProbe = () =>
  Promise.resolve({ id: 'a', label: 'A', status: 'ok', detail: 'fine', fix: null });

describe('HealthService', () => {
  it('reports the worst status of its probes', async () => {
    const report = await new HealthService([
      ok,
      keychainProbe(() =>
        Promise.resolve({
          available: false,
          message: 'no Secret Service',
          fix: 'apt-get install gnome-keyring',
        }),
      ),
    ]).check();
    expect(report.status).toBe('warn');
    expect(report.checks[1]).toMatchObject({
      id: 'keychain',
      detail: 'no Secret Service',
      fix: 'apt-get install gnome-keyring',
    });
  });

  it('turns a probe that throws into an error line instead of failing the report', async () => {
    const report = await new HealthService([
      ok,
      () => Promise.reject(new Error('probe crashed')),
    ]).check();
    expect(report.status).toBe('error');
    expect(report.checks[1]).toMatchObject({ status: 'error', detail: 'probe crashed' });
  });
});
