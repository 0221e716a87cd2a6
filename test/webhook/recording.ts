/** Small honest fakes shared by the webhook suites: a recording logger and a recording store. */
import type { Logger } from '../../src/logger';
import { MemoryDedupeStore, type DedupeStore } from '../../src/webhook/dedupe';

/** A logger that keeps every line, to assert on what would reach a log sink. */
export class RecordingLogger implements Logger {
  readonly lines: Array<{ level: string; obj: object; msg?: string }> = [];
  debug(obj: object, msg?: string): void {
    this.lines.push({ level: 'debug', obj, msg });
  }
  info(obj: object, msg?: string): void {
    this.lines.push({ level: 'info', obj, msg });
  }
  warn(obj: object, msg?: string): void {
    this.lines.push({ level: 'warn', obj, msg });
  }
  error(obj: object, msg?: string): void {
    this.lines.push({ level: 'error', obj, msg });
  }
  /** Everything logged at `info` or above, serialised as a log sink would see it. */
  infoAndAbove(): string {
    return this.lines
      .filter((l) => l.level !== 'debug')
      .map((l) => JSON.stringify({ ...l.obj, msg: l.msg }, (_k, v: unknown) => (v instanceof Error ? { message: v.message, stack: v.stack } : v)))
      .join('\n');
  }
}

/** A real {@link MemoryDedupeStore} that also records which calls reached it. */
export class RecordingDedupeStore implements DedupeStore {
  readonly calls: string[] = [];
  /** When set, every call rejects with this error (a store outage). */
  failWith: Error | undefined;
  constructor(private readonly inner: DedupeStore = new MemoryDedupeStore()) {}
  async claim(key: string, leaseMs: number) {
    this.calls.push(`claim ${key}`);
    if (this.failWith) throw this.failWith;
    return this.inner.claim(key, leaseMs);
  }
  async complete(key: string, ttlMs: number) {
    this.calls.push(`complete ${key}`);
    if (this.failWith) throw this.failWith;
    return this.inner.complete(key, ttlMs);
  }
  async release(key: string) {
    this.calls.push(`release ${key}`);
    if (this.failWith) throw this.failWith;
    return this.inner.release(key);
  }
}
