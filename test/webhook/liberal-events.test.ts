/**
 * "Liberal in what we accept from 8x8" (issue 10): the example payloads of REFERENCE.md section 4,
 * read verbatim from ../shared, and every documented event type with arbitrary extra fields and
 * mistyped informational fields, through the real WebhookReceiver with real signatures: each is
 * acknowledged 2xx and classified exactly like its clean form.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { classifyGatewayEvent, type ClassifiedEvent } from '../../src/handoff/gateway-events';
import { silentLogger } from '../../src/logger';
import { guessContentType } from '../../src/transcript';
import type { ConversationEvent } from '../../src/webhook/events';
import { StaticJwkSource } from '../../src/webhook/jwk-source';
import { WebhookReceiver } from '../../src/webhook/receiver';
import { WebhookSigner } from '../support/webhook-signer';
import { describeNeedingShared } from '../support/openapi';

const NOW = 1_713_100_000_000;
const REFERENCE = path.resolve(__dirname, '../../../shared/8x8/REFERENCE.md');

let signer: WebhookSigner;
let receiver: WebhookReceiver;
let dispatched: ConversationEvent[] = [];
let eventId = 0;

beforeAll(async () => {
  signer = await WebhookSigner.start({ clock: () => NOW });
  receiver = new WebhookReceiver({
    keySource: new StaticJwkSource({ [signer.kid]: signer.publicKey }),
    clock: () => NOW,
    logger: silentLogger,
    onEvent: async (event) => void dispatched.push(event),
  });
});
afterAll(async () => {
  await signer.close();
});

/** Posts one body, signed, through the receiver; returns the status and the event it dispatched. */
async function deliver(body: unknown): Promise<{ status: number; result?: string; event?: ConversationEvent }> {
  dispatched = [];
  const signed = await signer.sign(body, { eventId: `liberal-${++eventId}` });
  const response = await receiver.handle(signed);
  return { status: response.status, result: response.body.result, event: dispatched[0] };
}

/** What an event means, without its dedupe key and telemetry (which legitimately differ between forms). */
function meaning(classified: ClassifiedEvent): unknown {
  if (classified.kind === 'ignore') return { kind: 'ignore' };
  if (classified.kind === 'relay') {
    const { type, text, attachments, suggestedActions } = classified.activity;
    // A file as the user will see it: its name, its content type, where it comes from.
    const files = classified.files?.map((f) => ({ id: f.id, name: f.fileName ?? f.id, contentType: guessContentType(f.fileName, f.type), preSignedUrl: f.preSignedUrl }));
    return { kind: 'relay', type, text, attachments, suggestedActions, files };
  }
  const { key: _key, ...event } = classified.event as { key?: string };
  return { kind: 'lifecycle', event };
}

/** The ```json blocks of REFERENCE.md section 4 (webhook calls), verbatim. */
function referenceExamples(): unknown[] {
  const text = fs.readFileSync(REFERENCE, 'utf8');
  const section = text.slice(text.indexOf('## 4. Webhook calls'), text.indexOf('## 5. Validating'));
  return [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as unknown);
}

describeNeedingShared(REFERENCE, "8x8's REFERENCE.md", 'the example payloads of REFERENCE.md section 4, verbatim', () => {
  const examples = referenceExamples();

  it('should find the documented examples (one per v1.0 event type)', () => {
    const types = examples.map((e) => (e as { eventType: string }).eventType);
    expect(types).toEqual(expect.arrayContaining(['CONVERSATION_UPDATE', 'QUEUED', 'MEMBERS_CHANGED', 'TRANSFER', 'MESSAGE', 'ACTIVITY', 'WEB_HOOK_VERIFY']));
  });

  it('should acknowledge each with 200 and dispatch every conversation event', async () => {
    for (const example of examples) {
      const { status, result, event } = await deliver(example);
      expect({ example, status }).toEqual({ example, status: 200 });
      if ((example as { eventType: string }).eventType === 'WEB_HOOK_VERIFY') expect(result).toBe('verified');
      else expect(event).toBeDefined();
    }
  });

  it('should relay the documented agent MESSAGE and its file, and the chat-workflow form with a blank sender type', async () => {
    const message = examples.find((e) => (e as { eventType: string }).eventType === 'MESSAGE') as { data: { sender: { type: string } } };
    const documented = await deliver(message);
    const relayed = classifyGatewayEvent(documented.event!);
    // The file is resolved when delivered (by id; see agent-files.ts): the classification keeps 8x8's description of it.
    expect(relayed).toMatchObject({ kind: 'relay', activity: { text: 'Hello, how can I help you?' }, files: [{ id: 'att-001', type: 'image', fileName: 'screenshot.png', preSignedUrl: 'https://storage.example.com/...' }] });
    const blank = await deliver({ ...message, data: { ...message.data, sender: { id: 'string', type: '' } } });
    expect(blank.status).toBe(200);
    expect(meaning(classifyGatewayEvent(blank.event!))).toEqual(meaning(relayed));
  });

  it('should end nothing but acknowledge the legacy worked example of section 5 (AGENT_JOINED)', async () => {
    const body = '{"eventType":"AGENT_JOINED","messageType":"SYSTEM","conversationId":"Aka5NMHU8MtIG7lUQOxI0DTOvM4","agentId":"cmalutan","agentName":"Cosmin,Malutan","timestamp":1629804577002}';
    const { status, event } = await deliver(body);
    expect(status).toBe(200);
    expect(classifyGatewayEvent(event!)).toMatchObject({ kind: 'lifecycle', event: { type: 'agentJoined', agentId: 'cmalutan', agentName: 'Cosmin,Malutan' } });
  });
});

/** One clean form per documented event type (v1.0 and legacy), with the informational fields it may carry. */
interface Form {
  event: Record<string, unknown>;
  /** Paths (dot-separated) of fields nothing acts on: they may come with any type. */
  informational: string[];
}

const FORMS: Form[] = [
  {
    event: { eventType: 'CONVERSATION_UPDATE', conversationId: 'c1', timestamp: NOW, data: { state: 'idle', assignment: { type: 'queue', id: 'q1', resourceId: 'r1' }, user: { name: 'Jo', email: 'jo@example.com', timezoneOffset: -60, ipaddress: '10.0.0.1', additionalProperties: [{ key: 'k', value: 'v', id: 'p1' }] }, msisdn: '+1', channel: 'ChatAPI' } },
    informational: ['data.user', 'data.user.name', 'data.user.timezoneOffset', 'data.user.ipaddress', 'data.user.additionalProperties', 'data.msisdn', 'data.channel', 'data.assignment.resourceId'],
  },
  {
    event: { eventType: 'CONVERSATION_UPDATE', conversationId: 'c1', timestamp: NOW, data: { state: 'active', assignment: { type: 'agent', id: 'agent-1' }, user: { name: 'Jo', timezoneOffset: 120, additionalProperties: [{ key: 'Tier', value: 'gold' }] } } },
    informational: ['data.user.timezoneOffset', 'data.user.additionalProperties', 'data.user.name', 'data.channel'],
  },
  { event: { eventType: 'QUEUED', conversationId: 'c1', timestamp: NOW, data: { queueId: 'q1', queueName: 'Support' } }, informational: ['data.queueId'] },
  { event: { eventType: 'MEMBERS_CHANGED', conversationId: 'c1', timestamp: NOW, data: { memberType: 'agent', change: 'joined', id: 'agent-1' } }, informational: ['data.extra'] },
  { event: { eventType: 'MEMBERS_CHANGED', conversationId: 'c1', timestamp: NOW, data: { memberType: 'agent', change: 'left', id: 'agent-1' } }, informational: ['data.name'] },
  { event: { eventType: 'MEMBERS_CHANGED', conversationId: 'c1', timestamp: NOW, data: { memberType: 'user', change: 'left', id: 'user' } }, informational: ['data.name'] },
  { event: { eventType: 'TRANSFER', conversationId: 'c1', timestamp: NOW }, informational: ['data', 'messageType'] },
  {
    event: { eventType: 'MESSAGE', conversationId: 'c1', timestamp: NOW, data: { isEcho: false, sender: { id: 'agent-1', type: 'agent' }, text: 'Hi', attachments: [{ id: 'a1', preSignedUrl: 'https://files.example.com/a1' }] } },
    informational: ['data.sender.id', 'data.sender.name', 'data.messageId', 'data.id', 'data.attachments.0.type'],
  },
  { event: { eventType: 'MESSAGE', conversationId: 'c1', timestamp: NOW, data: { isEcho: true, sender: { id: 'bot', type: 'bot' }, text: 'echo' } }, informational: ['data.sender.id', 'data.sender.name'] },
  { event: { eventType: 'MESSAGE', conversationId: 'c1', timestamp: NOW, data: { isEcho: false, sender: { id: 'u', type: 'user' }, text: 'from the customer' } }, informational: ['data.sender.id', 'data.messageId'] },
  { event: { eventType: 'ACTIVITY', conversationId: 'c1', timestamp: NOW, data: { name: 'typing', value: { users: [{ type: 'agent', id: 'agent-1' }] } } }, informational: [] },
  { event: { eventType: 'ACTIVITY', conversationId: 'c1', timestamp: NOW, data: { name: 'read-receipts', value: [{ timestamp: NOW, users: [] }] } }, informational: ['data.value'] },
  { event: { eventType: 'AGENT_JOINED', messageType: 'SYSTEM', conversationId: 'c1', agentId: 'a1', agentName: 'Ann', timestamp: NOW }, informational: ['messageType'] },
  { event: { eventType: 'AGENT_LEFT', messageType: 'SYSTEM', conversationId: 'c1', agentId: 'a1', agentName: 'Ann', timestamp: NOW }, informational: ['messageType', 'agentName'] },
  { event: { eventType: 'TEXT', messageType: 'AGENT', conversationId: 'c1', agentId: 'a1', agentName: 'Ann', message: 'hello', timestamp: NOW }, informational: ['messageType', 'agentName'] },
  { event: { eventType: 'QUEUED', messageType: 'SYSTEM', conversationId: 'c1', queueId: 'q1', queueName: 'Support', timestamp: NOW }, informational: ['messageType', 'queueId'] },
];

/** Any JSON value of a type other than the documented one: the mistyped informational field. */
const mistyped = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string(), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }));

/** Extra fields 8x8 might add: names nothing in the schemas uses. */
const extras = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).map((k) => `x_${k}`), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node: Record<string, unknown> = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) return;
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

/** Adds `extra` keys to the envelope and to every nested object of `data`. */
function withExtras(event: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (typeof value !== 'object' || value === null) return value;
    return { ...Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v)])), ...extra };
  };
  const copy = structuredClone(event);
  const out: Record<string, unknown> = { ...copy, ...extra };
  if (copy.data !== undefined) out.data = visit(copy.data);
  return out;
}

describe('documented events with extra and mistyped informational fields (property)', () => {
  it('should acknowledge 2xx and classify like the clean form', async () => {
    const clean = new Map<Form, unknown>();
    for (const form of FORMS) {
      const { status, event } = await deliver(form.event);
      expect(status).toBe(200);
      clean.set(form, meaning(classifyGatewayEvent(event!)));
    }
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FORMS),
        extras,
        fc.array(fc.tuple(fc.nat(), mistyped), { maxLength: 4 }),
        async (form, extra, changes) => {
          const variant = withExtras(form.event, extra);
          for (const [index, value] of changes) if (form.informational.length) setPath(variant, form.informational[index % form.informational.length]!, value);
          const { status, event } = await deliver(variant);
          expect(status).toBe(200);
          expect(meaning(classifyGatewayEvent(event!))).toEqual(clean.get(form));
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each(['valueOf', 'toString', 'constructor', '__proto__', 'hasOwnProperty'])('should acknowledge an event whose eventType is %s (an Object.prototype name) as unknown, not a 500', async (eventType) => {
    const { status, result, event } = await deliver({ eventType, conversationId: 'c1', timestamp: NOW, data: {} });
    expect(status).toBe(200);
    expect(result).not.toBe('processed');
    expect(event).toBeUndefined();
  });

  it('should acknowledge a MEMBERS_CHANGED with a change other than joined/left, and ignore it', async () => {
    const { status, event } = await deliver({ eventType: 'MEMBERS_CHANGED', conversationId: 'c1', timestamp: NOW, data: { memberType: 'agent', change: 'updated', id: 'agent-1' } });
    expect(status).toBe(200);
    expect(classifyGatewayEvent(event!).kind).toBe('ignore');
  });

  it('should still end on the idle of a CONVERSATION_UPDATE with a string timezoneOffset and non-string property values', async () => {
    const { status, event } = await deliver({
      eventType: 'CONVERSATION_UPDATE', conversationId: 'c1', timestamp: String(NOW),
      data: { state: 'idle', user: { timezoneOffset: '+02:00', additionalProperties: [{ key: 'VIP', value: true }, { key: 'Visits', value: 3 }] } },
    });
    expect(status).toBe(200);
    expect(classifyGatewayEvent(event!)).toMatchObject({ kind: 'lifecycle', event: { type: 'idle' } });
    expect(event!.timestamp).toBe(NOW);
    expect((event as { data: { user: { additionalProperties: unknown } } }).data.user.additionalProperties).toEqual([{ key: 'VIP', value: true }, { key: 'Visits', value: 3 }]);
  });

  it('should relay non-echo messages of every sender but the customer (agent, system, blank, missing, unknown)', async () => {
    for (const sender of [{ type: 'agent' }, { type: 'system' }, { type: '' }, {}, undefined, { type: 'supervisor' }, { type: 'AGENT' }]) {
      const { event } = await deliver({ eventType: 'MESSAGE', conversationId: 'c1', timestamp: NOW, data: { isEcho: false, sender, text: 'shown' } });
      expect({ sender, kind: classifyGatewayEvent(event!).kind }).toEqual({ sender, kind: 'relay' });
    }
    for (const sender of [{ type: 'user' }, { type: 'USER' }]) {
      const { event } = await deliver({ eventType: 'MESSAGE', conversationId: 'c1', timestamp: NOW, data: { isEcho: false, sender, text: 'mine' } });
      expect(classifyGatewayEvent(event!).kind).toBe('ignore');
    }
  });

  it('should still refuse (400) a known type whose acted-on field is broken', async () => {
    expect((await deliver({ eventType: 'MEMBERS_CHANGED', conversationId: 'c1', data: { memberType: 7, change: 'left' } })).status).toBe(400);
    expect((await deliver({ eventType: 'MESSAGE', conversationId: 'c1', data: { isEcho: 'no', text: 'x' } })).status).toBe(400);
  });
});
