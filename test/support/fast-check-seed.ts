/**
 * Property tests draw fresh inputs on every local run, to keep exploring. `FC_SEED` pins them
 * (`.ci/run` sets it), so a red CI means a change broke something, not that a new seed found an old
 * edge. A failing run prints its seed and path: `FC_SEED=<seed> npx jest <file>` replays it.
 */
import fc from 'fast-check';

const seed = process.env.FC_SEED?.trim();
if (seed) {
  if (!/^-?\d+$/.test(seed)) throw new Error(`FC_SEED must be a whole number (fast-check's printed seed), got "${seed}"`);
  fc.configureGlobal({ seed: Number(seed) });
}
