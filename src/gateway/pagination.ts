/**
 * Paging through HAL lists. 8x8 pages are zero-based and say how many pages exist
 * (`page.totalPages`); an empty page may omit `_embedded` entirely.
 */
import type { HalList, ListQuery } from './types';

/** Returns the list with `_embedded[key]` present (an empty array when 8x8 left it out). */
export function withEmbedded<K extends string, T>(key: K, list: HalList<K, T>): HalList<K, T> {
  const embedded = (list as Partial<HalList<K, T>>)._embedded;
  if (embedded && Array.isArray(embedded[key])) return list;
  return { ...list, _embedded: { ...embedded, [key]: [] } as HalList<K, T>['_embedded'] };
}

/**
 * Iterates every item of a list endpoint, page by page, starting at `query.page` (default 0).
 * Stops after the last page, or at the first empty page when 8x8 sends no page block.
 *
 * @example
 * for await (const m of listAll((q) => client.listMessages(id, q), 'messages', { sort: 'createdAt:asc' })) { ... }
 */
export async function* listAll<K extends string, T>(
  fetchPage: (query: ListQuery) => Promise<HalList<K, T>>,
  key: K,
  query: ListQuery = {},
): AsyncGenerator<T, void, undefined> {
  let page = query.page ?? 0;
  for (;;) {
    const list = withEmbedded(key, await fetchPage({ ...query, page }));
    const items = list._embedded[key];
    yield* items;
    page += 1;
    const totalPages = list.page?.totalPages;
    if (items.length === 0 || (typeof totalPages === 'number' && page >= totalPages)) return;
  }
}
