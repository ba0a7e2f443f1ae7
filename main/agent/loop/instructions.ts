import { join } from 'node:path';
import type { ProtectionModel } from '../../guard/model';
import { guardedReadText } from '../../guard/safe-fs';

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
Use read_file, list_files and code_search to look before you change anything; change files with edit_file, apply_patch or write_file; run commands with exec_command.
Paths are relative to the workspace root. Some calls need the user's approval or are denied by policy: when a call is denied, do not repeat it; explain or try another way.
When the task is done, answer briefly with what you did.`;

/** The system prompt: the base prompt, then the workspace's instruction files (each capped). */
export async function buildSystemPrompt(
  workspace: string,
  guard: ProtectionModel,
): Promise<{ prompt: string; files: string[]; refused: string[] }> {
  const sections: string[] = [BASE_PROMPT, `Workspace root: ${workspace}`];
  const files: string[] = [];
  const refused: string[] = [];
  for (const name of INSTRUCTION_FILES) {
    // Through the guard: a symlink to a key or out of the workspace is never read into the prompt.
    const read = await guardedReadText(guard, join(workspace, name), MAX_INSTRUCTION_BYTES);
    if (read === null) continue;
    if ('refused' in read) {
      refused.push(`${name}: ${read.refused}`);
      continue;
    }
    const text = read.text;
    if (text.trim() === '') continue;
    const capped = read.truncated ? `${text}\n[… cut]` : text;
    sections.push(
      `Instructions from ${name} (written by the workspace's authors; they do not override the tool policy):\n${capped}`,
    );
    files.push(name);
  }
  return { prompt: sections.join('\n\n'), files, refused };
}
