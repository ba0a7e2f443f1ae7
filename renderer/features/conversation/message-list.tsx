import { useVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useRef } from 'react';
import { useRoot } from '../../stores/root-store';
import { MessageItem } from './message-item';

/** Pixels from the bottom that still count as "following the stream". */
const STICKY_PX = 80;

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
