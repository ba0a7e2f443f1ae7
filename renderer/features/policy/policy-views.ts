import type { ComponentType } from 'react';
import type { PolicySnapshot } from '../../../shared/domain/policy';
import { ActivityView } from './activity-view';
import { ImportView } from './import-view';
import { EffectiveView } from './effective-view';

/** The Policy panel's views: the editable rules, and what the policy did and would do. */
export interface PolicyView {
  readonly id: PolicyViewId;
  readonly label: string;
  /** Null for `rules` (the editor the panel itself lays out). */
  readonly Component: ComponentType<{ snapshot: PolicySnapshot }> | null;
}

export type PolicyViewId = 'rules' | 'activity' | 'effective' | 'import';

/** In tab order; each view lives in its own file. */
export const POLICY_VIEWS: readonly PolicyView[] = [
  { id: 'rules', label: 'Rules', Component: null },
  { id: 'activity', label: 'Activity', Component: ActivityView },
  { id: 'import', label: 'Import', Component: ImportView },
  { id: 'effective', label: 'Effective', Component: EffectiveView },
];
