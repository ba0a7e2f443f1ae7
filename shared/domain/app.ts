import { z } from 'zod';
import { settingsFieldSchema } from './model-setup';

/** Which host the renderer is running in: an Electron window or a browser tab (browser mode). */
export const hostKindSchema = z.enum(['electron', 'browser']);
export type HostKind = z.infer<typeof hostKindSchema>;

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  host: hostKindSchema,
  platform: z.string(),
  nodeVersion: z.string(),
  electronVersion: z.string().nullable(),
  configDir: z.string(),
  dataDir: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const healthStatusSchema = z.enum(['ok', 'warn', 'error']);
export type HealthStatus = z.infer<typeof healthStatusSchema>;

export const healthCheckSchema = z.object({
  id: z.string(),
  label: z.string(),
  status: healthStatusSchema,
  detail: z.string(),
  /** What the user can do about a warn or error, e.g. the package to install. */
  fix: z.string().nullable(),
  /** The Settings field that fixes it, when one does (the popover links there). */
  settingsField: settingsFieldSchema.nullable().optional(),
});
export type HealthCheck = z.infer<typeof healthCheckSchema>;

export const healthReportSchema = z.object({
  status: healthStatusSchema,
  checks: z.array(healthCheckSchema),
  checkedAt: z.string(),
});
export type HealthReport = z.infer<typeof healthReportSchema>;
