import { buildConversationUser, languageOf, toAdditionalProperties } from '../../src/handoff/conversation-user';
import { isCancelPhrase, userEnding } from '../../src/handoff/ending';
import { renderNotice } from '../../src/handoff/notices';
import { classifyGatewayEvent } from '../../src/handoff/gateway-events';
import type { TurnContext } from 'botbuilder-core';

describe('renderNotice()', () => {
  it('should pick the most specific locale, then default, then the built-in text, and fill parameters', () => {
    const messages = { agentJoinedNamed: { default: '{agentName} is here', fr: '{agentName} est là', 'fr-ca': '{agentName} est arrivé' } };
    expect(renderNotice(messages, 'agentJoinedNamed', 'fr-CA', { agentName: 'Ada' })).toBe('Ada est arrivé');
    expect(renderNotice(messages, 'agentJoinedNamed', 'fr-FR', { agentName: 'Ada' })).toBe('Ada est là');
    expect(renderNotice(messages, 'agentJoinedNamed', 'de', { agentName: 'Ada' })).toBe('Ada is here');
    expect(renderNotice({}, 'agentLeft', 'de')).toBe('The agent left the conversation. You are chatting with the bot again.');
  });
});

describe('userEnding()', () => {
  const phrases = { default: ['cancel', 'end chat'], fr: ['annuler'] };
  it('should end on a whole cancel phrase, ignoring case, accents and punctuation, when the locale matches', () => {
    expect(isCancelPhrase('  End CHAT! ', phrases)).toBe(true);
    expect(isCancelPhrase('Annulér', phrases, 'fr-FR')).toBe(true);
    expect(isCancelPhrase('annuler', phrases, 'en-US')).toBe(false);
    expect(isCancelPhrase('please cancel my order', phrases)).toBe(false);
  });
  it('should end on endOfConversation and on the user leaving, not on the bot leaving', () => {
    expect(userEnding({ type: 'endOfConversation' }, phrases)).toBe('endOfConversation');
    expect(userEnding({ type: 'conversationUpdate', recipient: { id: 'bot', name: '' }, membersRemoved: [{ id: 'u1', name: '' }] }, phrases)).toBe('userLeft');
    expect(userEnding({ type: 'conversationUpdate', recipient: { id: 'bot', name: '' }, membersRemoved: [{ id: 'bot', name: '' }] }, phrases)).toBeUndefined();
  });
});

describe('buildConversationUser()', () => {
  it('should combine the channel account, locale, routing and resolver, with at most 30 string properties', () => {
    const context = { activity: { from: { id: 'u1', name: 'Ada' }, locale: 'zh-tw' } } as unknown as TurnContext;
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, String(i)]));
    const user = buildConversationUser(context, { properties: many }, { email: 'a@b.c' });
    expect(user).toMatchObject({ name: 'Ada', userId: 'u1', language: 'zh-TW', email: 'a@b.c' });
    expect(user.additionalProperties).toHaveLength(30);
    expect(user.additionalProperties![1]).toEqual({ key: 'k1', value: '1' });
    expect(languageOf('fr-FR')).toBe('fr');
    expect(toAdditionalProperties({ a: 'x' }, [{ key: 'a', value: 'y' }])).toEqual([{ key: 'a', value: 'y' }]);
  });
});

describe('classifyGatewayEvent()', () => {
  it('should drop echoes, non-agent messages and typing of nobody, and keep agent messages and legacy events', () => {
    const base = { conversationId: 'c', timestamp: 1 };
    expect(classifyGatewayEvent({ ...base, eventType: 'MESSAGE', data: { isEcho: true, sender: { type: 'agent' }, text: 'x' } }).kind).toBe('ignore');
    expect(classifyGatewayEvent({ ...base, eventType: 'MESSAGE', data: { sender: { type: 'user' }, text: 'x' } }).kind).toBe('ignore');
    expect(classifyGatewayEvent({ ...base, eventType: 'ACTIVITY', data: { name: 'typing', value: { users: [] } } }).kind).toBe('ignore');
    expect(classifyGatewayEvent({ ...base, eventType: 'MESSAGE', data: { sender: { type: 'agent' }, text: 'hi' } })).toMatchObject({ kind: 'relay', activity: { text: 'hi' } });
    expect(classifyGatewayEvent({ ...base, eventType: 'AGENT_JOINED', agentId: 'a', agentName: 'Ann' })).toMatchObject({ kind: 'lifecycle', event: { type: 'agentJoined', agentName: 'Ann' } });
    expect(classifyGatewayEvent({ ...base, eventType: 'AGENT_LEFT' })).toMatchObject({ kind: 'lifecycle', event: { type: 'agentLeft' } });
    expect(classifyGatewayEvent({ ...base, eventType: 'TEXT', message: 'legacy hi' })).toMatchObject({ kind: 'relay', activity: { text: 'legacy hi' } });
    expect(classifyGatewayEvent({ ...base, eventType: 'CONVERSATION_UPDATE', data: { state: 'idle' } })).toMatchObject({ event: { type: 'idle' } });
  });
});
