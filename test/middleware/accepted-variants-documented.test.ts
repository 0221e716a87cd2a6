/**
 * Issue 10, table-driven: every documented form of each webhook event, fed signed by the emulator
 * (`deliverEvent`) through the real express webhook (`handoff.webhook()`) into the middleware, in
 * a handoff at the stage the event belongs to. Each must get a 2xx and do what its clean form does.
 *
 * Where the forms come from, read at test time from ../shared/8x8 (never copied here):
 * - REFERENCE.md section 4: the JSON examples of 8x8's webhook pages, verbatim;
 * - REFERENCE.md section 5: the signature page's legacy AGENT_JOINED body, verbatim;
 * - 8x8's OpenAPI file: it has no event schemas, so its examples enter where events carry the
 *   same objects: the send-message request examples as a MESSAGE's data, and the example of a
 *   ConversationResult (built from its schema's `example` values) as a CONVERSATION_UPDATE's data;
 * - the variants REFERENCE.md describes in prose (blank sender type, id-only files, ACTIVITY
 *   names, user-side MEMBERS_CHANGED, the legacy Chat API v2 forms), built here as described.
 * Each form is sent twice: as documented, and "loosened" (unknown extra fields, a string
 * timestamp and timezoneOffset, non-string informational values), with the same expectation.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import yaml from 'js-yaml';
import { DEFAULT_MESSAGES } from '../../src/handoff';
import { triggers } from '../../src/triggers';
import { connectedUser, eventually, gatewayConversationOf, startHarness, testUser, type Harness, type TestUser } from './harness';

const SHARED = path.resolve(__dirname, '../../../shared/8x8');
const REFERENCE = path.join(SHARED, 'REFERENCE.md');
const SPEC = path.join(SHARED, 'chat-gateway-v1.oas.yml');
const HAVE_SHARED = fs.existsSync(REFERENCE) && fs.existsSync(SPEC);
if (!HAVE_SHARED) process.stdout.write(`[contract] skipped "documented webhook event forms": ${SHARED} has no REFERENCE.md and OpenAPI file (put ../shared/8x8 beside the project to run it)\n`);

const M = DEFAULT_MESSAGES;
type Json = Record<string, unknown>;

/** What the user (and the bot) should see after the event. */
type Expect =
  | { kind: 'relay'; text: string; check?: (reply: Partial<Activity>) => void | Promise<void> }
  | { kind: 'typing' }
  | { kind: 'notice'; text: string; ends: boolean }
  /** Nothing shown, and the handoff goes on (a later agent message still reaches the user). */
  | { kind: 'nothing' }
  /** `WEB_HOOK_VERIFY`: no conversation, only the 2xx. */
  | { kind: 'verify' };

interface Row {
  source: string;
  /** The body; its `conversationId` is replaced by the test conversation's. */
  event: Json;
  /** Where the handoff is when the event arrives: waiting in the queue, or with an agent. */
  stage: 'queued' | 'connected';
  expect: Expect;
}

// ---- the documented forms -------------------------------------------------------------------------

function referenceText(): string {
  return fs.readFileSync(REFERENCE, 'utf8');
}

/** The ```json blocks of REFERENCE.md section 4, by event type. */
function section4Examples(): Map<string, Json> {
  const text = referenceText();
  const section = text.slice(text.indexOf('## 4. Webhook calls'), text.indexOf('## 5. Validating'));
  const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as Json);
  return new Map(blocks.map((b) => [String(b.eventType), b]));
}

/** The legacy body of the signature page's worked check (REFERENCE.md section 5). */
function section5Body(): Json {
  const match = /the example body in the docs is `(\{[^`]+\})`/.exec(referenceText());
  if (!match) throw new Error('REFERENCE.md section 5 no longer quotes the worked-check body');
  return JSON.parse(match[1]!) as Json;
}

/** 8x8's OpenAPI file, loaded with js-yaml (REFERENCE.md: the stricter `yaml` package rejects it). */
function spec(): Json {
  return yaml.load(fs.readFileSync(SPEC, 'utf8')) as Json;
}

/** An instance of a schema from its `example` values (then `default`, then the first enum value), through $ref and allOf. */
function exampleOf(root: Json, schema: Json | undefined, depth = 0): unknown {
  if (!schema || depth > 8) return undefined;
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref.replace(/^#\//, '').split('/').reduce<unknown>((node, key) => (node as Json)?.[key], root) as Json;
    return exampleOf(root, target, depth + 1);
  }
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...schema.allOf.map((s) => exampleOf(root, s as Json, depth + 1) ?? {}));
  if (schema.type === 'array') {
    const item = exampleOf(root, schema.items as Json, depth + 1);
    return item === undefined ? [] : [item];
  }
  if (schema.properties) {
    const out: Json = {};
    for (const [key, value] of Object.entries(schema.properties as Json)) {
      const v = exampleOf(root, value as Json, depth + 1);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema['x-extensible-enum'])) return schema['x-extensible-enum'][0];
  return Array.isArray(schema.enum) ? schema.enum[0] : undefined;
}

function rows(): Row[] {
  const s4 = section4Examples();
  const oas = spec();
  const get = (type: string) => {
    const example = s4.get(type);
    if (!example) throw new Error(`REFERENCE.md section 4 has no ${type} example any more`);
    return example;
  };
  const sendExamples = ((((oas.components as Json).requestBodies as Json).SendMessageToConversationRequest as Json).content as Json)['application/json'] as { examples: Record<string, { value: Json }> };
  const { conversationMessage, conversationMessageWithExternalProviderPayload: external } = sendExamples.examples;
  const conversationResult = exampleOf(oas, ((oas.components as Json).schemas as Json).ConversationResult as Json) as Json;
  const agentMessage = (data: Json) => ({ eventType: 'MESSAGE', conversationId: 'ID-0', timestamp: 1713100000000, data: { isEcho: false, sender: { id: 'agent-abc-123', type: 'agent' }, ...data } });
  const documentedMessage = get('MESSAGE') as { data: Json };
  const agentJoined = M.agentJoined;
  const ends = (text: string): Expect => ({ kind: 'notice', text, ends: true });

  return [
    // REFERENCE.md section 4, verbatim.
    { source: 'REFERENCE 4: CONVERSATION_UPDATE (assigned to an agent)', event: get('CONVERSATION_UPDATE'), stage: 'queued', expect: { kind: 'notice', text: agentJoined, ends: false } },
    { source: 'REFERENCE 4: QUEUED', event: get('QUEUED'), stage: 'connected', expect: { kind: 'nothing' } },
    { source: 'REFERENCE 4: MEMBERS_CHANGED agent joined', event: get('MEMBERS_CHANGED'), stage: 'queued', expect: { kind: 'notice', text: agentJoined, ends: false } },
    { source: 'REFERENCE 4: TRANSFER', event: get('TRANSFER'), stage: 'connected', expect: { kind: 'notice', text: M.transferring, ends: false } },
    {
      source: 'REFERENCE 4: MESSAGE (agent, image with preSignedUrl, empty card)', event: get('MESSAGE'), stage: 'connected',
      // The file is not in the emulator, so the download by id fails and 8x8's own link is given; the empty card is skipped.
      expect: { kind: 'relay', text: 'Hello, how can I help you?', check: (reply) => expect(reply.attachments).toEqual([{ contentType: 'image/png', name: 'screenshot.png', contentUrl: 'https://storage.example.com/...' }]) },
    },
    { source: 'REFERENCE 4: ACTIVITY typing', event: get('ACTIVITY'), stage: 'connected', expect: { kind: 'typing' } },
    { source: 'REFERENCE 4: WEB_HOOK_VERIFY', event: get('WEB_HOOK_VERIFY'), stage: 'connected', expect: { kind: 'verify' } },
    // REFERENCE.md section 5, verbatim (a legacy body on a gateway page).
    { source: 'REFERENCE 5: legacy AGENT_JOINED of the signature page', event: section5Body(), stage: 'queued', expect: { kind: 'notice', text: 'Cosmin,Malutan joined the conversation.', ends: false } },
    // 8x8's OpenAPI file.
    {
      source: 'OpenAPI: send-message example (quick replies + Adaptive Card 1.3) as an agent MESSAGE', event: agentMessage(conversationMessage.value), stage: 'connected',
      expect: {
        kind: 'relay', text: String(conversationMessage.value.text),
        check: (reply) => {
          expect(reply.suggestedActions?.actions.map((a) => a.title)).toEqual(['option one', 'second option']);
          expect(reply.attachments).toEqual([expect.objectContaining({ contentType: 'application/vnd.microsoft.card.adaptive', content: expect.objectContaining({ version: '1.3' }) })]);
        },
      },
    },
    { source: 'OpenAPI: send-message example with externalProvider (no text) as an agent MESSAGE', event: agentMessage(external.value), stage: 'connected', expect: { kind: 'nothing' } },
    { source: 'OpenAPI: ConversationResult example (state idle) as CONVERSATION_UPDATE data', event: { eventType: 'CONVERSATION_UPDATE', conversationId: 'ID-0', timestamp: 1713100000000, data: conversationResult }, stage: 'connected', expect: ends(M.agentLeft) },
    // Forms REFERENCE.md section 4 describes in prose.
    { source: 'REFERENCE 4 (chat-workflow page): MESSAGE with sender type ""', event: { ...documentedMessage, data: { isEcho: false, sender: { id: 'string', type: '' }, text: 'blank sender type' } }, stage: 'connected', expect: { kind: 'relay', text: 'blank sender type' } },
    { source: 'REFERENCE 4: MESSAGE without a sender', event: { ...documentedMessage, data: { isEcho: false, text: 'no sender' } }, stage: 'connected', expect: { kind: 'relay', text: 'no sender' } },
    { source: 'REFERENCE 4: MESSAGE echo (the integration\'s own)', event: { ...documentedMessage, data: { isEcho: true, sender: { id: 'bot', type: 'bot' }, text: 'my own echo' } }, stage: 'connected', expect: { kind: 'nothing' } },
    { source: 'REFERENCE 4: MESSAGE from the customer', event: { ...documentedMessage, data: { isEcho: false, sender: { id: 'u', type: 'user' }, text: 'customer text' } }, stage: 'connected', expect: { kind: 'nothing' } },
    { source: 'REFERENCE 4: ACTIVITY adaptiveCard/action', event: { eventType: 'ACTIVITY', conversationId: 'ID-0', timestamp: 1713100000000, data: { name: 'adaptiveCard/action', value: { type: 'Action.Submit', data: { plan: 'gold' } } } }, stage: 'connected', expect: { kind: 'nothing' } },
    { source: 'REFERENCE 4: ACTIVITY quickReply/action', event: { eventType: 'ACTIVITY', conversationId: 'ID-0', timestamp: 1713100000000, data: { name: 'quickReply/action', value: { type: 'postback', data: { title: 'Yes', payload: 'yes' } } } }, stage: 'connected', expect: { kind: 'nothing' } },
    { source: 'REFERENCE 4: ACTIVITY read-receipts (value is an array)', event: { eventType: 'ACTIVITY', conversationId: 'ID-0', timestamp: 1713100000000, data: { name: 'read-receipts', value: [{ timestamp: 1713100000000, users: [{ id: 'agent-abc-123', type: 'agent' }] }] } }, stage: 'connected', expect: { kind: 'nothing' } },
    { source: 'REFERENCE 4: ACTIVITY interactive/reply (WhatsApp)', event: { eventType: 'ACTIVITY', conversationId: 'ID-0', timestamp: 1713100000000, data: { name: 'interactive/reply', value: { type: 'button_reply', button_reply: { id: 'btn-1', title: 'Yes' } } } }, stage: 'connected', expect: { kind: 'nothing' } },
    { source: 'REFERENCE 4: ACTIVITY typing stopped (empty users)', event: { eventType: 'ACTIVITY', conversationId: 'ID-0', timestamp: 1713100000000, data: { name: 'typing', value: { users: [] } } }, stage: 'connected', expect: { kind: 'nothing' } },
    {
      source: 'REFERENCE 4: CONVERSATION_UPDATE idle with ipaddress, timezoneOffset, property ids, msisdn, channel',
      event: { eventType: 'CONVERSATION_UPDATE', conversationId: 'ID-0', timestamp: 1713100000000, data: { state: 'idle', assignment: { type: 'queue', id: 'q', resourceId: 'r' }, user: { name: 'Jo', ipaddress: '10.0.0.1', timezoneOffset: -60, additionalProperties: [{ key: 'k', value: 'v', id: 'p1' }] }, msisdn: '+1234567890', channel: 'ChatAPI' } },
      stage: 'connected', expect: ends(M.agentLeft),
    },
    { source: 'REFERENCE 4: MEMBERS_CHANGED agent left', event: { eventType: 'MEMBERS_CHANGED', conversationId: 'ID-0', timestamp: 1713100000000, data: { memberType: 'agent', change: 'left', id: 'agent-1' } }, stage: 'connected', expect: ends(M.agentLeft) },
    { source: 'REFERENCE 4: MEMBERS_CHANGED user left (customer removed by 8x8)', event: { eventType: 'MEMBERS_CHANGED', conversationId: 'ID-0', timestamp: 1713100000000, data: { memberType: 'user', change: 'left', id: 'user' } }, stage: 'connected', expect: ends(M.userRemoved) },
    { source: 'REFERENCE 4: MEMBERS_CHANGED user joined', event: { eventType: 'MEMBERS_CHANGED', conversationId: 'ID-0', timestamp: 1713100000000, data: { memberType: 'user', change: 'joined', id: 'user' } }, stage: 'connected', expect: { kind: 'nothing' } },
    // The legacy Chat API v2 forms REFERENCE.md lists ("legacy event formats you may still see in docs").
    { source: 'REFERENCE 4 legacy: AGENT_LEFT', event: { eventType: 'AGENT_LEFT', messageType: 'SYSTEM', conversationId: 'ID-0', agentId: 'agent-1', agentName: 'Agent One', timestamp: 1713100000000 }, stage: 'connected', expect: ends(M.agentLeft) },
    { source: 'REFERENCE 4 legacy: TEXT', event: { eventType: 'TEXT', messageType: 'AGENT', conversationId: 'ID-0', agentId: 'agent-1', agentName: 'Agent One', message: 'legacy text', timestamp: 1713100000000 }, stage: 'connected', expect: { kind: 'relay', text: 'legacy text' } },
    { source: 'REFERENCE 4 legacy: flat QUEUED', event: { eventType: 'QUEUED', messageType: 'SYSTEM', conversationId: 'ID-0', queueId: 'q', queueName: 'Support', timestamp: 1713100000000 }, stage: 'connected', expect: { kind: 'nothing' } },
    { source: 'REFERENCE 4 legacy: TRANSFER with messageType', event: { eventType: 'TRANSFER', messageType: 'SYSTEM', conversationId: 'ID-0', timestamp: 1713100000000 }, stage: 'connected', expect: { kind: 'notice', text: M.transferring, ends: false } },
    { source: 'REFERENCE 4 legacy: WEB_HOOK_VERIFY v2.0', event: { notificationVersion: 'v2.0', eventType: 'WEB_HOOK_VERIFY' }, stage: 'connected', expect: { kind: 'verify' } },
  ];
}

/**
 * The same event with what 8x8 might add or type differently in fields nothing acts on: unknown
 * fields on the envelope, in `data` and its sender/user, a numeric-string timestamp, a string
 * timezoneOffset and non-string additionalProperties values.
 */
function loosened(event: Json): Json {
  const out: Json = { ...structuredClone(event), x8x8Trace: { hop: 1, region: ['eu'] } };
  if (typeof out.timestamp === 'number') out.timestamp = String(out.timestamp);
  if (typeof out.data === 'object' && out.data !== null && !Array.isArray(out.data)) {
    const data: Json = { ...(out.data as Json), x8x8Extra: [1, 'two', null] };
    if (typeof data.sender === 'object' && data.sender !== null) data.sender = { ...(data.sender as Json), avatar: 42 };
    if (typeof data.user === 'object' && data.user !== null) {
      const user = data.user as Json;
      data.user = { ...user, timezoneOffset: '-60', additionalProperties: [...((user.additionalProperties as unknown[]) ?? []), { key: 'visits', value: 3 }, { key: 'vip', value: true }] };
    }
    out.data = data;
  }
  return out;
}

// ---- running one row ------------------------------------------------------------------------------

(HAVE_SHARED ? describe : describe.skip)('every documented form of each webhook event, through the signed express webhook', () => {
  let h: Harness;
  let n = 0;

  beforeAll(async () => {
    h = await startHarness({ middleware: { triggers: [triggers.keywords(['agent'])] } });
  });
  afterAll(async () => {
    await h.close();
  });

  /** A user at `stage`, with the 8x8 conversation id. */
  async function userAt(stage: Row['stage']): Promise<{ user: TestUser; gatewayId: string; name: string }> {
    const name = `documented-${++n}`;
    if (stage === 'connected') return { ...(await connectedUser(h, name)), name };
    const user = testUser(h.adapter, name);
    await user.say('agent');
    const conversation = await gatewayConversationOf(h, name);
    await eventually(() => h.emulator.conversation(conversation.id)?.status === 'queued', 'queued');
    await eventually(() => h.bot.statuses.some((s) => s.conversation === name && s.state === 'accepted'), 'the handoff linked');
    return { user, gatewayId: conversation.id, name };
  }

  /** Sends the body signed through the real webhook route and checks 8x8 would count it delivered (2xx). */
  async function deliver(body: Json, gatewayId: string): Promise<void> {
    const event = body.conversationId === undefined ? body : { ...body, conversationId: gatewayId };
    const record = h.emulator.deliverEvent(event);
    const done = await h.emulator.waitForDelivery((d) => d.eventId === record.eventId && d.status !== 'pending');
    const code = done.attempts.at(-1)?.status ?? 0;
    expect({ status: done.status, success: code >= 200 && code < 300 }).toEqual({ status: 'delivered', success: true });
  }

  async function run(row: Row, body: Json): Promise<void> {
    const { user, gatewayId, name } = await userAt(row.stage);
    const before = user.replies().length;
    const typingBefore = user.replies().filter((a) => a.type === 'typing').length;
    await deliver(body, gatewayId);
    const { expect: want } = row;
    switch (want.kind) {
      case 'verify':
        return;
      case 'relay': {
        const reply = await user.waitFor((a) => a.type === 'message' && (a.text === want.text || a.text?.startsWith(`${want.text}\n`) === true), `"${want.text}" relayed`);
        await want.check?.(reply);
        return;
      }
      case 'typing':
        await eventually(() => user.replies().filter((a) => a.type === 'typing').length > typingBefore, 'a typing activity');
        return;
      case 'notice':
        await user.waitForText(want.text);
        if (!want.ends) return;
        await eventually(() => h.bot.statuses.some((s) => s.conversation === name && s.state === 'completed'), 'handoff.status completed');
        await user.say('hello bot');
        await user.waitForText('echo: hello bot');
        return;
      case 'nothing': {
        await h.handoff.whenIdle();
        // The handoff goes on: the agent's next message still reaches the user, and it is the only new message.
        await h.emulator.agent('agent-1').say(`still connected ${name}`, { conversationId: gatewayId });
        await user.waitForText(`still connected ${name}`);
        expect(user.replies().slice(before).filter((a) => a.type === 'message').map((a) => a.text)).toEqual([`still connected ${name}`]);
      }
    }
  }

  const table = HAVE_SHARED ? rows() : [];

  it('should cover every v1.0 event type and the legacy ones', () => {
    const types = new Set(table.map((r) => r.event.eventType));
    expect([...types].sort()).toEqual(['ACTIVITY', 'AGENT_JOINED', 'AGENT_LEFT', 'CONVERSATION_UPDATE', 'MEMBERS_CHANGED', 'MESSAGE', 'QUEUED', 'TEXT', 'TRANSFER', 'WEB_HOOK_VERIFY']);
  });

  it.each(table.map((row) => [row.source, row]))('%s: 2xx and the same behaviour as documented and loosened', async (_source, row) => {
    await run(row, row.event);
    await run(row, loosened(row.event));
  });
});
