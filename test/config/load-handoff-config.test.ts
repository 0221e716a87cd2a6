import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigurationError } from '../../src/errors';
import { HandoffConfigError, loadHandoffConfig, routeEscalation } from '../../src/config';
import { RECOGNIZER_RESULT_KEY } from '../../src/triggers';
import { contextFor } from '../triggers/harness';

const example = {
  queueId: 'support',
  triggers: {
    keywords: { default: ['agent', 'human'], fr: ['conseiller'] },
    patterns: ['\\bspeak to (a|an) (person|human)\\b'],
    intents: [{ intent: 'Escalate', minScore: 0.7 }],
    handoffInitiate: true,
    repeatedFallback: 3,
  },
  routing: [
    { when: { intent: 'Billing' }, queueId: 'billing', additionalProperties: { Department: 'Billing' }, language: 'en' },
    { when: { keyword: 'facture' }, queueId: 'billing-fr', language: 'fr' },
  ],
  messages: { connecting: { default: 'Connecting you to a person…', fr: 'Je vous mets en relation…' } },
  cancelPhrases: { default: ['cancel', 'stop'] },
};

/** Returns the error thrown by `fn`, failing the test when nothing is thrown. */
function errorOf(fn: () => unknown): HandoffConfigError {
  try {
    fn();
  } catch (err) {
    return err as HandoffConfigError;
  }
  throw new Error('expected an error');
}

describe('loadHandoffConfig()', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-config-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('should build one trigger per configured kind when given the documented example', async () => {
    const config = loadHandoffConfig(example);
    expect(config.triggers.map((t) => t.name)).toEqual(['keywords', 'pattern', 'intent', 'handoffInitiate', 'repeatedFallback']);
    expect(config.queueId).toBe('support');
    expect(config.routing).toHaveLength(2);
    expect(config.cancelPhrases).toEqual({ default: ['cancel', 'stop'] });
    expect(config.messages!.connecting).toEqual(example.messages.connecting);
    const fr = await config.triggers[0]!.beforeTurn!(contextFor({ text: 'un Conseiller svp', locale: 'fr-FR' }));
    expect(fr).toMatchObject({ keyword: 'conseiller' });
    const ctx = contextFor({ text: 'x' });
    ctx.turnState.set(RECOGNIZER_RESULT_KEY, { text: 'x', intents: { Escalate: { score: 0.7 } } });
    expect(await config.triggers[2]!.afterTurn!(ctx, { consecutiveFallbacks: 0 })).toMatchObject({ trigger: 'intent' });
  });

  it('should read a JSON file when given a path', () => {
    const file = path.join(dir, 'handoff.json');
    fs.writeFileSync(file, JSON.stringify({ queueId: 'q', cancelPhrases: ['stop'] }));
    expect(loadHandoffConfig(file)).toMatchObject({ queueId: 'q', triggers: [], routing: [], cancelPhrases: { default: ['stop'] } });
  });

  it('should name the file and the fix when the file is missing or not JSON', () => {
    expect(() => loadHandoffConfig(path.join(dir, 'nope.json'))).toThrow(/cannot read .*nope\.json \(ENOENT\).*Check the path/);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{ "queueId": "q", }');
    expect(() => loadHandoffConfig(bad)).toThrow(/bad\.json is not valid JSON.*trailing commas/);
  });

  it('should list every problem with its field path and fix in one error when several fields are wrong', () => {
    const err = errorOf(() => loadHandoffConfig({
      queueId: '',
      quueId: 'x',
      triggers: { keywords: { fr: [] }, patterns: ['ok', '(unclosed'], intents: [{ intent: 'Escalate', minScore: 7 }], repeatedFallback: 0 },
      routing: [{ when: {}, queueId: 'b' }, { when: { intent: 'Billing' } }, { when: { keyword: 'x' }, additionalProperties: { Tier: 2 } }],
    }));
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err.code).toBe('E_CONFIG');
    expect(err.problems.map((p) => p.path)).toEqual([
      'queueId', 'triggers.keywords.fr', 'triggers.patterns[1]', 'triggers.intents[0].minScore', 'triggers.repeatedFallback',
      'routing[0].when', 'routing[1]', 'routing[2].additionalProperties.Tier', 'quueId',
    ]);
    expect(err.message).toContain('9 problems');
    expect(err.message).toContain('`quueId` is not a known field. Did you mean "queueId"?');
    expect(err.message).toContain('`triggers.patterns[1]` is not a valid regular expression');
    expect(err.message).toContain('`triggers.intents[0].minScore` must be at most 1. Use a score from 0 to 1');
    expect(err.message).toContain('`triggers.repeatedFallback` must be at least 1. Use a whole number of turns');
    expect(err.message).toContain('`routing[0].when` has no condition. Give at least one of intent, keyword');
    expect(err.message).toContain('`routing[1]` does nothing. A rule needs a "when" and at least one of "queueId"');
    expect(err.message).toContain('`routing[2].additionalProperties.Tier` must be a string');
  });

  it('should read postAgentAssignment and name its fields and 8x8\'s ranges when they are wrong', () => {
    const handBack = { webhookId: 'bot-webhook', maxTotalMinutes: 300, userTimeoutInMinutes: 150 };
    expect(loadHandoffConfig({ postAgentAssignment: handBack }).postAgentAssignment).toEqual(handBack);
    const err = errorOf(() => loadHandoffConfig({ postAgentAssignment: { webhookId: '', maxTotalMinutes: 5, userTimoutInMinutes: 150 } }));
    expect(err.problems.map((p) => p.path)).toEqual(['postAgentAssignment.webhookId', 'postAgentAssignment.maxTotalMinutes', 'postAgentAssignment.userTimoutInMinutes']);
    expect(err.message).toContain('Did you mean "userTimeoutInMinutes"?');
  });

  it('should say the field has the wrong type and show the accepted shapes when a union gets a number', () => {
    const err = errorOf(() => loadHandoffConfig({ triggers: { keywords: 5, handoffInitiate: 'yes' } }));
    expect(err.problems).toEqual([
      { path: 'triggers.keywords', problem: 'has the wrong type', fix: expect.stringContaining('lists per locale') },
      { path: 'triggers.handoffInitiate', problem: 'has the wrong type', fix: expect.stringContaining('true, false or') },
    ]);
  });

  it('should reject a non-object and a missing rule condition with a root-level fix', () => {
    expect(errorOf(() => loadHandoffConfig(42)).problems[0]).toMatchObject({ path: '', problem: 'must be an object' });
    expect(errorOf(() => loadHandoffConfig({ routing: [{ queueId: 'q' }] })).problems[0]).toMatchObject({ path: 'routing[0].when', problem: 'is required' });
    expect(errorOf(() => loadHandoffConfig({ routing: [{ when: { intnt: 'A' }, queueId: 'q' }] })).problems.map((p) => p.fix)).toContainEqual(expect.stringMatching(/^Did you mean "intent"\?/));
  });

  it('should route with the loaded rules when a French keyword appears in the utterance', async () => {
    const config = loadHandoffConfig(example);
    const request = (await config.triggers[0]!.beforeTurn!(contextFor({ text: 'Ma facture, je veux un conseiller', locale: 'fr-FR' })))!;
    expect(routeEscalation(request, config.routing, { queueId: config.queueId! })).toEqual({ queueId: 'billing-fr', properties: {}, language: 'fr' });
  });
});
