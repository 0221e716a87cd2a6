/**
 * The console's fidelity-profile switch, under `/console/api/fidelity`: `GET` returns the current
 * profile and the list; `POST { profile }` switches it for the events delivered from then on.
 */
import express, { Router } from 'express';
import { FIDELITY_PROFILES, isFidelityProfile, type FidelityProfile } from './fidelity';

/** Reads and sets the emulator's live profile. */
export interface FidelitySwitch {
  get(): FidelityProfile;
  set(profile: FidelityProfile): void;
}

/** The console router of the fidelity switch. */
export function fidelityConsole(profile: FidelitySwitch): Router {
  const router = Router();
  const json = express.json({ limit: '1kb' });
  const view = () => ({ profile: profile.get(), profiles: FIDELITY_PROFILES });
  router.get('/', (_req, res) => void res.json(view()));
  router.post('/', json, (req, res) => {
    const wanted = (req.body as { profile?: unknown } | undefined)?.profile;
    if (!isFidelityProfile(wanted)) return void res.status(400).json({ error: `profile must be one of ${FIDELITY_PROFILES.join(', ')}` });
    profile.set(wanted);
    res.json(view());
  });
  return router;
}
