import { el, api, time } from './dom.js';
import { follow } from './sse.js';

const EVENTS = {
  joined: (name) => `${name || 'An agent'} joined the conversation`,
  transferred: () => 'Transferred to another team',
  requeued: () => 'Back in the queue for the next agent',
  resolved: () => 'Resolved',
  abandoned: () => 'Closed',
};

/**
 * The conversation on an escalation, for either side: the list of entries (followed live, resuming after a drop) and
 * a form to send. base is '/api/v1/escalations/<id>' or '/api/v1/agent/escalations/<id>'; me is 'customer' or 'agent';
 * myName, for an agent, tells their own messages from those of the agents who held the escalation before.
 */
export function chat(container, { base, me, myName = null, token, onSystem = () => {} }) {
  const list = el('ol', { class: 'messages', 'aria-live': 'polite', 'aria-label': 'Conversation', id: 'messages' });
  const input = el('textarea', { id: 'message-text', rows: 2, maxlength: 2000, 'aria-label': 'Message',
    placeholder: 'Type a message; Enter sends, Shift+Enter for a new line' });
  const state = el('span', { class: 'status', id: 'chat-state' });
  const problem = el('p', { class: 'problem', role: 'alert', id: 'chat-problem' });
  const seen = new Set();

  async function send() {
    const text = input.value;
    if (!text.trim()) return;
    const answer = await api(token(), 'POST', `${base}/messages`, { text });
    if (answer.status === 201) {
      input.value = '';
      problem.textContent = '';
    } else {
      problem.textContent = answer.body?.detail ?? `Not sent (${answer.status})`;
    }
  }

  const form = el('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); send(); } },
    input, el('button', { type: 'submit', id: 'send' }, 'Send'), state);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); send(); }
  });
  container.replaceChildren(el('h2', {}, 'Conversation'), list, form, problem);

  const stream = follow(`${base}/messages/events`, token, {
    onEvent: (name, entry) => {
      if (seen.has(entry.id)) return false; // at least once: a resumed stream may repeat the last entry
      seen.add(entry.id);
      const system = entry.from === 'system';
      // After a transfer the agent reads what the agent before them wrote: theirs, under that agent's name.
      const mine = entry.from === me && (myName === null || !entry.name || entry.name === myName);
      const who = system ? '' : mine ? 'You' : (entry.name || (entry.from === 'agent' ? 'Agent' : 'Customer'));
      const text = system ? (EVENTS[entry.event] ?? (() => entry.event))(entry.name) : entry.text;
      list.append(el('li', { class: system ? 'system' : mine ? 'mine' : 'theirs', 'data-id': entry.id,
        'data-from': entry.from }, system ? '' : el('strong', {}, `${who}: `), text,
        el('span', { class: 'muted' }, ` ${time(entry.at)}`)));
      list.scrollTop = list.scrollHeight;
      if (system) onSystem(entry);
      return system && (entry.event === 'resolved' || entry.event === 'abandoned'); // the server ends there too
    },
    onState: (s) => { state.textContent = s === 'open' ? 'live' : s; },
  });
  return { stream, input, send };
}
