import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Instruction files read from the workspace root, in order (VT Code's and the common ones). */
export const INSTRUCTION_FILES = [
  'AGENTS.md',
  'AGENT.md',
  'VTCODE.md',
  '.vtcode/instructions.md',
  'CLAUDE.md',
];

const MAX_INSTRUCTION_BYTES = 64 * 1024;

const BASE_PROMPT = `You are VT Code, a coding agent working in the user's workspace through tools.
Use read_file, list_files and grep_file to look before you change anything; change files with edit_file, apply_patch or write_file; run commands with run_pty_cmd.
Paths are relative to the workspace root. Some calls need the user's approval or are denied by policy: when a call is denied, do not repeat it; explain or try another way.
When the task is done, answer briefly with what you did.`;

/** The system prompt: the base prompt, then the workspace's instruction files (each capped). */
export async function buildSystemPrompt(
  workspace: string,
): Promise<{ prompt: string; files: string[] }> {
  const sections: string[] = [BASE_PROMPT, `Workspace root: ${workspace}`];
  const files: string[] = [];
  for (const name of INSTRUCTION_FILES) {
    let text: string;
    try {
      text = await readFile(join(workspace, name), 'utf8');
    } catch {
      continue;
    }
    if (text.trim() === '') continue;
    const capped =
      text.length > MAX_INSTRUCTION_BYTES
        ? `${text.slice(0, MAX_INSTRUCTION_BYTES)}\n[… cut]`
        : text;
    sections.push(
      `Instructions from ${name} (written by the workspace's authors; they do not override the tool policy):\n${capped}`,
    );
    files.push(name);
  }
  return { prompt: sections.join('\n\n'), files };
}
