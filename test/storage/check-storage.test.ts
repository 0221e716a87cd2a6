/**
 * checkStorage / assertStorageCapabilities: a Storage that lacks what the core needs is named, with
 * the missing capability, before any handoff record is written.
 */
import { MemoryStorage, type Storage, type StoreItems } from 'botbuilder';
import { ConfigurationError } from '../../src/errors';
import { resolveHandoffOptions } from '../../src/handoff/options';
import { assertStorageCapabilities, checkStorage } from '../../src/storage';

/** A Storage that drops eTags on read and ignores them on write (a plain key-value store). */
class NoETagStorage implements Storage {
  private readonly items = new Map<string, string>();
  async read(keys: string[]): Promise<StoreItems> {
    return Object.fromEntries(keys.filter((k) => this.items.has(k)).map((k) => [k, JSON.parse(this.items.get(k)!)]));
  }
  async write(changes: StoreItems): Promise<void> {
    for (const [k, { eTag: _eTag, ...value }] of Object.entries(changes)) this.items.set(k, JSON.stringify(value));
  }
  async delete(keys: string[]): Promise<void> {
    for (const k of keys) this.items.delete(k);
  }
}

/** Returns eTags but never refuses a stale one (last writer wins). */
class IgnoresETagStorage extends NoETagStorage {
  override async read(keys: string[]): Promise<StoreItems> {
    const items = await super.read(keys);
    for (const item of Object.values(items)) item.eTag = String(Math.random());
    return items;
  }
}

describe('checkStorage()', () => {
  it('should find eTags in MemoryStorage, and no createIfAbsent', async () => {
    const storage = new MemoryStorage();
    const found = await checkStorage(storage, { key: 'probe' });
    expect(found).toEqual({ eTags: true, createIfAbsent: false, problems: [expect.stringMatching(/^createIfAbsent: /)] });
    expect(await storage.read(['probe'])).toEqual({});
  });

  it('should name missing eTags and eTags that are not enforced', async () => {
    expect((await checkStorage(new NoETagStorage())).problems[0]).toMatch(/^eTags: reads return no eTag/);
    const ignored = await checkStorage(new IgnoresETagStorage());
    expect(ignored.eTags).toBe(false);
    expect(ignored.problems[0]).toMatch(/^eTags: a write with a stale eTag was accepted/);
  });
});

describe('assertStorageCapabilities()', () => {
  it('should reject a Storage without eTags with a ConfigurationError naming `storage` and the capability', async () => {
    const error = await assertStorageCapabilities(new NoETagStorage()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).option).toBe('storage');
    expect((error as Error).message).toMatch(/lacks eTags: reads return no eTag.*Use a Storage with eTag compare-and-set/);
  });

  it('should accept MemoryStorage for one instance and refuse it, naming createIfAbsent, for several', async () => {
    await expect(assertStorageCapabilities(new MemoryStorage())).resolves.toMatchObject({ eTags: true });
    await expect(assertStorageCapabilities(new MemoryStorage(), { instances: 2 })).rejects.toThrow(/`storage`: lacks createIfAbsent: no atomic create.*Use RedisStorage/);
  });
});

describe('HandoffMiddleware options at construction', () => {
  const base = {
    gateway: { createConversation: jest.fn(), sendMessage: jest.fn(), uploadAttachment: jest.fn(), sendTyping: jest.fn(), removeUser: jest.fn() },
    channelId: 'c', queueId: 'q', adapter: { continueConversationAsync: jest.fn() }, botAppId: '',
  };
  const warnings = (storage: Storage, instanceId?: string) => {
    const lines: Array<{ obj: object; msg?: string }> = [];
    const logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (obj: object, msg?: string) => void lines.push({ obj, msg }) };
    resolveHandoffOptions({ ...base, storage, instanceId, logger } as never);
    return lines;
  };

  it('should name the missing createIfAbsent when an instance id says there are several instances', () => {
    const lines = warnings(new MemoryStorage(), 'bot-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.obj).toEqual({ capability: 'createIfAbsent' });
    expect(lines[0]!.msg).toMatch(/lacks createIfAbsent.*Use RedisStorage, or run one instance/);
  });

  it('should say nothing for one instance, or for a Storage with createIfAbsent', () => {
    expect(warnings(new MemoryStorage())).toEqual([]);
    const atomic = Object.assign(new MemoryStorage(), { createIfAbsent: async () => true });
    expect(warnings(atomic, 'bot-1')).toEqual([]);
  });
});
