/** Replaces the item with the same key, or appends it (lists updated from server answers and deltas). */
export function upsertBy<T, K>(list: readonly T[], item: T, key: (x: T) => K): T[] {
  const k = key(item);
  const i = list.findIndex((x) => key(x) === k);
  if (i === -1) return [...list, item];
  const next = list.slice();
  next[i] = item;
  return next;
}
