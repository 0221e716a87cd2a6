/**
 * The customer chat page: static files, Web Chat's bundle served from node_modules (no CDN, so
 * the sandbox works offline), and the little JSON the page reads to link the agent console.
 */
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';

/** What the page shows besides the chat. */
export interface PageConfig {
  /** The agent console, when the embedded emulator runs; absent when talking to real 8x8. */
  consoleUrl?: string;
  /** The emulator's 8x8 web widget (the other flow: a customer on 8x8's own channel), when it runs. */
  widgetUrl?: string;
}

/** The sample's `public/` folder (the same relative place from `src/` and from `dist/`). */
export const PUBLIC_DIR = join(__dirname, '..', '..', 'public');

/** Web Chat's full browser bundle; its package `exports` hide `dist/`, so resolve from `lib/`. */
export function webChatBundlePath(): string {
  return join(dirname(require.resolve('botframework-webchat')), '..', 'dist', 'webchat.js');
}

/** Creates the router serving `/`, `/static/*`, `/vendor/webchat.js` and `/sample-config.json`. */
export function pageRoutes(config: PageConfig): Router {
  const router = express.Router();
  const bundle = webChatBundlePath();
  router.get('/', (_req, res) => res.sendFile(join(PUBLIC_DIR, 'index.html')));
  router.use('/static', express.static(PUBLIC_DIR, { index: false }));
  router.get('/vendor/webchat.js', (_req, res) => res.sendFile(bundle, { maxAge: '1h' }));
  router.get('/sample-config.json', (_req, res) => void res.json(config));
  return router;
}
