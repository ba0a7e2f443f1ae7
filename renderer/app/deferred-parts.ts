import { lazyPart, whenIdle } from './lazy-part';

/** The conversation's messages: shown once a conversation has any. */
export const messageListPart = lazyPart(() =>
  import('../features/conversation/message-list').then((m) => m.MessageList),
);

/** The approval dialogs: shown when the agent or a command asks. */
export const approvalDialogPart = lazyPart(() =>
  import('../features/approvals/approval-dialog').then((m) => m.ApprovalDialog),
);

/** The trust question: shown when a folder is opened for the first time. */
export const trustDialogPart = lazyPart(() =>
  import('../features/workspace/trust-dialog').then((m) => m.TrustDialog),
);

/** Load the parts above once the page is idle after the first screen; returns a cancel. */
export function preloadDeferredParts(): () => void {
  return whenIdle(() => {
    for (const part of [messageListPart, approvalDialogPart, trustDialogPart]) {
      // A failure here is retried when the part is first shown, where the error boundary sees it.
      part.preload().catch(() => undefined);
    }
  });
}
