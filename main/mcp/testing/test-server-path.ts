import { resolve } from 'node:path';

/** The SDK-built MCP server tests run (stdio, or streamable HTTP with `--http PORT`). */
export const TEST_SERVER = resolve(__dirname, 'test-server.mjs');
