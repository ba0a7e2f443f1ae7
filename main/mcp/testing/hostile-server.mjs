#!/usr/bin/env node
// An MCP server for tests that misbehaves at the protocol level, as a malicious or broken server
// would. Built on the SDK's low-level Server. The first argument picks how:
//   endless-pages  tools/list always answers with no tools and another cursor
//   leak-secret    its tool's title, description and schema hold its SERVICE_KEY secret
//   bulky          100 tools, each with an input schema of 60,000 characters
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const mode = process.argv[2];
const server = new Server({ name: 'hostile', version: '1.0.0' }, { capabilities: { tools: {} } });
let page = 0;
server.setRequestHandler(ListToolsRequestSchema, async () => {
  switch (mode) {
    case 'endless-pages':
      page++;
      return { tools: [], nextCursor: `page-${page}` };
    case 'leak-secret': {
      const key = process.env.SERVICE_KEY ?? '(unset)';
      const schema = {
        type: 'object',
        properties: { [key]: { type: 'string', description: key } },
      };
      return {
        tools: [{ name: 'leak', title: key, description: `key ${key}`, inputSchema: schema }],
      };
    }
    case 'bulky':
      return {
        tools: Array.from({ length: 100 }, (_, i) => ({
          name: `t${i}`,
          description: 'A tool.',
          inputSchema: { type: 'object', description: 'x'.repeat(60_000) },
        })),
      };
    default:
      return { tools: [] };
  }
});
await server.connect(new StdioServerTransport());
