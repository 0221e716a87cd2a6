import { routeEscalation, ruleMatches, type RoutingRule } from '../../src/config';
import type { EscalationRequest } from '../../src/triggers';

const rules: RoutingRule[] = [
  { when: { intent: 'Billing' }, queueId: 'billing', additionalProperties: { Department: 'Billing', Tier: 'rule' }, language: 'en' },
  { when: { keyword: 'facture' }, queueId: 'billing-fr', language: 'fr' },
  { when: { trigger: 'fallback' }, additionalProperties: { Reason: 'confused' } },
  { when: { pattern: '\\border #?\\d+' }, queueId: 'orders' },
  { when: { language: 'de', trigger: 'keyword' }, queueId: 'german' },
];
const req = (r: Partial<EscalationRequest>): EscalationRequest => ({ trigger: 'keyword', reason: 'test', ...r });

describe('routeEscalation()', () => {
  it('should use the defaults when no rule matches', () => {
    expect(routeEscalation(req({ text: 'hello' }), rules, { queueId: 'support', properties: { Bot: 'demo' } })).toEqual({ queueId: 'support', properties: { Bot: 'demo' } });
  });

  it('should apply the first matching rule when several match', () => {
    const r = req({ trigger: 'intent', intent: { name: 'billing', score: 0.9 }, text: 'facture' });
    expect(routeEscalation(r, rules, { queueId: 'support' })).toEqual({ queueId: 'billing', properties: { Department: 'Billing', Tier: 'rule' }, language: 'en' });
  });

  it('should let the trigger queue, language and properties win over the rule when the trigger chose them', () => {
    const r = req({ trigger: 'intent', intent: { name: 'Billing', score: 1 }, queueId: 'vip', language: 'es', properties: { Tier: 'gold' } });
    expect(routeEscalation(r, rules, { queueId: 'support', properties: { Bot: 'demo', Tier: 'default' } })).toEqual({
      queueId: 'vip', properties: { Bot: 'demo', Department: 'Billing', Tier: 'gold' }, language: 'es',
    });
  });

  it('should match keywords in the utterance accent-insensitively and patterns on the text', () => {
    expect(routeEscalation(req({ text: 'ma FACTURE est fausse' }), rules, { queueId: 's' }).queueId).toBe('billing-fr');
    expect(routeEscalation(req({ keyword: 'Facturé' }), rules, { queueId: 's' }).queueId).toBe('billing-fr');
    expect(routeEscalation(req({ text: 'about order #123' }), rules, { queueId: 's' }).queueId).toBe('orders');
    expect(routeEscalation(req({ text: 'facturation' }), rules, { queueId: 's' }).queueId).toBe('s');
  });

  it('should keep the default queue and merge properties when a rule sets properties only', () => {
    expect(routeEscalation(req({ trigger: 'fallback' }), rules, { queueId: 's' })).toEqual({ queueId: 's', properties: { Reason: 'confused' } });
  });
});

describe('ruleMatches()', () => {
  it('should require every condition when a rule has several', () => {
    expect(ruleMatches(req({ locale: 'de-AT' }), rules[4]!.when)).toBe(true);
    expect(ruleMatches(req({ locale: 'de-AT', trigger: 'intent' }), rules[4]!.when)).toBe(false);
    expect(ruleMatches(req({ language: 'deu' }), rules[4]!.when)).toBe(false);
  });

  it('should never match when the rule has no condition', () => {
    expect(ruleMatches(req({}), {})).toBe(false);
  });
});
