// The customer page: Web Chat talking to the sample's local Direct Line (polling, no WebSocket).
(async function start() {
  const config = await (await fetch('/sample-config.json')).json();
  if (config.consoleUrl) {
    document.getElementById('console-url').href = config.consoleUrl;
    document.getElementById('agent-link').hidden = false;
  } else {
    document.getElementById('real-8x8').hidden = false;
  }
  if (config.widgetUrl) {
    document.getElementById('widget-url').href = config.widgetUrl;
    document.getElementById('widget-link').hidden = false;
  }

  // A fresh customer per page load; the id must match `from.id` of what Web Chat sends. The name
  // (from ?name=, or made up) travels as `from.name`, so the agent console tells customers apart.
  const userID = 'customer-' + Math.random().toString(36).slice(2, 12);
  const username = customerName();
  document.getElementById('customer-name').textContent = username;
  document.getElementById('who').hidden = false;
  const response = await fetch('/v3/directline/tokens/generate', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: { id: userID, name: username } }),
  });
  const { token } = await response.json();

  const directLine = window.WebChat.createDirectLine({
    domain: window.location.origin + '/v3/directline',
    token,
    webSocket: false,
    pollingInterval: 500,
  });
  window.WebChat.renderWebChat(
    {
      directLine,
      userID,
      username,
      locale: 'en-US',
      sendTypingIndicator: true,
      // 'attach' sends a picked file at once (Web Chat 4.18 otherwise waits for the Send button).
      styleOptions: { botAvatarInitials: 'Bot', userAvatarInitials: 'You', bubbleMaxWidth: 520, hideUploadButton: false, sendAttachmentOn: 'attach' },
    },
    document.getElementById('webchat'),
  );
  document.querySelector('#webchat > *')?.focus?.();
})();

/** The customer's name: `?name=` when given, else a made-up first name and initial. */
function customerName() {
  const given = new URLSearchParams(window.location.search).get('name');
  if (given && given.trim()) return given.trim().slice(0, 60);
  const first = ['Ada', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farah', 'Gus', 'Hana', 'Ivan', 'Jade', 'Kofi', 'Lena', 'Mateo', 'Nora', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Theo'];
  const pick = (list) => list[Math.floor(Math.random() * list.length)];
  return `${pick(first)} ${pick('ABCDEFGHJKLMNPRSTVW'.split(''))}.`;
}
