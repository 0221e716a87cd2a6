/**
 * The emulator's own dependencies. A bot that only uses the middleware never needs an HTTP
 * framework, a multipart parser or a browser card renderer, so these are optional peer
 * dependencies of the package; this check turns their absence into one clear error at the
 * emulator's entry instead of a bare "Cannot find module" from deep inside it.
 */
import { HandoffError } from '../errors';

/** Packages the emulator and its agent console load (express 5, busboy, adaptivecards). */
export const EMULATOR_DEPENDENCIES = ['express', 'busboy', 'adaptivecards'] as const;

/** The emulator's packages that `resolve` cannot find (pure given `resolve`). */
export function missingEmulatorDependencies(resolve: (id: string) => string = require.resolve): string[] {
  return EMULATOR_DEPENDENCIES.filter((name) => {
    try {
      resolve(name);
      return false;
    } catch {
      return true;
    }
  });
}

/** Thrown when the emulator is loaded without its packages installed; `code` is `E_EMULATOR_DEPENDENCIES`. */
export class EmulatorDependenciesError extends HandoffError {
  /** The packages that are missing. */
  readonly missing: string[];

  constructor(missing: string[]) {
    super(
      'E_EMULATOR_DEPENDENCIES',
      `The 8x8 Chat Gateway emulator needs ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed. ` +
        'Install them where you use the emulator (a dev dependency is enough): npm install --save-dev express busboy adaptivecards',
    );
    this.missing = missing;
  }
}

/** Throws {@link EmulatorDependenciesError} when any of the emulator's packages is missing. */
export function assertEmulatorDependencies(resolve?: (id: string) => string): void {
  const missing = missingEmulatorDependencies(resolve);
  if (missing.length > 0) throw new EmulatorDependenciesError(missing);
}
