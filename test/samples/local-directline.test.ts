/**
 * The local Direct Line with the sample's echo bot behind a real CloudAdapter, all over HTTP on
 * 127.0.0.1 (no handoff middleware here: the full sample is covered by start-sample.test.ts).
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ConversationState, MemoryStorage } from 'botbuilder';
import { silentLogger } from '../../src/logger';
import { createBotAdapter } from '../../samples/echo-to-agent/src/bot-adapter';
import { EchoBot, WELCOME_TEXT } from '../../samples/echo-to-agent/src/bot/echo-bot';
import { mountLocalDirectLine } from '../../samples/echo-to-agent/src/directline/local-directline';
import { TestDirectLine } from './support/directline-client';

let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  const adapter = createBotAdapter(undefined, silentLogger);
  const bot = new EchoBot(new ConversationState(new MemoryStorage()));
  app.post('/api/messages', express.json(), (req, res) => adapter.process(req, res, (context) => bot.run(context)));
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mountLocalDirectLine(app, { baseUrl: base, bot: { id: 'echo-bot', name: 'Echo bot' }, logger: silentLogger });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('local Direct Line', () => {
  describe('POST /v3/directline/conversations', () => {
    it('should greet the user when the conversation starts', async () => {
      const dl = await TestDirectLine.start(`${base}/v3/directline`);
      await dl.botSays(WELCOME_TEXT);
    });

    it('should answer 401 when the token is missing or belongs to another conversation', async () => {
      const a = await TestDirectLine.start(`${base}/v3/directline`, 'user-a');
      const b = await TestDirectLine.start(`${base}/v3/directline`, 'user-b');
      const noToken = await fetch(`${base}/v3/directline/conversations/${a.conversationId}/activities?watermark=0`);
      const wrongToken = await fetch(`${base}/v3/directline/conversations/${a.conversationId}/activities?watermark=0`, {
        headers: { authorization: `Bearer ${b.token}` },
      });
      expect([noToken.status, wrongToken.status]).toEqual([401, 401]);
    });
  });

  describe('POST /v3/directline/conversations/:id/activities', () => {
    it('should echo the user activity back and then deliver the bot reply when the user sends a message', async () => {
      const dl = await TestDirectLine.start(`${base}/v3/directline`);
      const sent = await dl.say('hello there', { channelData: { clientActivityID: 'client-1' } });
      expect(sent.status).toBe(200);
      const reply = await dl.botSays('You said: hello there');
      const echoed = dl.seen.find((a) => a.id === sent.id)!;
      // Web Chat marks a message as sent when it polls back its own activity with its clientActivityID.
      expect(echoed).toMatchObject({ text: 'hello there', from: { id: 'dl_test_user', role: 'user' }, channelData: { clientActivityID: 'client-1' } });
      expect(reply).toMatchObject({ replyToId: sent.id, from: { role: 'bot' }, conversation: { id: dl.conversationId } });
      expect(dl.seen.indexOf(echoed)).toBeLessThan(dl.seen.indexOf(reply));
    });

    it('should keep watermarks so a poll returns only new activities when polled again', async () => {
      const dl = await TestDirectLine.start(`${base}/v3/directline`);
      await dl.botSays(WELCOME_TEXT);
      expect(await dl.poll()).toEqual([]);
      await dl.say('again');
      await dl.botSays('You said: again');
      expect(dl.seen.filter((a) => a.text === WELCOME_TEXT)).toHaveLength(1);
    });

    it('should run the offer-a-person dialog and send handoff.initiate when the user says help me and yes', async () => {
      const dl = await TestDirectLine.start(`${base}/v3/directline`);
      await dl.say('help me please');
      await dl.botSays(/Would you like to talk to a person\?/);
      await dl.say('yes');
      // Without the handoff middleware in front, the event reaches the channel as-is.
      const event = await dl.waitFor((a) => a.type === 'event' && a.name === 'handoff.initiate');
      expect(event.value).toMatchObject({ skill: 'support' });
    });
  });

  describe('POST /v3/directline/conversations/:id/upload', () => {
    it('should store the file, serve it back by URL and tell the bot when the user uploads an image', async () => {
      const dl = await TestDirectLine.start(`${base}/v3/directline`);
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      const sent = await dl.upload([{ name: 'photo.png', type: 'image/png', bytes: png }]);
      expect(sent.status).toBe(200);
      await dl.botSays(/You sent a file/);
      const message = dl.seen.find((a) => a.id === sent.id)!;
      expect(message.attachments).toEqual([expect.objectContaining({ name: 'photo.png', contentType: 'image/png' })]);
      const download = await fetch(message.attachments![0].contentUrl!);
      expect(download.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await download.arrayBuffer())).toEqual(png);
    });

    it('should answer 415 when the upload is not multipart', async () => {
      const dl = await TestDirectLine.start(`${base}/v3/directline`);
      const res = await fetch(`${base}/v3/directline/conversations/${dl.conversationId}/upload`, {
        method: 'POST', headers: { authorization: `Bearer ${dl.token}`, 'content-type': 'application/json' }, body: '{}',
      });
      expect(res.status).toBe(415);
    });
  });

  describe('POST /v3/conversations/:id/activities (connector)', () => {
    it('should drop a replyToId the conversation never saw when the bot sends proactively', async () => {
      const dl = await TestDirectLine.start(`${base}/v3/directline`);
      const sent = await dl.say('first');
      const post = (replyToId: string) => fetch(`${base}/v3/conversations/${dl.conversationId}/activities/${encodeURIComponent(replyToId)}`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: `reply to ${replyToId}` }),
      });
      await post('5f0c3d2e-synthetic-continue-conversation-id');
      await post(sent.id!);
      const unknown = await dl.botSays('reply to 5f0c3d2e-synthetic-continue-conversation-id');
      const known = await dl.botSays(`reply to ${sent.id}`);
      // Web Chat would hold an activity with an unknown replyToId for 5 s before showing it.
      expect(unknown.replyToId).toBeUndefined();
      expect(known.replyToId).toBe(sent.id);
    });

    it('should answer 404 when the bot writes to an unknown conversation', async () => {
      const res = await fetch(`${base}/v3/conversations/nope/activities`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'x' }),
      });
      expect(res.status).toBe(404);
    });
  });
});
