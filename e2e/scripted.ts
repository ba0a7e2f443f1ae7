import {
  startScriptedProvider,
  type ScriptedProvider,
} from '../main/agent/testing/scripted-provider';
import { test } from './fixtures';

/**
 * The scripted provider of a spec: started before its tests, closed after them. The object stands
 * for it (set its script, read its URL and requests) from the first test on.
 */
export function useScriptedProvider(
  options?: Parameters<typeof startScriptedProvider>[1],
): ScriptedProvider {
  let started: ScriptedProvider | null = null;
  test.beforeAll(async () => {
    started = await startScriptedProvider({ responses: [] }, options);
  });
  test.afterAll(async () => {
    await started?.close();
    started = null;
  });
  return new Proxy({} as ScriptedProvider, {
    get(_target, key) {
      if (!started) throw new Error('the scripted provider is started before the tests run');
      const value: unknown = Reflect.get(started, key);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(started)
        : value;
    },
  });
}
