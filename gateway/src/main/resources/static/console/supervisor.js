import { el, replace, $, api, demoToken, time } from '/shared/dom.js';

// The supervisor's view: the queues and the agents present now, and how the contact center did over a window (speed
// of answer, abandonment, service level against its target, how right the wait estimates were, self-service and
// escalations), from GET /api/v1/ops/summary (role ops). Polled: the live queue feed is the agents' (role agent), and
// every figure here changes with each poll anyway.
const REFRESH_MS = 3000;
const DASH = '–';
let token = sessionStorage.getItem('surge.ops.token');
let windowName = sessionStorage.getItem('surge.ops.window') ?? '15m';
let timer = null;
let inFlight = false;
const board = (window.surgeSupervisor = { refreshes: 0, last: null });

$('#signin-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    // The demo identity provider mints an ops token as it mints agents' (POST /demo/tokens, loopback only).
    token = await demoToken({ opsId: $('#ops-id').value.trim() });
  } catch (failure) {
    $('#signin-problem').textContent = failure.message;
    return;
  }
  sessionStorage.setItem('surge.ops.token', token);
  start();
});

$('#window-form').addEventListener('submit', (e) => e.preventDefault());
$('#window-form').addEventListener('change', (e) => {
  windowName = e.target.value;
  sessionStorage.setItem('surge.ops.window', windowName);
  refresh();
});

function start() {
  $('#signin').hidden = true;
  $('#controls').hidden = false;
  const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  $('#who').textContent = claims.name ?? claims.sub ?? '';
  const chosen = document.querySelector(`input[name="window"][value="${windowName}"]`);
  if (chosen) chosen.checked = true;
  refresh();
  clearInterval(timer);
  timer = setInterval(() => { if (document.visibilityState !== 'hidden') refresh(); }, REFRESH_MS);
}

function signOut(message) {
  clearInterval(timer);
  token = null;
  sessionStorage.removeItem('surge.ops.token');
  for (const id of ['controls', 'now', 'answering', 'selfservice', 'escalations', 'protection']) $(`#${id}`).hidden = true;
  $('#signin').hidden = false;
  $('#signin-problem').textContent = message;
}

async function refresh() {
  if (inFlight || !token) return;
  inFlight = true;
  const asked = windowName;
  try {
    const answer = await api(token, 'GET', `/api/v1/ops/summary?window=${encodeURIComponent(asked)}`);
    if (answer.status === 401 || answer.status === 403) {
      signOut(answer.body?.detail ?? 'This token may not see the figures: sign in as a supervisor.');
      return;
    }
    if (answer.status !== 200 || !answer.body) {
      const detail = answer.body?.detail ?? `HTTP ${answer.status}`;
      $('#problem').textContent = `Not updated: ${detail.replace(/\.?$/, '.')} Trying again.`;
      return;
    }
    if (asked !== windowName) return; // the window changed meanwhile: its own refresh shows it
    $('#problem').textContent = '';
    show(answer.body);
    board.refreshes += 1;
    board.last = answer.body;
    $('#updated').textContent = `updated ${time(new Date().toISOString())}`;
  } catch {
    $('#problem').textContent = 'Not updated: the gateway cannot be reached. Trying again.';
  } finally {
    inFlight = false;
  }
}

// Any figure may be null (nothing happened in the window) or absent: shown as a dash, never NaN.
const known = (v) => typeof v === 'number' && Number.isFinite(v);
const count = (v) => (known(v) ? String(v) : DASH);
const percent = (v) => (known(v) ? `${Number((v * 100).toFixed(1))} %` : DASH);
function seconds(v) {
  if (!known(v)) return DASH;
  if (v < 120) return `${Number(v.toFixed(1))} s`;
  return `${Math.floor(v / 60)} min ${Math.round(v % 60)} s`;
}

function show(data) {
  $('#span').textContent = data.from && data.to ? `${time(data.from)} – ${time(data.to)}` : '';
  showNow(data.now ?? {});
  showQueue(data.queue ?? {});
  showSelfService(data.selfService ?? {});
  showEscalations(data.escalations ?? {});
  showProtection(data.protection);
}

function showNow(now) {
  $('#agents-present').textContent = count(now.agentsPresent);
  const queues = now.queues ?? [];
  replace($('#now-queues'), queues.length ? queues.map((q) => el('tr', { 'data-skill': q.skill },
    el('th', { scope: 'row' }, q.skill), el('td', { class: 'num depth' }, count(q.depth)),
    el('td', { class: 'num oldest' }, seconds(q.oldestWaitSeconds))))
    : el('tr', {}, el('td', { colspan: 3, class: 'muted' }, 'No queue has anyone waiting or anyone to answer.')));
  $('#now').hidden = false;
}

function serviceLevel(f) {
  const cell = el('td', { class: 'num service-level' }, percent(f.serviceLevel));
  if (known(f.serviceLevel) && known(f.serviceLevelTarget)) {
    const below = f.serviceLevel < f.serviceLevelTarget;
    cell.classList.add(below ? 'below-target' : 'at-target');
    // Not by colour alone: the words say it too.
    cell.append(el('span', { class: 'target' }, below ? ` below ${percent(f.serviceLevelTarget)}`
      : ` target ${percent(f.serviceLevelTarget)}`));
  }
  return cell;
}

function queueRow(skill, f) {
  return el('tr', { 'data-skill': skill },
    el('th', { scope: 'row' }, skill === 'overall' ? 'All queues' : skill),
    el('td', { class: 'num answered' }, count(f.answered)),
    el('td', { class: 'num abandoned' }, count(f.abandoned)),
    el('td', { class: 'num speed-of-answer' }, seconds(f.averageSpeedOfAnswerSeconds)),
    el('td', { class: 'num abandonment' }, percent(f.abandonmentRate)),
    el('td', { class: 'num time-to-abandon' }, seconds(f.averageTimeToAbandonSeconds)),
    serviceLevel(f),
    el('td', { class: 'num wait-accuracy' }, percent(f.waitAccuracy)));
}

function showQueue(queue) {
  const overall = queue.overall ?? {};
  const skills = Object.entries(queue.bySkill ?? {}).sort(([a], [b]) => a.localeCompare(b));
  replace($('#queue-rows'), queueRow('overall', overall), skills.map(([skill, f]) => queueRow(skill, f ?? {})));
  $('#service-level-rule').textContent = known(overall.serviceLevelThresholdSeconds)
    ? `Service level: answered within ${overall.serviceLevelThresholdSeconds} s, of those answered or abandoned after it; `
      + `target ${percent(overall.serviceLevelTarget)}.` : '';
  $('#answering').hidden = false;
}

function figures(pairs) {
  return el('dl', {}, pairs.flatMap(([label, value, id]) => [el('dt', {}, label), el('dd', { id }, value)]));
}

function breakdown(title, values, format = count) {
  const entries = Object.entries(values ?? {});
  return el('div', {}, el('h3', {}, title), entries.length
    ? el('ul', {}, entries.sort(([, a], [, b]) => (b ?? 0) - (a ?? 0)).map(([k, v]) => el('li', {}, `${k}: ${format(v)}`)))
    : el('p', { class: 'muted' }, 'none'));
}

function showSelfService(s) {
  const sessions = s.sessions ?? {};
  const actions = s.actions ?? [];
  replace($('#selfservice-body'),
    figures([['Active customers', count(s.activeCustomers), 'active-customers'],
      ['Escalated customers', count(s.escalatedCustomers), 'escalated-customers'],
      ['Contained (customers)', percent(s.containment), 'containment'],
      ['Sessions active / escalated', `${count(sessions.active)} / ${count(sessions.escalated)}`, 'sessions'],
      ['Contained (sessions)', percent(sessions.containment), 'session-containment']]),
    el('table', {}, el('caption', {}, 'Actions'),
      el('thead', {}, el('tr', {}, ['Action', 'Attempted', 'Applied', 'By the customer', 'Contained',
        'Done without a person'].map((h, i) => el('th', { scope: 'col', class: i ? 'num' : '' }, h)))),
      el('tbody', {}, actions.map((a) => el('tr', { 'data-action': a.action }, el('th', { scope: 'row' }, a.action),
        el('td', { class: 'num' }, count(a.attempted)), el('td', { class: 'num' }, count(a.applied)),
        el('td', { class: 'num' }, count(a.appliedByCustomer)), el('td', { class: 'num' }, percent(a.containment)),
        el('td', { class: 'num' }, percent(a.doneWithoutPerson)))))));
  $('#selfservice').hidden = false;
}

function showEscalations(e) {
  const steps = e.failedSteps ?? [];
  replace($('#escalations-body'),
    figures([['Created', count(e.created), 'escalations-created']]),
    el('div', { class: 'row breakdowns' }, breakdown('By reason', e.byReason), breakdown('By channel', e.byChannel),
      breakdown('By tier', e.byTier), breakdown('Rate by tier', e.rateByTier, percent)),
    el('h3', {}, 'Where self-service failed'),
    steps.length ? el('ol', { id: 'failed-steps' }, steps.map((s) => el('li', { class: 'failed' },
      `${s.step}: ${count(s.count)} (${percent(s.share)})`)))
      : el('p', { class: 'muted' }, 'No failed step before an escalation.'));
  $('#escalations').hidden = false;
}

// Its fields are the protection figures of docs/metrics.md; shown as they come, nested lists for nested objects.
function generic(value, depth = 0) {
  if (value === null || value === undefined) return DASH;
  if (typeof value === 'number') return known(value) ? String(Number(value.toFixed(3))) : DASH;
  if (typeof value !== 'object') return String(value);
  if (depth > 3) return '…';
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i + 1), v]) : Object.entries(value);
  return el('dl', {}, entries.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, generic(v, depth + 1))]));
}

function showProtection(protection) {
  if (protection === undefined) return;
  replace($('#protection-body'), generic(protection));
  $('#protection').hidden = false;
}

if (token) start();
