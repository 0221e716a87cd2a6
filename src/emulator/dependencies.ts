/**
 * The emulator's own dependencies. A bot that only uses the middleware never needs an HTTP
 * framework, a multipart parser or a browser card renderer, so these are optional peer
 * dependencies of the package; this check turns their absence into one clear error at the
 * emulator's entry instead of a bare "Cannot find module" from deep inside it.
 */
import { readFileSync } from 'node:fs';
import { HandoffError } from '../errors';

/** Packages the emulator and its agent console load (express 5, busboy, adaptivecards). */
export const EMULATOR_DEPENDENCIES = ['express', 'busboy', 'adaptivecards'] as const;

/**
 * Lowest major version of each package the emulator works with. botbuilder itself installs
 * adaptivecards 1.2 (through botframework-schema), which the console's renderer cannot use.
 */
const MIN_MAJOR: Partial<Record<(typeof EMULATOR_DEPENDENCIES)[number], number>> = { adaptivecards: 3 };

/**
 * The emulator's packages that `resolve` cannot find, or finds too old (`adaptivecards (found
 * 1.2.3)`). `readVersion` reads an installed package's version (pure given both functions).
 */
export function missingEmulatorDependencies(
  resolve: (id: string) => string = require.resolve,
  readVersion: (name: string) => string | undefined = (name) => (JSON.parse(readFileSync(resolve(`${name}/package.json`), 'utf8')) as { version?: string }).version,
): string[] {
  const missing: string[] = [];
  for (const name of EMULATOR_DEPENDENCIES) {
    try {
      resolve(name);
    } catch {
      missing.push(name);
      continue;
    }
    const min = MIN_MAJOR[name];
    if (min === undefined) continue;
    let version: string | undefined;
    try {
      version = readVersion(name);
    } catch {
      continue; // no readable package.json: trust what resolved
    }
    if (version && Number(version.split('.')[0]) < min) missing.push(`${name} (found ${version}, needs ${min} or later)`);
  }
  return missing;
}

/** Thrown when the emulator is loaded without its packages installed; `code` is `E_EMULATOR_DEPENDENCIES`. */
export class EmulatorDependenciesError extends HandoffError {
  /** The packages that are missing. */
  readonly missing: string[];

  constructor(missing: string[]) {
    super(
      'E_EMULATOR_DEPENDENCIES',
      `The 8x8 Chat Gateway emulator needs packages that are not installed (or too old): ${missing.join(', ')}. ` +
        'Install them where you use the emulator (a dev dependency is enough): npm install --save-dev express@5 busboy@1 adaptivecards@3',
    );
    this.missing = missing;
  }
}

/** Throws {@link EmulatorDependenciesError} when any of the emulator's packages is missing. */
export function assertEmulatorDependencies(resolve?: (id: string) => string, readVersion?: (name: string) => string | undefined): void {
  const missing = missingEmulatorDependencies(resolve, readVersion);
  if (missing.length > 0) throw new EmulatorDependenciesError(missing);
}
