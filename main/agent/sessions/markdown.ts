import type { AgentEvent, SessionSummary } from '../../../shared/domain/agent';

function fence(text: string): string {
  const ticks = text.includes('```') ? '````' : '```';
  return `${ticks}\n${text}\n${ticks}`;
}

/** A readable transcript of a session: prompts, answers, tool calls and their results. */
export function sessionToMarkdown(summary: SessionSummary, events: readonly AgentEvent[]): string {
  const out: string[] = [
    `# ${summary.title}`,
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
    if (e.type !== 'text-delta') flushText();
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
          `**Tool \`${e.tool}\`** (${e.status}, ${Math.round(e.durationMs)} ms)`,
          '',
          fence(JSON.stringify(c?.args ?? null, null, 2)),
          '',
          fence(e.result.length > 4000 ? `${e.result.slice(0, 4000)}\n[…]` : e.result),
          '',
        );
        break;
      }
      case 'approval-resolved':
        out.push(`> Approval: ${e.outcome}${e.reason ? ` (${e.reason})` : ''}`, '');
        break;
      case 'error':
        out.push(`> **Error** (${e.error.kind}): ${e.error.message}`, '');
        break;
      case 'context-trimmed':
        out.push(
          `> Context trimmed: ${e.droppedMessages} messages (${e.tokensBefore} → ${e.tokensAfter} tokens)`,
          '',
        );
        break;
      case 'turn-finished': {
        const u = e.usage;
        const cost = u.costUsd === null ? '' : `, $${u.costUsd.toFixed(4)}`;
        out.push(
          `_Turn ${e.outcome}: ${u.inputTokens} in / ${u.outputTokens} out tokens${cost}_`,
          '',
        );
        break;
      }
      case 'change-reverted':
        out.push(`> Reverted: ${e.paths.join(', ')}`, '');
        break;
      case 'file-changed':
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
