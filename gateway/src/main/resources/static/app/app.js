import { el, replace, $, api, demoToken, key, time } from '/shared/dom.js';
import { follow } from '/shared/sse.js';
import { chat } from '/shared/chat.js';
import { addressForm } from '/shared/address.js';

// The customer's page: orders and tracking, the actions an order allows now, and when one fails "talk to a person"
// prefilled from the answer's escalation offer; then the place in the queue live, and the conversation.
let token = sessionStorage.getItem('surge.customer.token');
const tokenNow = () => token;
const app = (window.surgeApp = {});

$('#signin-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  token = await demoToken({ customerId: $('#customer-id').value.trim() });
  sessionStorage.setItem('surge.customer.token', token);
  start();
});

async function start() {
  $('#signin').hidden = true;
  const me = await api(token, 'GET', '/api/v1/me');
  if (me.status !== 200) { $('#signin').hidden = false; return; }
  $('#who').textContent = `${me.body.name} · ${me.body.tier}`;
  const orders = await api(token, 'GET', '/api/v1/me/orders?limit=10');
  const list = $('#order-list');
  replace(list, (orders.body?.orders ?? []).map((o) => el('li', {},
    el('button', { class: 'secondary', 'data-order': o.id, onclick: () => showOrder(o.id) }, o.id),
    ` ${o.status} · ${o.total} ${o.currency} · ${new Date(o.placedAt).toLocaleDateString()}`)));
  $('#orders').hidden = false;
  const open = sessionStorage.getItem('surge.customer.escalation');
  if (open) followEscalation(open);
}

async function showOrder(orderId) {
  const [order, shipment, actions] = await Promise.all([
    api(token, 'GET', `/api/v1/me/orders/${encodeURIComponent(orderId)}`),
    api(token, 'GET', `/api/v1/me/orders/${encodeURIComponent(orderId)}/shipment`),
    api(token, 'GET', `/api/v1/me/orders/${encodeURIComponent(orderId)}/actions`),
  ]);
  const section = $('#order');
  const o = order.body ?? {};
  const s = shipment.status === 200 ? shipment.body : null;
  const a = actions.status === 200 ? actions.body : null;
  const buttons = [];
  if (a?.returns?.allowed) {
    const line = (a.returns.lines ?? []).find((l) => l.returnable > 0);
    if (line) buttons.push(el('button', { id: 'action-return', onclick: () => act(orderId, 'POST', 'returns',
      { lines: [{ sku: line.sku, quantity: 1 }], reason: 'damaged' }) }, `Return 1 × ${line.description ?? line.sku}`));
  }
  if (a?.cancellation?.allowed) {
    buttons.push(el('button', { id: 'action-cancel', onclick: () => act(orderId, 'POST', 'cancellation', {}) },
      'Cancel order'));
  }
  const address = a?.addressChange?.allowed
    ? addressForm((body) => act(orderId, 'PUT', 'delivery-address', body)) : null;
  replace(section,
    el('h2', {}, `Order ${o.id ?? orderId}`),
    el('dl', {}, el('dt', {}, 'Status'), el('dd', { id: 'order-status' }, o.status ?? '?'),
      el('dt', {}, 'Total'), el('dd', {}, `${o.total ?? ''} ${o.currency ?? ''}`),
      el('dt', {}, 'Delivers to'), el('dd', { id: 'order-address' }, addressText(o.deliveryAddress)),
      el('dt', {}, 'Shipment'), el('dd', {}, s ? `${s.status} · ${s.carrier} ${s.trackingNumber}` : 'not shipped')),
    el('h3', {}, 'What you can do now'),
    buttons.length || address ? el('div', {}, el('div', { class: 'row' }, buttons), address)
      : el('p', { class: 'muted' }, 'Nothing can be changed now.'),
    el('p', { id: 'action-result', role: 'status' }));
  section.hidden = false;
}

function addressText(a) {
  return a ? `${a.name}, ${a.street}, ${a.postalCode} ${a.city}, ${a.country}` : '–';
}

async function act(orderId, method, what, body) {
  const answer = await api(token, method, `/api/v1/me/orders/${encodeURIComponent(orderId)}/${what}`, body,
    { 'Idempotency-Key': key() });
  const result = $('#action-result');
  if (answer.status < 300) {
    result.className = '';
    result.textContent = what === 'returns' ? `Return ${answer.body.rma} made.` : 'Done.';
    return;
  }
  result.className = 'problem';
  result.textContent = answer.body?.detail ?? `It did not work (${answer.status}).`;
  if (answer.body?.escalation) offerPerson(answer.body.escalation);
}

// "Talk to a person", prefilled with what the app was told: the offer is sent as it came, the message editable.
function offerPerson(offer) {
  const message = el('textarea', { id: 'help-message', rows: 3, maxlength: 2000, 'aria-label': 'What happened' },
    offer.body.message ?? '');
  replace($('#help'), el('h2', {}, 'Talk to a person'),
    el('p', { class: 'muted' }, 'We will pass on what you tried, so you do not have to repeat it.'), message,
    el('div', { class: 'row' }, el('button', { id: 'talk', onclick: async () => {
      const answer = await api(token, offer.method, offer.href, { ...offer.body, message: message.value },
        { 'Idempotency-Key': key() });
      if (answer.status === 202) {
        sessionStorage.setItem('surge.customer.escalation', answer.body.id);
        followEscalation(answer.body.id);
      } else {
        $('#help').append(el('p', { class: 'problem' }, answer.body?.detail ?? `Not sent (${answer.status})`));
      }
    } }, 'Talk to a person')));
  $('#help').hidden = false;
  $('#talk').focus();
}

function followEscalation(id) {
  const help = $('#help');
  const place = el('p', { id: 'place', role: 'status' }, 'Waiting for the queue…');
  replace(help, el('h2', {}, 'Your request'), place);
  help.hidden = false;
  let talking = false;
  app.escalation = follow(`/api/v1/escalations/${id}/events`, tokenNow, {
    onEvent: (name, view) => {
      place.dataset.status = view.status;
      if (view.status === 'queued' || view.status === 'offered') {
        place.textContent = view.position
          ? `You are number ${view.position} in the queue; about ${Math.ceil((view.estimatedWaitSeconds ?? 0) / 60)} min.`
          : 'You are in the queue.';
      } else if (view.status === 'assigned') {
        place.textContent = `${view.agentName ?? 'An agent'} is with you.`;
      } else if (view.status === 'resolved') {
        place.textContent = 'Resolved. Thank you for your patience.';
        sessionStorage.removeItem('surge.customer.escalation');
      } else {
        place.textContent = view.status;
      }
      if (!talking) {
        talking = true;
        const section = $('#conversation');
        section.hidden = false;
        app.chat = chat(section, { base: `/api/v1/escalations/${id}`, me: 'customer', token: tokenNow });
      }
      return view.status === 'resolved' || view.status === 'abandoned';
    },
  });
}

if (token) start();
