import { describeContract } from '../../support/openapi';
import { contractErrors } from './contract';
import type { RawResponse } from './http';

const response = (status: number, body: unknown, contentType = 'application/hal+json'): RawResponse => ({
  status, body, text: JSON.stringify(body), contentType, headers: new Headers(),
});

describeContract('contractErrors()', () => {
  it('should report an undeclared status and a body that breaks its schema', () => {
    expect(contractErrors('POST', 'webhooks', response(201, {}))).toHaveLength(1);
    expect(contractErrors('GET', 'conversations/x', response(200, { id: 1, state: 'closed' })).join()).toMatch(/id|state/);
  });

  it('should drop only the listed spec errata', () => {
    const list = { _embedded: { messages: [] }, messages: [], page: { size: 20, number: 0, totalElements: 0, totalPages: 0 } };
    expect(contractErrors('GET', 'conversations/x/messages', response(200, list))).toEqual([]);
    // The spec as written requires the legacy top-level key: no longer waived.
    const { messages: _legacy, ...halOnly } = list;
    expect(contractErrors('GET', 'conversations/x/messages', response(200, halOnly)).join()).toMatch(/required property 'messages'/);
    expect(contractErrors('GET', 'conversations/x/messages', response(200, { ...list, page: { size: 'x' } })).join()).toMatch(/page\/size/);
    expect(contractErrors('GET', 'jwk/k/public', response(200, { kty: 'RSA' }, 'application/json'))).toEqual([]);
    expect(contractErrors('GET', 'webhooks/1', response(200, 'a string'))).not.toEqual([]);
  });
});
