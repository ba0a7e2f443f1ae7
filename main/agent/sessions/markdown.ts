import type { AgentEvent, SessionSummary } from '../../../shared/domain/agent';

function fence(text: string, info = ''): string {
  let ticks = '```';
  while (text.includes(ticks)) ticks += '`';
  return `${ticks}${info}\n${text}\n${ticks}`;
}

/** The longest tool result kept in an export (head only; the cut is said in words). */
const MAX_RESULT = 4000;

/**
 * The exporter's own sentences around text it did not write (error messages, reasons): one line,
 * no doubled full stop where a message ending in one meets the next sentence.
 */
function prose(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/(^|[^.])\.\.(?=\s|$)/g, '$1.');
}

/** A title as a plain heading: one line, and no cut mark left by older versions' titles. */
function heading(title: string): string {
  return prose(title).replace(/\s*(?:…|\.\.\.)$/u, '') || 'Session';
}

/** A file name for an export: the title's letters and digits, then `.md`. */
export function exportFileName(title: string): string {
  const base = heading(title)
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return `${base || 'session'}.md`;
}

/** Events that print nothing: they do not end the answer being written. */
const SILENT = new Set<AgentEvent['type']>([
  'text-delta',
  'reasoning-delta',
  'usage',
  'retry',
  'history',
  'file-changed',
  'tool-call-started',
  'tool-call-decided',
  'tool-call-awaiting-approval',
]);

const OUTCOME: Record<string, string> = {
  completed: 'Turn completed',
  cancelled: 'Turn stopped',
  failed: 'Turn failed',
  'loop-limit': 'Turn stopped at the tool-call limit',
};

const APPROVAL: Record<string, string> = {
  'approved-once': 'Allowed once',
  'approved-always': 'Always allowed',
  'approved-session': 'Allowed for the session',
  denied: 'Denied',
};

/** A readable transcript of a session: prompts, answers, tool calls and their results. */
export function sessionToMarkdown(summary: SessionSummary, events: readonly AgentEvent[]): string {
  const out: string[] = [
    `# ${heading(summary.title)}`,
    '',
    `Workspace: \`${summary.workspace}\`  `,
    `Created: ${summary.createdAt}`,
    '',
  ];
  let text = '';
  const flushText = (): void => {
    if (text.trim()) out.push('### Assistant', '', text.trim(), '');
    text = '';
  };
  const calls = new Map<string, { tool: string; args: unknown }>();
  for (const e of events) {
    // A retried step streams its text again: what came before it is not kept twice.
    if (e.type === 'retry' && e.discardPartial) text = '';
    if (!SILENT.has(e.type)) flushText();
    switch (e.type) {
      case 'turn-started':
        out.push(`## User`, '', e.prompt, '', `_${e.provider} / ${e.model}_`, '');
        break;
      case 'text-delta':
        text += e.text;
        break;
      case 'tool-call-started':
        calls.set(e.callId, { tool: e.tool, args: e.args });
        break;
      case 'tool-call-finished': {
        const c = calls.get(e.callId);
        out.push(
          `**Tool \`${e.tool}\`**: ${e.status}, ${Math.round(e.durationMs)} ms`,
          '',
          fence(JSON.stringify(c?.args ?? null, null, 2), 'json'),
          '',
          fence(
            e.result.length > MAX_RESULT
              ? `${e.result.slice(0, MAX_RESULT)}\n[output cut here: ${e.result.length - MAX_RESULT} more characters not exported]`
              : e.result,
          ),
          '',
        );
        break;
      }
      case 'approval-resolved':
        out.push(
          `> Approval: ${APPROVAL[e.outcome] ?? e.outcome}${e.reason ? ` (${prose(e.reason)})` : ''}`,
          '',
        );
        break;
      case 'error':
        out.push(`> **Error** (${e.error.kind}): ${prose(e.error.message)}`, '');
        break;
      case 'context-trimmed':
        out.push(
          `> Context trimmed: ${e.droppedMessages} messages dropped, ${e.tokensBefore} tokens down to ${e.tokensAfter}`,
          '',
        );
        break;
      case 'turn-finished': {
        const u = e.usage;
        const cost = u.costUsd === null ? '' : `, $${u.costUsd.toFixed(4)}`;
        out.push(
          `_${OUTCOME[e.outcome] ?? `Turn ${e.outcome}`}: ${u.inputTokens} tokens in, ${u.outputTokens} out${cost}_`,
          '',
        );
        break;
      }
      case 'change-reverted':
        out.push(`> Reverted: ${e.paths.join(', ')}`, '');
        break;
      case 'file-changed':
      case 'grants-changed':
      case 'history':
      case 'reasoning-delta':
      case 'retry':
      case 'tool-call-awaiting-approval':
      case 'tool-call-decided':
      case 'usage':
        break;
    }
  }
  flushText();
  return `${out.join('\n').trimEnd()}\n`;
}
