import { listAll } from '../../src/gateway';
import { useFakeGateway } from './support/client';
import { FakeGateway } from './support/fake-gateway';

const pageOf = (ids: string[], number: number, totalPages: number) => ({
  _embedded: { webhooks: ids.map((id) => ({ id, name: id, uri: `https://h/${id}` })) },
  page: { size: 2, number, totalElements: 5, totalPages },
});

describe('#listAll()', () => {
  const suite = useFakeGateway(() => FakeGateway.start());

  it('should yield every item across pages and stop after the last page', async () => {
    suite.fake.reply({ status: 200, body: pageOf(['a', 'b'], 0, 3) }, { status: 200, body: pageOf(['c', 'd'], 1, 3) }, { status: 200, body: pageOf(['e'], 2, 3) });
    const ids: string[] = [];
    for await (const w of listAll((q) => suite.client.listWebhooks(q), 'webhooks', { size: 2 })) ids.push(w.id);
    expect(ids).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(suite.fake.requests.map((r) => `${r.query.get('page')}/${r.query.get('size')}`)).toEqual(['0/2', '1/2', '2/2']);
  });

  it('should stop at an empty page that has no _embedded when 8x8 omits it', async () => {
    suite.fake.reply({ status: 200, body: { _embedded: { webhooks: [{ id: 'a', name: 'a', uri: 'u' }] } } }, { status: 200, body: { page: { size: 20, number: 1, totalElements: 1, totalPages: 1 } } });
    const ids: string[] = [];
    for await (const w of listAll((q) => suite.client.listWebhooks(q), 'webhooks')) ids.push(w.id);
    expect(ids).toEqual(['a']);
    expect(suite.fake.requests).toHaveLength(2);
  });
});

describe('ChatGatewayClient#listMessages()', () => {
  const suite = useFakeGateway(() => FakeGateway.start());

  it('should return an empty _embedded.messages when 8x8 sends an empty page without _embedded', async () => {
    suite.fake.reply({ status: 200, body: { page: { size: 20, number: 0, totalElements: 0, totalPages: 0 } } });
    const list = await suite.client.listMessages('c1');
    expect(list._embedded.messages).toEqual([]);
    expect(list.page.totalElements).toBe(0);
  });
});
