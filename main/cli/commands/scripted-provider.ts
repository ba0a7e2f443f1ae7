import { parseArgs } from 'node:util';
import { readFixture } from '../../agent/testing/fixture';
import { startScriptedProvider } from '../../agent/testing/scripted-provider';
import { UsageError, type CliCommand } from '../command';

/** TEST TOOL: serve a scripted OpenAI/Anthropic-compatible provider for e2e tests and benches. */
export const scriptedProviderCommand: CliCommand = {
  name: 'scripted-provider',
  summary:
    '[test tool] Serve scripted LLM responses on 127.0.0.1 (OpenAI and Anthropic wire formats)',
  usage: `vtcode-desktop scripted-provider --fixture FILE [--port N]

TEST TOOL ONLY: not a model. Answers POST …/chat/completions and …/messages with the responses
in FILE (JSON: { "responses": [...] }), in order. Prints {"url": "...", "port": N} on stdout, then
serves until interrupted.`,
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { fixture: { type: 'string' }, port: { type: 'string', default: '0' } },
      strict: true,
    });
    if (!values.fixture) throw new UsageError('--fixture FILE is required');
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError('--port must be 0-65535');
    const provider = await startScriptedProvider(await readFixture(values.fixture), { port });
    io.stdout.write(`${JSON.stringify({ url: provider.url, port: provider.port })}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await provider.close();
    return 0;
  },
};
