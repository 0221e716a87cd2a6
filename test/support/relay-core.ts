/**
 * An `AgentRelay` wired to its core (store, reducer, interpreter) as the middleware wires it, for
 * tests of the relay and the store on their own. A `created` effect only links the conversation.
 */
import { KeyedQueue } from '../../src/handoff/keyed-queue';
import { HandoffCore } from '../../src/handoff/interpreter';
import type { ResolvedHandoffOptions } from '../../src/handoff/options';
import { coreConfigOf } from '../../src/handoff/reduce';
import { AgentRelay, type RelayDeps } from '../../src/handoff/relay';
import { HandoffStore } from '../../src/handoff/store';

/** The relay, its store and core over `options.storage`; `idle()` waits for background drains. */
export function buildRelay(options: ResolvedHandoffOptions, deps: RelayDeps = {}) {
  const config = coreConfigOf(options);
  const store = new HandoffStore(options.storage, { namespace: options.namespace, core: config, onError: (error, where) => options.onError(error, { where: where ?? 'store.link' }) });
  const inFlight = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    const guarded = work.catch((error: unknown) => options.onError(error, { where: 'background' }));
    inFlight.add(guarded);
    void guarded.finally(() => inFlight.delete(guarded));
  };
  const core = new HandoffCore(store, options, track, config);
  const relay = new AgentRelay(store, core, options, new KeyedQueue(), deps);
  core.bind({
    // A create result only links here (no history to post, no held messages in these tests).
    created: async (botKey, gatewayConversationId) => void (await store.link(gatewayConversationId, botKey)),
    drain: (botKey) => relay.drain(botKey),
    send: (botKey, item) => relay.send(botKey, item),
    retryDrain: (botKey, inMs) => relay.retryLater(botKey, inMs),
    dropped: (botKey, item) => relay.dropped(botKey, item),
  });
  const idle = async () => {
    while (inFlight.size) await Promise.all([...inFlight]);
  };
  return { store, core, relay, idle };
}
