import type { request as HttpRequest } from 'node:http';

/**
 * `request` of node:http or node:https, loaded at the first request: node:http alone costs about
 * 20 ms to load, and most runs (every `exec` without web_fetch or an HTTP MCP server) never
 * send one of their own (the providers go through fetch).
 */
export function requestFor(protocol: string): typeof HttpRequest {
  return protocol === 'https:'
    ? process.getBuiltinModule('node:https').request
    : process.getBuiltinModule('node:http').request;
}
