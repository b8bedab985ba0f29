import type { CodeTimelineView, TimelineEvent } from '../../../server/contract/timeline.js';
import { hasKey, t } from '../i18n/index.svelte.js';
import { historyKindLabel } from './dock.js';
import { api } from './api.js';

const keyed = (prefix: string) => (kind: string): string => {
  const key = `${prefix}.${kind}`;
  return hasKey(key) ? t(key) : kind;
};
const scanTitle = keyed('timeline.scan');
const uploadTitle = keyed('timeline.upload');

/** The headline of a timeline line that is not a movement (movements use the dock's words). */
export function eventTitle(e: TimelineEvent): string {
  if (e.source === 'import') return t('timeline.imported');
  if (e.source === 'scan') return scanTitle(e.kind);
  if (e.source === 'upload') return uploadTitle(e.kind);
  return historyKindLabel(e.kind);
}

export const timelineOf = (code: string): Promise<CodeTimelineView> => api.get<CodeTimelineView>(`/api/codes/${encodeURIComponent(code)}/history`);
