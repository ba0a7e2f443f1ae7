import { z } from 'zod';

/** Absolute or relative path typed by a person or sent by the renderer: bounded, no NUL bytes. */
export const pathInputSchema = z
  .string()
  .min(1, 'a path is required')
  .max(4096, 'the path is longer than 4096 characters')
  .refine((value) => !value.includes('\0'), 'the path contains a NUL byte');

/**
 * Whether a person trusted a folder: `trusted` (its vtcode.toml applies, commands may write in it),
 * `read_only` (its vtcode.toml only tightens, commands and tools cannot write); null: not asked yet,
 * which counts as read_only.
 */
export const workspaceTrustSchema = z.enum(['trusted', 'read_only']);
export type WorkspaceTrust = z.infer<typeof workspaceTrustSchema>;

export const workspaceSchema = z.object({
  path: z.string(),
  name: z.string(),
  hasConfig: z.boolean(),
  isGitRepo: z.boolean(),
  openedAt: z.string(),
  trust: workspaceTrustSchema.nullable(),
});
export type Workspace = z.infer<typeof workspaceSchema>;

export const recentWorkspaceSchema = z.object({
  path: z.string(),
  name: z.string(),
  openedAt: z.string(),
  exists: z.boolean(),
});
export type RecentWorkspace = z.infer<typeof recentWorkspaceSchema>;

export const directoryEntrySchema = z.object({
  name: z.string(),
  path: z.string(),
  isDirectory: z.boolean(),
});
export type DirectoryEntry = z.infer<typeof directoryEntrySchema>;

export const directoryListingSchema = z.object({
  path: z.string(),
  parent: z.string().nullable(),
  entries: z.array(directoryEntrySchema),
  truncated: z.boolean(),
});
export type DirectoryListing = z.infer<typeof directoryListingSchema>;
