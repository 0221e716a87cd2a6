// The agent's typing indicator: starts on the first keystroke, stops after a pause or on send.

/** Default pause after which the agent counts as no longer typing. */
export const TYPING_IDLE_MS = 3000;

/**
 * `send(conversationId, isTyping)` performs the call. Returns `{ input(conversationId), stop() }`:
 * `input` on every keystroke (one "start" per burst), `stop` on send, switch or idle.
 */
export function createTypingController(send, idleMs = TYPING_IDLE_MS) {
  let typingIn = null;
  let timer;

  function stop() {
    clearTimeout(timer);
    if (!typingIn) return;
    const id = typingIn;
    typingIn = null;
    send(id, false);
  }

  function input(conversationId) {
    if (typingIn !== conversationId) {
      stop();
      typingIn = conversationId;
      send(conversationId, true);
    }
    clearTimeout(timer);
    timer = setTimeout(stop, idleMs);
  }

  return { input, stop };
}
