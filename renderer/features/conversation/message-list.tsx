import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useRoot } from '../../stores/root-store';
import { MessageItem } from './message-item';

/** Pixels from the bottom that still count as "following the stream". */
const STICKY_PX = 80;
const FLASH_MS = 1600;
/** Frames to wait for a row scrolled to to be rendered and measured. */
const MAX_FRAMES = 20;

/**
 * The conversation's rows, virtualised: only the rows on screen are in the DOM, so a session of
 * thousands of messages opens and scrolls as fast as a short one. Follows the stream while the
 * reader is at the bottom, and stays put when they scrolled up to read.
 */
export function MessageList() {
  const items = useRoot((s) => s.conversation.items);
  const scrollRef = useRef<HTMLDivElement>(null);
  const stuck = useRef(true);
  // The list re-renders from the store; nothing memoises the virtualizer's functions.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 96,
    overscan: 6,
    getItemKey: (index) => items[index]?.id ?? index,
  });
  const totalSize = virtualizer.getTotalSize();
  const focused = useRoot((s) => s.focusedCall);
  const handled = useRef(0);

  // A tool call asked for from elsewhere (an Activity row): scroll to it, open it, point at it.
  useEffect(() => {
    if (!focused || focused.seq === handled.current) return;
    const index = items.findIndex((i) => i.kind === 'tool' && i.id === focused.callId);
    if (index < 0) return;
    handled.current = focused.seq;
    stuck.current = false;
    virtualizer.scrollToIndex(index, { align: 'center' });
    let frames = 0;
    const attempt = () => {
      const el = [
        ...(scrollRef.current?.querySelectorAll<HTMLElement>('[data-call-id]') ?? []),
      ].find((e) => e.dataset.callId === focused.callId);
      if (!el) {
        if (++frames < MAX_FRAMES) requestAnimationFrame(attempt);
        return;
      }
      if (el instanceof HTMLDetailsElement) el.open = true;
      el.scrollIntoView({ block: 'center' });
      if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
      el.focus({ preventScroll: true });
      el.classList.add('call-focus-flash');
      setTimeout(() => el.classList.remove('call-focus-flash'), FLASH_MS);
    };
    requestAnimationFrame(attempt);
  }, [focused, items, virtualizer]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && stuck.current) el.scrollTop = el.scrollHeight;
  }, [items, totalSize]);

  return (
    <div
      ref={scrollRef}
      className="messages"
      tabIndex={0}
      aria-label="Messages"
      role="region"
      onScroll={(e) => {
        const el = e.currentTarget;
        stuck.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICKY_PX;
      }}
    >
      <div className="message-rows" style={{ height: totalSize }}>
        {virtualizer.getVirtualItems().map((row) => {
          const item = items[row.index];
          if (!item) return null;
          return (
            <div
              key={row.key}
              ref={virtualizer.measureElement}
              data-index={row.index}
              className="message-row"
              style={{ transform: `translateY(${row.start}px)` }}
            >
              <MessageItem item={item} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
