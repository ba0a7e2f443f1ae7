import type { ToolPolicyRow } from '../../../shared/domain/policy';

/** The matrix's rows in two groups: the app's own tools as main lists them, then MCP tools. */
export function matrixGroups(rows: readonly ToolPolicyRow[]): {
  builtin: readonly ToolPolicyRow[];
  /** By server, then by tool name, so one server's tools stay together. */
  mcp: readonly ToolPolicyRow[];
} {
  const builtin = rows.filter((r) => !r.mcp);
  const mcp = rows
    .filter((r) => r.mcp)
    .sort(
      (a, b) =>
        (a.mcp?.server ?? '').localeCompare(b.mcp?.server ?? '') || a.tool.localeCompare(b.tool),
    );
  return { builtin, mcp };
}
