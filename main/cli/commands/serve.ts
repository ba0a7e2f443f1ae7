import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createServices } from '../../core/services';
import { startHostServer } from '../../host/host-server';
import { createHandlers } from '../../ipc/handlers';
import { createRouter } from '../../ipc/router';
import { createLogger } from '../../log/logger';
import { resolveAppPaths } from '../../platform/paths';
import { findRendererDir } from '../renderer-dir';
import { UsageError, type CliCommand } from '../command';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Run the app in browser mode: the same services, served on 127.0.0.1',
  usage: `vtcode-desktop serve [--port N] [--host ADDR] [--allow-remote] [--json] [--renderer-dir DIR]

  --port N          port to listen on (default: a random free port)
  --host ADDR       address to bind (default 127.0.0.1; anything else needs --allow-remote)
  --allow-remote    allow a non-loopback address (the URL's token is then the only protection)
  --json            print one JSON line {"url","port","origin","token","pid"} instead of prose
  --renderer-dir    the built renderer to serve (default: out/renderer of this install)`,

  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'allow-remote': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'renderer-dir': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new UsageError(`--port must be a number from 0 to 65535, got ${values.port}`);
    }
    const rendererDir = values['renderer-dir']
      ? resolve(values['renderer-dir'])
      : findRendererDir();
    if (!rendererDir || !existsSync(join(rendererDir, 'index.html'))) {
      io.stderr.write(
        'The renderer is not built (no out/renderer/index.html). Run `npm run build` first, ' +
          'or start the app with `npm start`, which builds it.\n',
      );
      return 1;
    }

    const paths = resolveAppPaths(io.env);
    const logger = createLogger({ file: join(paths.logDir, 'host.log'), echo: !values.json });
    const services = createServices({
      paths,
      logger,
      host: { kind: 'browser', electronVersion: null },
    });
    const router = createRouter(createHandlers(services), logger);
    const server = await startHostServer({
      router,
      rendererDir,
      logger,
      host: values.host ?? '127.0.0.1',
      port,
      allowRemote: values['allow-remote'],
    });
    logger.info('browser-mode host listening', { origin: server.origin });

    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ url: server.url, port: server.port, origin: server.origin, token: server.token, pid: process.pid })}\n`,
      );
    } else {
      io.stdout.write(
        `VT Code Desktop is running in browser mode.\nOpen this URL in your browser (it holds this launch's access token):\n\n  ${server.url}\n\nPress Ctrl+C to stop.\n`,
      );
    }

    await new Promise<void>((resolveStop) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        // Stop the server, then every run and watcher; a stuck keychain call must not hold the exit.
        void server
          .close()
          .then(() => Promise.race([services.close(), new Promise((r) => setTimeout(r, 5000))]))
          .then(() => resolveStop());
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    logger.info('browser-mode host stopped');
    return 0;
  },
};
