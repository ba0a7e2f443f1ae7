import { z } from 'zod';

/*
 * The names a vtcode.toml gives MCP servers and their variables, apart from the rest of the MCP
 * schemas: the config reader checks names at every start, and must not build the UI's schemas.
 */

/** A server's name: it becomes part of tool names, so no `__` and only name characters. */
export const mcpServerNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9-]|_(?!_)){0,31}$/,
    'a server name is 1-32 letters, digits, "-" or "_" (never "__"), starting with a letter or digit',
  )
  .refine((name) => !name.endsWith('_'), 'a server name cannot end with "_"');

/** An environment variable name a server is given. */
export const mcpEnvNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'a variable name is letters, digits and "_"');
