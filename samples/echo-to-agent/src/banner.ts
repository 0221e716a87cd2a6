/**
 * What the sample prints at startup: where to click and what to type.
 */

/** The facts the banner needs. */
export interface BannerFacts {
  chatUrl: string;
  consoleUrl?: string;
  /** The emulator's 8x8 web widget (customers on 8x8's own channels), when it runs. */
  widgetUrl?: string;
  /** Set when talking to a real 8x8 tenant. */
  gatewayUrl?: string;
  authOn: boolean;
  localChat: boolean;
  /** Where the server listens, as bound: an address such as `127.0.0.1`, or `all interfaces`. */
  listeningOn: string;
}

/** The startup lines. */
export function bannerLines(facts: BannerFacts): string[] {
  const lines = ['', 'echo-to-agent sample is running', ''];
  lines.push(`  Bot endpoint:    ${facts.chatUrl}/api/messages   (also works from the Bot Framework Emulator)`);
  lines.push(`  8x8 webhook:     ${facts.chatUrl}/api/8x8/webhook`);
  if (facts.localChat) lines.push(`  Customer chat:   ${facts.chatUrl}/`);
  if (facts.widgetUrl) lines.push(`  8x8 web widget:  ${facts.widgetUrl}   (a customer on 8x8's own channel: the bot answers first)`);
  if (facts.consoleUrl) lines.push(`  Agent console:   ${facts.consoleUrl}   (local 8x8 Chat Gateway emulator)`);
  if (facts.gatewayUrl) lines.push(`  8x8 Chat Gateway: ${facts.gatewayUrl}   (answer escalations in the 8x8 Agent Workspace)`);
  lines.push('');
  if (facts.authOn) {
    lines.push(`  Bot Framework auth is ON (MicrosoftAppId is set); listening on ${facts.listeningOn}.`);
    lines.push('  The local customer chat is off with auth on: talk to the bot through Azure Bot Service channels.');
  } else {
    lines.push(`  Bot Framework auth is OFF (no MicrosoftAppId): listening on ${facts.listeningOn} only. Do not expose this port.`);
  }
  if (facts.localChat) {
    lines.push('', '  Try it: open the customer chat and type anything (the bot echoes it), then type "agent".');
    lines.push(facts.consoleUrl
      ? '  In the agent console, pick an agent, accept the conversation and reply. "help me" -> "yes" escalates through handoff.initiate.'
      : '  Accept the chat in the 8x8 Agent Workspace and reply. "help me" -> "yes" escalates through handoff.initiate.');
  }
  lines.push('');
  return lines;
}
