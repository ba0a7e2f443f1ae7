import { memo, useContext, useState } from 'react';
import { StoreContext, useRoot } from '../../stores/root-store';
import type { ConversationItem } from './conversation-reducer';
import { CopyButton } from './copy-button';
import { formatDuration, formatUsage } from './format';
import { Markdown } from './lazy-markdown';
import { ToolCard } from './tool-card';

const OUTCOME = {
  completed: 'Done',
  cancelled: 'Stopped',
  failed: 'Failed',
  'loop-limit': 'Stopped at the tool-call limit',
} as const;

function assertNever(value: never): never {
  throw new Error(`unknown conversation item ${JSON.stringify(value)}`);
}

/** One row of the conversation. Memoised: a streamed token re-renders only the answer it extends. */
export const MessageItem = memo(function MessageItem({ item }: { item: ConversationItem }) {
  switch (item.kind) {
    case 'user':
      return (
        <article className="message message-user" aria-label="Your message">
          <div className="message-head">
            <span className="message-author">You</span>
            <CopyButton label="Copy your message" text={() => item.text} />
          </div>
          <div className="message-text">{item.text}</div>
        </article>
      );
    case 'assistant':
      return (
        <article className="message message-assistant" aria-label="Agent answer">
          <div className="message-head">
            <span className="message-author">Agent</span>
            {item.text && <CopyButton label="Copy answer" text={() => item.text} />}
          </div>
          {item.reasoning && (
            <details className="reasoning">
              <summary>Reasoning</summary>
              <div className="reasoning-text">{item.reasoning}</div>
            </details>
          )}
          {item.text && <Markdown text={item.text} />}
        </article>
      );
    case 'tool':
      return <ToolCard call={item} />;
    case 'notice':
      return (
        <p
          className={`notice notice-${item.tone}`}
          role={item.tone === 'error' ? 'alert' : undefined}
        >
          {item.text}
        </p>
      );
    case 'turn-end':
      return <TurnEnd item={item} />;
    default:
      return assertNever(item);
  }
});

function TurnEnd({ item }: { item: Extract<ConversationItem, { kind: 'turn-end' }> }) {
  const revertTurn = useRoot((s) => s.revertTurn);
  const workspace = useRoot((s) => s.workspace?.path ?? '');
  // Revert asks first, naming the files it will change.
  const [confirming, setConfirming] = useState<readonly string[] | null>(null);
  const store = useContext(StoreContext);
  const ask = () => {
    const paths = new Set<string>();
    for (const i of store?.getState().conversation.items ?? [])
      if (i.kind === 'tool' && i.turnId === item.turnId)
        for (const c of i.changes) if (!c.reverted) paths.add(c.path);
    setConfirming(
      [...paths].map((p) => (p.startsWith(`${workspace}/`) ? p.slice(workspace.length + 1) : p)),
    );
  };
  return (
    <div className={`turn-end turn-${item.outcome}`}>
      <span>{OUTCOME[item.outcome]}</span>
      <span className="muted">{formatDuration(item.durationMs)}</span>
      <span className="muted" title="Tokens and cost of this turn">
        {formatUsage(item.usage)}
      </span>
      {item.message && item.outcome !== 'completed' && (
        <span className="muted">{item.message}</span>
      )}
      <span className="spacer" />
      {item.openChanges > 0 && confirming === null && (
        <button type="button" onClick={ask}>
          Revert turn ({item.openChanges} change{item.openChanges === 1 ? '' : 's'})
        </button>
      )}
      {confirming !== null && (
        <div className="revert-confirm" role="group" aria-label="Confirm revert">
          <span>
            Put back {confirming.length} file{confirming.length === 1 ? '' : 's'} as they were
            before this turn:
          </span>
          <ul>
            {confirming.map((p) => (
              <li key={p}>
                <code>{p}</code>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="danger"
            onClick={() => {
              setConfirming(null);
              void revertTurn(item.turnId);
            }}
          >
            Revert these files
          </button>
          <button type="button" onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </div>
      )}
    </div>
  );
}
