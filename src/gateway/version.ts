/**
 * The `user-agent` this package sends to 8x8: `botbuilder-8x8-handoff/<version>`, so 8x8's event
 * log and support can tell which client version made a call.
 */
import fs from 'node:fs';
import path from 'node:path';

function readVersion(): string {
  // Same relative location from src/gateway (tests) and dist/gateway (published package).
  try {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'botbuilder-8x8-handoff' && typeof pkg.version === 'string') return pkg.version;
  } catch {
    // Bundled or unusual layouts: fall through to a neutral value.
  }
  return '0.0.0';
}

/** The package version read from package.json at load time. */
export const CLIENT_VERSION = readVersion();

/** The `user-agent` header value. */
export const USER_AGENT = `botbuilder-8x8-handoff/${CLIENT_VERSION}`;
