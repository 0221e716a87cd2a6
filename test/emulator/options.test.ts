import { ConfigurationError } from '../../src/errors';
import { resolveEmulatorOptions } from '../../src/emulator/options';
import { parseCliArgs } from '../../src/emulator/cli';
import { startEmulator } from '../../src/emulator';

describe('resolveEmulatorOptions()', () => {
  it('should apply the documented defaults', () => {
    const o = resolveEmulatorOptions();
    expect(o).toMatchObject({ port: 3979, host: '127.0.0.1', apiKey: 'emulator-api-key', channelId: 'emulator-channel', webhookId: 'emulator-webhook', queues: [{ id: 'support', name: 'Support' }] });
    expect(o.agents.map((a) => [a.id, a.name, a.queueIds])).toEqual([['agent-1', 'Alice Agent', ['support']], ['agent-2', 'Bob Agent', ['support']]]);
    expect(o.delivery).toEqual({ timeoutMs: 5000, retries: 5, baseDelayMs: 500 });
  });

  it.each([
    ['port', { port: 70000 }],
    ['queues', { queues: [] }],
    ['agents', { agents: [{ id: 'a', name: 'A', queueIds: ['nope'] }] }],
    ['webhookUrl', { webhookUrl: 'ftp://x' }],
    ['delivery.retries', { delivery: { retries: -1 } }],
    ['faults.apiErrors[0].status', { faults: { apiErrors: [{ path: '/x', status: 200 }] } }],
    ['fidelity', { fidelity: 'strict' }],
    ['fileLinkTtlMs', { fileLinkTtlMs: -5 }],
  ])('should reject a bad %s with a ConfigurationError naming it', (option, input) => {
    const error = (() => {
      try {
        resolveEmulatorOptions(input as never);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).option).toBe(option);
  });

  it('should make startEmulator reject before listening', async () => {
    await expect(startEmulator({ port: -1 })).rejects.toBeInstanceOf(ConfigurationError);
  });
});

describe('parseCliArgs()', () => {
  it('should read every flag, with repeatable queues', () => {
    expect(parseCliArgs(['--port', '4000', '--host', '0.0.0.0', '--api-key', 'k', '--webhook-url', 'http://h/w', '--queue', 'q1:First Queue', '--queue', 'q2'])).toEqual({
      port: 4000, host: '0.0.0.0', apiKey: 'k', webhookUrl: 'http://h/w', queues: [{ id: 'q1', name: 'First Queue' }, { id: 'q2', name: 'q2' }],
    });
    expect(parseCliArgs([])).toEqual({});
  });

  it('should read --fidelity and --file-link-ttl', () => {
    expect(parseCliArgs(['--fidelity', 'legacy', '--file-link-ttl', '1000'])).toEqual({ fidelity: 'legacy', fileLinkTtlMs: 1000 });
    expect(() => resolveEmulatorOptions(parseCliArgs(['--fidelity', 'nope']))).toThrow(/standard, blank-sender, id-only-files, legacy, loose-types, reordered/);
  });

  it('should throw on an unknown flag', () => {
    expect(() => parseCliArgs(['--nope'])).toThrow();
  });
});
