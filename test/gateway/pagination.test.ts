import { listAll, type ChatGatewayClient } from '../../src/gateway';
import { clientFor } from './support/client';
import { FakeGateway } from './support/fake-gateway';

const pageOf = (ids: string[], number: number, totalPages: number) => ({
  _embedded: { webhooks: ids.map((id) => ({ id, name: id, uri: `https://h/${id}` })) },
  page: { size: 2, number, totalElements: 5, totalPages },
});

describe('#listAll()', () => {
  let fake: FakeGateway;
  let client: ChatGatewayClient;

  beforeAll(async () => {
    fake = await FakeGateway.start();
    client = clientFor(fake).client;
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    client.close();
    await fake.close();
  });

  it('should yield every item across pages and stop after the last page', async () => {
    fake.reply({ status: 200, body: pageOf(['a', 'b'], 0, 3) }, { status: 200, body: pageOf(['c', 'd'], 1, 3) }, { status: 200, body: pageOf(['e'], 2, 3) });
    const ids: string[] = [];
    for await (const w of listAll((q) => client.listWebhooks(q), 'webhooks', { size: 2 })) ids.push(w.id);
    expect(ids).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(fake.requests.map((r) => `${r.query.get('page')}/${r.query.get('size')}`)).toEqual(['0/2', '1/2', '2/2']);
  });

  it('should stop at an empty page that has no _embedded when 8x8 omits it', async () => {
    fake.reply({ status: 200, body: { _embedded: { webhooks: [{ id: 'a', name: 'a', uri: 'u' }] } } }, { status: 200, body: { page: { size: 20, number: 1, totalElements: 1, totalPages: 1 } } });
    const ids: string[] = [];
    for await (const w of listAll((q) => client.listWebhooks(q), 'webhooks')) ids.push(w.id);
    expect(ids).toEqual(['a']);
    expect(fake.requests).toHaveLength(2);
  });
});

describe('ChatGatewayClient#listMessages()', () => {
  it('should return an empty _embedded.messages when 8x8 sends an empty page without _embedded', async () => {
    const fake = await FakeGateway.start();
    const { client } = clientFor(fake);
    try {
      fake.reply({ status: 200, body: { page: { size: 20, number: 0, totalElements: 0, totalPages: 0 } } });
      const list = await client.listMessages('c1');
      expect(list._embedded.messages).toEqual([]);
      expect(list.page.totalElements).toBe(0);
    } finally {
      client.close();
      await fake.close();
    }
  });
});
