import type { StateCreator } from 'zustand';
import type { ActivityRecord } from '../../shared/domain/activity';
import { matchesActivity } from '../../shared/domain/activity-match';
import type {
  ActivityFilter,
  ActivityPage,
  ReadActivity,
} from '../../shared/domain/activity-query';
import type { AlwaysAllowRule } from '../../shared/domain/policy';
import type { BridgeApi } from '../../shared/ipc/api';
import { errorMessage } from './app-slice';
import { ruleEntries } from './policy-draft';
import type { RootState } from './root-store';

/** The filters the Activity view sets (the time filter is the CLI's). */
export type ActivityFilterInput = Omit<ActivityFilter, 'since'>;

export type ActivityLoad =
  | { readonly state: 'idle' }
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly page: ActivityPage }
  | { readonly state: 'error'; readonly message: string };

/** "Add a rule like this" for one row: its preview, before anything is staged. */
export type ActivityRulePreview =
  | { readonly state: 'idle' }
  | { readonly state: 'loading'; readonly recordId: string; readonly scope: RuleScope }
  | {
      readonly state: 'ready';
      readonly recordId: string;
      readonly scope: RuleScope;
      readonly rules: readonly AlwaysAllowRule[];
      readonly refusal: string | null;
    }
  | {
      readonly state: 'error';
      readonly recordId: string;
      readonly scope: RuleScope;
      readonly message: string;
    };

export type RuleScope = 'exact' | 'subcommand';

/** How long typing in a text filter must pause before the host is asked. */
export const ACTIVITY_DEBOUNCE_MS = 250;
/** Records per page. */
export const ACTIVITY_PAGE = 100;

/** The Policy › Activity view: what the policy did, filtered, paged, kept live. */
export interface ActivitySlice {
  activityFilter: ActivityFilterInput;
  activity: ActivityLoad;
  activityLoadingMore: boolean;
  /** What the last row action could not do (a call no longer in its session), until replaced. */
  activityNotice: string | null;
  activityRulePreview: ActivityRulePreview;
  /** The tool call the conversation scrolls to (set from an Activity row). */
  focusedCall: { readonly sessionId: string; readonly callId: string; readonly seq: number } | null;
  loadActivity: () => Promise<void>;
  /** Change filters; text filters ask the host once typing pauses, the others at once. */
  setActivityFilter: (patch: Partial<ActivityFilterInput>) => void;
  loadMoreActivity: () => Promise<void>;
  /** A record main just wrote: listed first if it matches the filters. */
  activityAdded: (read: ReadActivity) => void;
  previewActivityRule: (record: ActivityRecord, command: string, scope: RuleScope) => Promise<void>;
  closeActivityRulePreview: () => void;
  /**
   * Stage the previewed rules as an unsaved `[commands] allow_regex` edit of the file being edited
   * and show the Rules view; the entries staged (nothing is written until Save). Null when there
   * is nothing to stage.
   */
  stageActivityRule: () => readonly string[] | null;
  /** Open the record's session (if it is not the one shown) and scroll to the call. */
  showCallInConversation: (sessionId: string, callId: string) => Promise<boolean>;
}

/** Drop the keys whose value is empty: an empty text box filters nothing. */
function cleanFilter(filter: ActivityFilterInput): ActivityFilterInput {
  // Only keys of the filter itself are copied, so each keeps its own type.
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(filter))
    if (typeof value === 'string' && value.trim() !== '') out[key] = value.trim();
  return out;
}

export const createActivitySlice =
  (api: BridgeApi): StateCreator<RootState, [], [], ActivitySlice> =>
  (set, get) => {
    let ticket = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let focusSeq = 0;
    const request = (before?: string) => ({
      ...cleanFilter(get().activityFilter),
      limit: ACTIVITY_PAGE,
      ...(before ? { before } : {}),
    });
    return {
      activityFilter: {},
      activity: { state: 'idle' },
      activityLoadingMore: false,
      activityNotice: null,
      activityRulePreview: { state: 'idle' },
      focusedCall: null,

      loadActivity: async () => {
        if (timer) clearTimeout(timer);
        timer = null;
        const mine = ++ticket;
        // A refresh keeps the rows on screen until the new page arrives.
        if (get().activity.state !== 'ready') set({ activity: { state: 'loading' } });
        try {
          const page = await api.policy.listActivity(request());
          if (mine === ticket)
            set({ activity: { state: 'ready', page }, activityLoadingMore: false });
        } catch (error) {
          if (mine === ticket) set({ activity: { state: 'error', message: errorMessage(error) } });
        }
      },

      setActivityFilter: (patch) => {
        set((s) => ({ activityFilter: { ...s.activityFilter, ...patch } }));
        const typed = 'text' in patch || 'rule' in patch;
        if (!typed) {
          void get().loadActivity();
          return;
        }
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => void get().loadActivity(), ACTIVITY_DEBOUNCE_MS);
      },

      loadMoreActivity: async () => {
        const current = get().activity;
        if (current.state !== 'ready' || !current.page.more || get().activityLoadingMore) return;
        const last = current.page.records.at(-1)?.record.id;
        const mine = ticket;
        set({ activityLoadingMore: true });
        try {
          const next = await api.policy.listActivity(request(last));
          const now = get().activity;
          if (mine !== ticket || now.state !== 'ready') return;
          const seen = new Set(now.page.records.map((r) => r.record.id));
          set({
            activity: {
              state: 'ready',
              page: {
                ...now.page,
                records: [
                  ...now.page.records,
                  ...next.records.filter((r) => !seen.has(r.record.id)),
                ],
                more: next.more,
                sessions: { ...now.page.sessions, ...next.sessions },
              },
            },
          });
        } catch (error) {
          if (mine === ticket) set({ activityNotice: errorMessage(error) });
        } finally {
          if (mine === ticket) set({ activityLoadingMore: false });
        }
      },

      activityAdded: (read) => {
        const current = get().activity;
        if (current.state !== 'ready') return;
        const { page } = current;
        if (!matchesActivity(read.record, cleanFilter(get().activityFilter))) return;
        if (page.records.some((r) => r.record.id === read.record.id)) return;
        const counts = { ...page.counts };
        if (read.sealed) counts[read.record.decision]++;
        set({
          activity: {
            state: 'ready',
            page: { ...page, records: [read, ...page.records], total: page.total + 1, counts },
          },
        });
      },

      previewActivityRule: async (record, command, scope) => {
        set({ activityRulePreview: { state: 'loading', recordId: record.id, scope } });
        const still = () => {
          const p = get().activityRulePreview;
          return p.state !== 'idle' && p.recordId === record.id && p.scope === scope;
        };
        try {
          const preview = await api.policy.previewActivityRule({ command, scope });
          if (still())
            set({
              activityRulePreview: {
                state: 'ready',
                recordId: record.id,
                scope,
                rules: preview.rules,
                refusal: preview.refusal,
              },
            });
        } catch (error) {
          if (still())
            set({
              activityRulePreview: {
                state: 'error',
                recordId: record.id,
                scope,
                message: errorMessage(error),
              },
            });
        }
      },

      closeActivityRulePreview: () => set({ activityRulePreview: { state: 'idle' } }),

      stageActivityRule: () => {
        const preview = get().activityRulePreview;
        const policy = get().policy;
        if (preview.state !== 'ready' || preview.rules.length === 0 || policy.state !== 'ready')
          return null;
        const { policyEdits, policyTarget } = get();
        const entries = ruleEntries(
          policy.snapshot,
          policyEdits,
          'allow_regex',
          policyTarget,
          policyTarget,
        );
        const wanted = preview.rules.map((r) => r.entry);
        const added = wanted.filter((e) => !entries.includes(e));
        if (added.length > 0)
          get().stagePolicyEdit({
            kind: 'command-rules',
            list: 'allow_regex',
            value: [...entries, ...added],
          });
        set({ activityRulePreview: { state: 'idle' } });
        get().setPolicyView('rules');
        return wanted;
      },

      showCallInConversation: async (sessionId, callId) => {
        if (get().activeSession?.id !== sessionId && !(await get().resumeSession(sessionId))) {
          set({ activityNotice: 'That session could not be opened.' });
          return false;
        }
        const found = get().conversation.items.some((i) => i.kind === 'tool' && i.id === callId);
        set({
          focusedCall: found ? { sessionId, callId, seq: ++focusSeq } : null,
          activityNotice: found ? null : 'That call is not in the session’s conversation.',
        });
        return found;
      },
    };
  };
