import { fiqlPredicate, halList, parseListParams } from '../../src/emulator/api/paging';
import { ApiProblem } from '../../src/emulator/api/problems';

const items = [
  { id: 'b', name: 'Bo', routingOptions: { id: '11' }, createdAt: '2024-01-02' },
  { id: 'a', name: 'Al', routingOptions: { id: '12' }, createdAt: '2024-01-01' },
  { id: 'c', name: 'Cy', routingOptions: { id: '11' }, createdAt: '2024-01-02' },
];

describe('parseListParams()', () => {
  it('should default to size 20, page 0 and the given sort', () => {
    expect(parseListParams({}, 'createdAt:desc')).toEqual({ size: 20, page: 0, sort: { field: 'createdAt', desc: true }, filter: undefined });
  });

  it('should reject bad numbers and sorts outside the sortable fields with a 400', () => {
    for (const [query, sortable] of [[{ size: '-1' }], [{ page: '1.5' }], [{ size: '0' }], [{ sort: 'name:up' }], [{ sort: 'name:asc' }, ['createdAt']]] as const) {
      expect(() => parseListParams(query, 'id:asc', sortable as string[] | undefined)).toThrow(ApiProblem);
    }
  });
});

describe('fiqlPredicate()', () => {
  it('should support ==, !=, dotted fields, wildcards, ; (and) and , (or)', () => {
    const ids = (filter: string) => items.filter(fiqlPredicate(filter)).map((i) => i.id);
    expect(ids('routingOption.id==11')).toEqual([]);
    expect(ids('routingOptions.id==11')).toEqual(['b', 'c']);
    expect(ids('routingOptions.id==11;name!=Bo')).toEqual(['c']);
    expect(ids('name==Al,(routingOptions.id==11;name==Cy)')).toEqual(['a', 'c']);
    expect(ids('name==B*')).toEqual(['b']);
    expect(() => fiqlPredicate('name=~x')).toThrow(ApiProblem);
  });
});

describe('halList()', () => {
  it('should sort (ties in insertion order, reversed for desc), page and count', () => {
    const body = halList('things', items, parseListParams({ size: '2', sort: 'createdAt:desc' }, 'id:asc'), 'http://x/things');
    expect(body).toEqual({
      _embedded: { things: [items[2], items[0]] },
      _links: { self: { href: 'http://x/things' } },
      page: { size: 2, number: 0, totalElements: 3, totalPages: 2 },
    });
    expect(halList('things', items, parseListParams({ page: '5' }, 'id:asc'), null)).not.toHaveProperty('_links');
  });
});
