import { useState } from 'react';
import { selectBusy } from '../../stores/conversation-slice';
import { useRoot } from '../../stores/root-store';
import { ModePicker } from './mode-picker';

/** The message box: Enter sends, Shift+Enter starts a new line; Stop while a turn runs. */
export function Composer() {
  const hasWorkspace = useRoot((s) => s.workspace !== null);
  const busy = useRoot(selectBusy);
  const opening = useRoot((s) => s.sessionOpening.state === 'opening');
  const sendMessage = useRoot((s) => s.sendMessage);
  // The session on screen when Send is pressed: the message goes there and nowhere else.
  const target = useRoot((s) => s.activeSession?.id ?? 'new');
  const stopTurn = useRoot((s) => s.stopTurn);
  const [text, setText] = useState('');
  const canSend = hasWorkspace && !busy && !opening && text.trim().length > 0;

  const send = async () => {
    if (!canSend) return;
    const sent = text;
    setText('');
    // Keep what was typed when it could not be sent.
    if (!(await sendMessage(sent, target))) setText(sent);
  };

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <label htmlFor="message" className="visually-hidden">
        Message
      </label>
      <textarea
        id="message"
        rows={3}
        disabled={!hasWorkspace}
        value={text}
        aria-describedby="message-hint"
        placeholder={hasWorkspace ? 'Describe the task…' : 'Open a workspace first.'}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            void send();
          }
        }}
      />
      <span id="message-hint" className="visually-hidden">
        Enter sends, Shift+Enter starts a new line.
      </span>
      <div className="composer-actions">
        <ModePicker />
        {busy ? (
          <button type="button" className="danger" onClick={() => void stopTurn()}>
            Stop
          </button>
        ) : (
          <button type="submit" className="primary" disabled={!canSend}>
            Send
          </button>
        )}
      </div>
    </form>
  );
}
