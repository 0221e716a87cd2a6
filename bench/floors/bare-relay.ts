/**
 * Floor: the least a bot can do to relay 8x8 agent messages. An express app takes the webhook's
 * JSON, looks the bot conversation up in a `Map`, answers 200, and sends the text with botbuilder's
 * `CloudAdapter.continueConversationAsync`. No signature check, no de-duplication, no storage, no
 * ordering or retries: what the handoff middleware adds on top is what the ratio measures.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConversationReference } from 'botbuilder';

/** A running bare relay. */
export interface BareRelay {
  url: URL;
  close(): Promise<void>;
}

/**
 * Starts the floor on 127.0.0.1:0. `references` maps each 8x8 conversation id to the bot
 * conversation its agent messages go to (the same conversations the middleware's rig connects).
 */
export async function startBareRelay(references: ReadonlyMap<string, Partial<ConversationReference>>): Promise<BareRelay> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const app = express();
  app.post('/api/8x8/webhook', express.json(), (req, res) => {
    const event = req.body as { conversationId?: string; data?: { text?: string } };
    const reference = event.conversationId ? references.get(event.conversationId) : undefined;
    res.status(200).json({ result: 'accepted' });
    if (!reference) return;
    void adapter
      .continueConversationAsync('', reference, async (context) => {
        await context.sendActivity({ type: 'message', text: event.data?.text });
      })
      .catch(() => undefined);
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/8x8/webhook`),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
