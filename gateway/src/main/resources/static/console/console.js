import { el, replace, $, api, demoToken, key, time } from '/shared/dom.js';
import { follow } from '/shared/sse.js';
import { chat } from '/shared/chat.js';
import { addressForm } from '/shared/address.js';

// The agent's desk: the queues of my skills live, claim with the reservation's countdown, accept or decline, the whole
// story of the escalation on one screen, the conversation, actions for the customer, transfer and resolve.
let token = sessionStorage.getItem('surge.agent.token');
const tokenNow = () => token;
const desk = (window.surgeDesk = {});
let current = null;
let countdown = null;
let agentName = null;

$('#signin-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const skills = $('#agent-skills').value.split(',').map((s) => s.trim()).filter(Boolean);
  token = await demoToken({ agentId: $('#agent-id').value.trim(), name: $('#agent-name').value.trim(), skills });
  sessionStorage.setItem('surge.agent.token', token);
  start();
});

function start() {
  $('#signin').hidden = true;
  $('#queues').hidden = false;
  const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  agentName = claims.name ?? null;
  $('#who').textContent = `${claims.name ?? claims.sub} · ${(claims.skills ?? []).join(', ')}`;
  desk.queues = follow('/api/v1/agent/queues/events', tokenNow, {
    onEvent: (name, data) => { if (data.queues) showQueues(data.queues); return false; },
    onState: (s) => { $('#queues-state').textContent = s === 'open' ? 'live' : s; },
  });
  setInterval(() => api(token, 'POST', '/api/v1/agent/heartbeat'), 30000);
  api(token, 'POST', '/api/v1/agent/heartbeat');
}

function showQueues(queues) {
  replace($('#queue-rows'), queues.map((q) => el('tr', { 'data-skill': q.skill },
    el('td', {}, q.skill), el('td', { class: 'depth' }, q.depth),
    el('td', {}, q.oldestWaitingSeconds == null ? '–' : `${q.oldestWaitingSeconds} s`),
    el('td', {}, q.held), el('td', {}, q.activeAgents))));
}

$('#claim').addEventListener('click', claim);
document.addEventListener('keydown', (e) => {
  if (!e.altKey) return;
  if (e.key === 'c') { e.preventDefault(); claim(); }
  if (e.key === 'a') { e.preventDefault(); $('#accept')?.click(); }
  if (e.key === 'm') { e.preventDefault(); $('#message-text')?.focus(); }
});

async function claim() {
  const answer = await api(token, 'POST', '/api/v1/agent/escalations/claim');
  if (answer.status === 204) { $('#claim-state').textContent = 'Nothing is waiting.'; return; }
  if (answer.status !== 200) { $('#claim-state').textContent = answer.body?.detail ?? `Claim failed (${answer.status})`; return; }
  $('#claim-state').textContent = '';
  current = answer.body;
  showStory(current);
  showOffer(current);
}

function showOffer(view) {
  const remaining = el('span', { id: 'countdown', role: 'timer' });
  const tick = () => {
    const left = Math.max(0, Math.round((new Date(view.reservationExpiresAt) - Date.now()) / 1000));
    remaining.textContent = `${left} s left to accept`;
    if (left === 0) { clearInterval(countdown); remaining.textContent = 'Reservation expired: it went back to its place.'; }
  };
  clearInterval(countdown);
  countdown = setInterval(tick, 250);
  tick();
  replace($('#work'), el('h2', {}, 'Offered to you'), el('div', { class: 'row' },
    el('button', { id: 'accept', onclick: accept }, 'Accept'),
    el('button', { id: 'decline', class: 'secondary', onclick: decline }, 'Decline'), remaining));
  $('#work').hidden = false;
  $('#accept').focus();
  openChat(view.id); // the story so far, readable before accepting (after a transfer: what was said before)
}

async function accept() {
  const answer = await api(token, 'POST', `/api/v1/agent/escalations/${current.id}/accept`);
  clearInterval(countdown);
  if (answer.status !== 200) { $('#work').append(el('p', { class: 'problem' }, answer.body?.detail ?? 'Could not accept.')); return; }
  current = { ...current, ...answer.body };
  showTools(current);
  openChat(current.id);
  $('#message-text')?.focus();
}

async function decline() {
  await api(token, 'POST', `/api/v1/agent/escalations/${current.id}/decline`);
  clearInterval(countdown);
  finish('Declined: back in its place in the queue.');
}

function openChat(id) {
  desk.chat?.stream.close();
  const section = $('#conversation');
  section.hidden = false;
  desk.chat = chat(section, { base: `/api/v1/agent/escalations/${id}`, me: 'agent', myName: agentName, token: tokenNow });
}

function part(title, value) {
  if (!value || typeof value !== 'object') return el('p', { class: 'muted' }, `${title}: missing`);
  return el('div', {}, el('h3', {}, title), el('dl', {}, Object.entries(value)
    .filter(([, v]) => v === null || typeof v !== 'object')
    .flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v ?? '–')])));
}

function showStory(view) {
  const context = view.context ?? {};
  const journey = context.journey ?? [];
  const failed = journey.filter((step) => step.status >= 400).length;
  replace($('#story'),
    el('h2', {}, `${view.reason} · ${view.tier} · ${view.channel}`),
    el('p', {}, view.message ?? ''),
    traceLine(view.traceId),
    view.transferNote ? el('p', { id: 'transfer-note' }, `Transfer note: ${view.transferNote}`) : null,
    part('Customer', context.customer), part('Account', context.account), part('Order', context.order),
    part('Shipment', context.shipment),
    el('h3', {}, `Journey (${failed} failed)`),
    el('ol', { id: 'journey' }, journey.map((step) => el('li', { class: step.status >= 400 ? 'failed' : '' },
      step.status >= 400 ? '✗ ' : '', `${time(step.at)} ${step.method} ${step.path} → ${step.status}`,
      step.by ? ` (by ${step.by})` : '', step.times ? ` ×${step.times}` : ''))),
    el('h3', {}, 'Earlier escalations'),
    el('ul', {}, (view.earlierEscalations ?? []).map((e) => el('li', {}, `${e.id} · ${new Date(e.createdAt).toLocaleString()}`))),
    el('h3', {}, 'What agents did'),
    el('ul', { id: 'agent-actions' }, (view.actions ?? []).map((a) => el('li', {}, `${a.action} by ${a.agentId} → ${a.status}`))));
  $('#story').hidden = false;
}

// The trace of the request that created the escalation: what to search the logs and traces for when the agent
// reports a case to engineering. Small and copyable; customers never get it.
function traceLine(traceId) {
  if (!traceId) return null;
  const copied = el('span', { class: 'status', role: 'status' });
  return el('p', { class: 'trace muted' }, 'Trace ', el('code', { id: 'trace-id' }, traceId), ' ',
    el('button', { type: 'button', class: 'secondary small', id: 'copy-trace', 'aria-label': 'Copy the trace id',
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(traceId);
          copied.textContent = 'copied';
        } catch {
          getSelection().selectAllChildren($('#trace-id')); // no clipboard access: selected, for Ctrl+C
          copied.textContent = 'selected: Ctrl+C copies it';
        }
      } }, 'Copy'), ' ', copied);
}

function showTools(view) {
  const lines = view.context?.order?.lines ?? [];
  const sku = el('select', { id: 'act-sku', 'aria-label': 'Line to return' },
    lines.map((l) => el('option', { value: l.sku }, `${l.sku} ${l.description ?? ''}`)));
  const result = el('p', { id: 'act-result', role: 'status' });
  const act = async (method, what, body) => {
    const answer = await api(token, method, `/api/v1/agent/escalations/${view.id}/${what}`,
      { orderId: view.orderId, ...body }, { 'Idempotency-Key': key() });
    result.className = answer.status < 300 ? '' : 'problem';
    result.textContent = answer.status < 300
      ? (what === 'returns' ? `Return ${answer.body.rma} made for the customer.` : 'Done for the customer.')
      : answer.body?.detail ?? `Refused (${answer.status})`;
    const fresh = await api(token, 'GET', `/api/v1/agent/escalations/${view.id}`);
    if (fresh.status === 200) showStory(fresh.body);
  };
  const skill = el('select', { id: 'transfer-skill', 'aria-label': 'Transfer to' },
    ['orders', 'returns', 'billing', 'general'].map((s) => el('option', { value: s }, s)));
  const note = el('input', { id: 'transfer-note-input', placeholder: 'Note for the next agent', 'aria-label': 'Transfer note' });
  const disposition = el('input', { id: 'disposition', value: 'resolved', 'aria-label': 'Disposition' });
  const notes = el('input', { id: 'resolve-notes', placeholder: 'Notes', 'aria-label': 'Notes' });
  replace($('#work'), el('h2', {}, 'Act'),
    view.orderId ? el('div', { class: 'row' },
      lines.length ? sku : null,
      lines.length ? el('button', { id: 'act-return', onclick: () => act('POST', 'returns',
        { lines: [{ sku: sku.value, quantity: 1 }], reason: 'damaged' }) }, 'Return 1 of this line') : null,
      el('button', { id: 'act-cancel', class: 'secondary', onclick: () => act('POST', 'cancellation', {}) }, 'Cancel order'))
      : el('p', { class: 'muted' }, 'No order on this escalation.'),
    view.orderId ? addressForm((address) => act('PUT', 'delivery-address', address)) : null,
    result,
    el('form', { class: 'row', onsubmit: async (e) => {
      e.preventDefault();
      const answer = await api(token, 'POST', `/api/v1/agent/escalations/${view.id}/transfer`,
        { skill: skill.value, note: note.value });
      if (answer.status === 200) finish('Transferred.'); else result.textContent = answer.body?.detail ?? 'Not transferred.';
    } }, skill, note, el('button', { type: 'submit', id: 'transfer' }, 'Transfer')),
    el('form', { class: 'row', onsubmit: async (e) => {
      e.preventDefault();
      const answer = await api(token, 'POST', `/api/v1/agent/escalations/${view.id}/resolve`,
        { disposition: disposition.value, notes: notes.value || null });
      if (answer.status === 200) finish('Resolved.'); else result.textContent = answer.body?.detail ?? 'Not resolved.';
    } }, disposition, notes, el('button', { type: 'submit', id: 'resolve' }, 'Resolve')));
}

function finish(message) {
  current = null;
  replace($('#work'), el('p', { id: 'work-done', role: 'status' }, message));
  $('#claim').focus();
}

if (token) start();
