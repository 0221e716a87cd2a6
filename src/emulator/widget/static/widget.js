// The emulator's 8x8 web widget: opens a conversation (routed to the bot first), shows every
// message of it live (Server-Sent Events), sends text, files, card submits and quick replies.
'use strict';
(function () {
  const api = 'api/conversations';
  const $ = (id) => document.getElementById(id);
  let conversationId;
  let lastSnapshot;

  const STATUS_TEXT = { bot: 'Chatting with our assistant', queued: 'Waiting for an agent…', assigned: 'Chatting with an agent', ended: 'Chat ended' };
  const AUTHORS = { user: 'You', bot: 'Assistant', agent: 'Agent', system: '' };

  async function post(path, body) {
    const init = body instanceof FormData ? { method: 'POST', body } : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) };
    const res = await fetch(path, init);
    if (!res.ok && res.status !== 204) throw new Error((await res.json().catch(() => ({}))).error || `HTTP ${res.status}`);
    return res.status === 204 ? undefined : res.json();
  }

  function renderCard(card, message) {
    const holder = document.createElement('div');
    holder.className = 'msg__card';
    if (card.contentType !== 'application/vnd.microsoft.card.adaptive' || !window.AdaptiveCards) return holder;
    const adaptive = new window.AdaptiveCards.AdaptiveCard();
    adaptive.onExecuteAction = (action) => {
      if (card.actionSubmitted) return;
      const data = Object.assign({}, action.data || {});
      post(`${api}/${conversationId}/cards/${encodeURIComponent(card.id)}/submit`, { data }).catch(showError);
    };
    try {
      adaptive.parse(card.content);
      const element = adaptive.render();
      if (element) holder.appendChild(element);
    } catch (err) {
      holder.textContent = '[card]';
    }
    holder.dataset.cardId = card.id;
    holder.dataset.messageId = message.id;
    return holder;
  }

  function render(conversation) {
    lastSnapshot = conversation;
    $('status').textContent = STATUS_TEXT[conversation.status] || conversation.status;
    const log = $('log');
    log.replaceChildren();
    for (const m of conversation.messages) {
      const li = document.createElement('li');
      li.className = `msg msg--${m.authorType}`;
      li.dataset.author = m.authorType;
      const author = document.createElement('span');
      author.className = 'msg__author';
      author.textContent = AUTHORS[m.authorType] ?? m.authorType;
      li.appendChild(author);
      const text = document.createElement('span');
      text.className = 'msg__text';
      // Cards and quick replies carry a text fallback for channels that cannot show them: show the card instead.
      const visibleCards = m.cards.filter((c) => c.contentType === 'application/vnd.microsoft.card.adaptive');
      text.textContent = visibleCards.length ? '' : m.text.replace(/\nOptions: .*$/, '');
      li.appendChild(text);
      for (const a of m.attachments) {
        const link = document.createElement('a');
        link.href = a.url;
        link.target = '_blank';
        link.className = 'msg__file';
        link.textContent = `📎 ${a.filename}`;
        li.appendChild(document.createElement('br'));
        li.appendChild(link);
      }
      for (const card of visibleCards) li.appendChild(renderCard(card, m));
      log.appendChild(li);
    }
    log.scrollTop = log.scrollHeight;
    renderQuickReplies(conversation);
  }

  function renderQuickReplies(conversation) {
    const holder = $('quick-replies');
    holder.replaceChildren();
    const last = conversation.messages[conversation.messages.length - 1];
    const card = last && last.authorType !== 'user' ? last.cards.find((c) => c.contentType === 'application/8x8.quick.replies') : undefined;
    holder.hidden = !card;
    if (!card) return;
    for (const option of card.content.options || []) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = option.title;
      button.addEventListener('click', () => post(`${api}/${conversationId}/quick-reply`, { title: option.title, payload: option.data && option.data.postback }).catch(showError));
      holder.appendChild(button);
    }
  }

  function showError(err) {
    $('status').textContent = `Error: ${err.message}`;
  }

  function follow() {
    const source = new EventSource(`${api}/${conversationId}/events`);
    source.addEventListener('conversation', (e) => render(JSON.parse(e.data)));
  }

  $('start').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const { conversationId: id } = await post(api, { name: $('name').value, email: $('email').value });
      conversationId = id;
      document.body.dataset.conversationId = id;
      $('start').hidden = true;
      $('log').hidden = false;
      $('composer').hidden = false;
      follow();
      $('text').focus();
    } catch (err) {
      showError(err);
    }
  });

  $('composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('text').value;
    const file = $('file').files[0];
    if (!text.trim() && !file) return;
    try {
      if (file) {
        const form = new FormData();
        if (text.trim()) form.append('text', text);
        form.append('file', file, file.name);
        await post(`${api}/${conversationId}/messages`, form);
        $('file').value = '';
      } else {
        await post(`${api}/${conversationId}/messages`, { text });
      }
      $('text').value = '';
    } catch (err) {
      showError(err);
    }
  });

  $('file').addEventListener('change', () => {
    if ($('file').files[0]) $('composer').requestSubmit();
  });

  window.widget = { get conversationId() { return conversationId; }, get snapshot() { return lastSnapshot; } };
})();
