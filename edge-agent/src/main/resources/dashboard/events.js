// The events page: the journal's events filtered by room, type, time range (school time) and
// card, newest first, with "load older" paging by the API's cursor, and a CSV export of the same
// filter. The filter lives in the page's URL, so a reload or a shared link shows the same events.
import { h, language, metricName, number, t, tOr } from './format.js';
import { goToLogin } from './session.js';
import { browserZone, instantToLocalInput, localInputToInstant, zonedDateTime } from './zonedtime.js';

const PAGE_SIZE = 100;
const TYPES = ['access.decision', 'access.mode', 'alarm.raised', 'alarm.cleared', 'reader.status', 'reader.alert',
  'sensor.availability', 'room.occupancy_reset', 'agent.lifecycle', 'sensor.aggregate', 'sensor.reading'];
/** Payload fields shown in their own columns, or in the result. */
const SHOWN = new Set(['card', 'person', 'room', 'granted', 'reason', 'roomType']);
const DETAILS_MAX = 160;

/** The filter in the page's URL: type '' is every event but raw sensor data, 'all' everything. */
function filterFromUrl() {
  const q = new URLSearchParams(window.location.search);
  return {
    room: q.get('room') || '', type: q.get('type') || '', since: q.get('since') || '', until: q.get('until') || '',
    card: q.get('card') || '',
  };
}

/** The API's parameters for a filter. */
function apiParams(f) {
  const p = new URLSearchParams();
  if (f.room) {
    p.set('room', f.room);
  }
  if (f.type === '') {
    p.set('stream', 'priority');
  } else if (f.type !== 'all') {
    p.set('type', f.type);
  }
  for (const k of ['since', 'until', 'card']) {
    if (f[k]) {
      p.set(k, f[k]);
    }
  }
  return p;
}

async function errorText(response) {
  try {
    const body = await response.json();
    return body.message || body.error || ('HTTP ' + response.status);
  } catch (e) {
    return 'HTTP ' + response.status;
  }
}

export class EventsPage {
  constructor(main) {
    this.main = main;
    this.filter = filterFromUrl();
    this.zone = browserZone();
    this.zoneKnown = false;
    this.rooms = [];
    this.events = [];
    this.next = null;
    this.state = 'loading';
    this.error = null;
    this.renderAll();
  }

  async start() {
    await Promise.all([this.loadRooms(), this.load(false)]);
  }

  async loadRooms() {
    try {
      const response = await fetch('/api/rooms', { cache: 'no-store', headers: { Accept: 'application/json' } });
      if (response.ok) {
        this.rooms = (await response.json()).rooms.map((r) => ({ id: r.id, name: r.name || r.id }));
        this.renderAll();
      }
    } catch (e) {
      // The room filter still offers the room in the URL; the table shows room ids.
    }
  }

  /** Fetches the first page of the filter, or with older=true the page after the last shown. */
  async load(older) {
    const params = apiParams(this.filter);
    params.set('limit', String(PAGE_SIZE));
    if (older && this.next) {
      params.set('before', this.next);
    }
    this.state = 'loading';
    this.renderStatus();
    let response;
    try {
      response = await fetch('/api/events?' + params, { cache: 'no-store', headers: { Accept: 'application/json' } });
    } catch (e) {
      this.fail(t('events.unreachable'));
      return;
    }
    if (response.status === 401) {
      goToLogin();
      return;
    }
    if (!response.ok) {
      this.fail(t('events.failed', { error: await errorText(response) }));
      return;
    }
    const body = await response.json();
    if (body.timeZone && (!this.zoneKnown || body.timeZone !== this.zone)) {
      this.zone = body.timeZone;
      this.zoneKnown = true;
    }
    this.events = older ? this.events.concat(body.events) : body.events;
    this.next = body.next;
    this.state = 'ready';
    this.error = null;
    this.renderAll();
  }

  fail(message) {
    this.state = 'error';
    this.error = message;
    this.renderStatus();
  }

  /** Reads the form into a filter; shows what is wrong instead if something is. */
  submit(form) {
    const from = form.elements.from.value;
    const to = form.elements.to.value;
    const since = from ? localInputToInstant(from, this.zone) : '';
    const until = to ? localInputToInstant(to, this.zone) : '';
    if (since === null || until === null) {
      this.fail(t('events.badTime'));
      return;
    }
    if (since && until && until <= since) {
      this.fail(t('events.badRange'));
      return;
    }
    const card = form.elements.card.value.trim();
    if (card && !/^[A-Za-z0-9:._-]{1,64}$/.test(card)) {
      this.fail(t('events.badCard'));
      return;
    }
    this.filter = { room: form.elements.room.value, type: form.elements.type.value, since, until, card };
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(this.filter)) {
      if (v) {
        q.set(k, v);
      }
    }
    window.history.replaceState(null, '', '/events' + (q.toString() ? '?' + q : ''));
    this.next = null;
    this.load(false);
  }

  exportUrl() {
    const p = apiParams(this.filter);
    p.set('lang', language());
    return '/api/events.csv?' + p;
  }

  renderAll() {
    // Whatever was typed but not yet applied survives a re-render (language switch, rooms arriving).
    const draft = this.formEl ? ['room', 'type', 'from', 'to', 'card'].map((n) => [n, this.formEl.elements[n].value]) : [];
    const title = h('h1', { class: 'page-title', id: 'events-title' }, t('events.title'));
    this.statusLine = h('p', { id: 'events-status', class: 'events-status', role: 'status', 'aria-live': 'polite' });
    this.errorLine = h('p', { id: 'events-error', class: 'events-error', role: 'alert' });
    this.tableBox = h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-labelledby': 'events-title' });
    this.olderButton = h('button', { id: 'events-older', type: 'button', class: 'older' }, t('events.older'));
    this.olderButton.addEventListener('click', () => this.load(true));
    this.formEl = this.form();
    for (const [name, value] of draft) {
      this.formEl.elements[name].value = value;
    }
    this.main.replaceChildren(title, this.formEl, this.statusLine, this.errorLine, this.tableBox, this.olderButton);
    this.renderTable();
    this.renderStatus();
  }

  form() {
    const f = this.filter;
    const field = (id, label, control) => h('div', { class: 'field' }, h('label', { for: id }, label), control);
    const roomSelect = h('select', { id: 'filter-room', name: 'room' },
      h('option', { value: '' }, t('events.allRooms')),
      this.rooms.map((r) => h('option', { value: r.id }, r.name)));
    if (f.room && !this.rooms.some((r) => r.id === f.room)) {
      roomSelect.appendChild(h('option', { value: f.room }, f.room));
    }
    roomSelect.value = f.room;
    const typeSelect = h('select', { id: 'filter-type', name: 'type' },
      h('option', { value: '' }, t('events.typeEvents')),
      h('option', { value: 'all' }, t('events.typeAll')),
      TYPES.map((type) => h('option', { value: type }, tOr('eventType.' + type, type))));
    typeSelect.value = f.type;
    const zoneNote = t('events.zone', { zone: this.zone });
    const from = h('input', { id: 'filter-from', name: 'from', type: 'datetime-local', 'aria-describedby': 'filter-zone' });
    from.value = f.since ? instantToLocalInput(f.since, this.zone) : '';
    const to = h('input', { id: 'filter-to', name: 'to', type: 'datetime-local', 'aria-describedby': 'filter-zone' });
    to.value = f.until ? instantToLocalInput(f.until, this.zone) : '';
    const card = h('input', { id: 'filter-card', name: 'card', type: 'text', inputmode: 'text', autocomplete: 'off',
      maxlength: '64', spellcheck: 'false', value: f.card });
    const exportLink = h('a', { id: 'events-export', class: 'button', href: this.exportUrl(), download: '' }, t('events.export'));
    const form = h('form', { id: 'events-filter', class: 'events-filter', 'aria-label': t('events.filter') },
      field('filter-room', t('events.room'), roomSelect),
      field('filter-type', t('events.type'), typeSelect),
      field('filter-from', t('events.from'), from),
      field('filter-to', t('events.to'), to),
      field('filter-card', t('events.card'), card),
      h('p', { id: 'filter-zone', class: 'muted zone-note' }, zoneNote),
      h('div', { class: 'actions' },
        h('button', { id: 'events-apply', type: 'submit' }, t('events.apply')),
        exportLink));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit(form);
    });
    return form;
  }

  renderStatus() {
    if (!this.statusLine) {
      return;
    }
    let text;
    if (this.state === 'loading') {
      text = t('app.loading');
    } else if (this.events.length === 0) {
      text = t('events.none');
    } else {
      text = t(this.next ? 'events.countMore' : 'events.count', { count: this.events.length });
    }
    this.statusLine.textContent = this.state === 'error' ? '' : text;
    this.errorLine.textContent = this.state === 'error' ? this.error : '';
    this.errorLine.hidden = this.state !== 'error';
    this.olderButton.hidden = !this.next;
    this.olderButton.disabled = this.state === 'loading';
  }

  renderTable() {
    if (this.events.length === 0) {
      this.tableBox.replaceChildren();
      return;
    }
    const roomName = new Map(this.rooms.map((r) => [r.id, r.name]));
    const lang = language();
    const head = ['events.time', 'events.type', 'events.room', 'events.card', 'events.person', 'events.result', 'events.details'];
    this.tableBox.replaceChildren(h('table', { class: 'data events-table', 'data-table': 'events' },
      h('caption', { class: 'sr-only' }, t('events.title')),
      h('thead', {}, h('tr', {}, head.map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, this.events.map((e) => {
        const p = e.payload || {};
        return h('tr', { 'data-stream': e.stream, 'data-seq': e.seq, 'data-type': e.type },
          h('td', { class: 'nowrap' }, h('time', { datetime: e.occurredAt }, zonedDateTime(e.occurredAt, this.zone, lang))),
          h('td', {}, tOr('eventType.' + e.type, e.type)),
          h('td', {}, e.room ? (roomName.get(e.room) || e.room) : '–'),
          h('td', { class: 'mono' }, p.card || ''),
          h('td', {}, p.person || (e.type === 'access.decision' ? t('detail.unknownPerson') : '')),
          h('td', { class: resultClass(e) }, result(e.type, p)),
          h('td', { class: 'details' }, details(p)));
      }))));
  }
}

function resultClass(e) {
  if (e.type === 'access.decision') {
    return e.payload && e.payload.granted ? 'granted' : 'denied';
  }
  return e.type === 'alarm.raised' ? 'denied' : '';
}

/** The event's outcome in the page's language: a decision and its reason, a value, a state. */
function result(type, p) {
  switch (type) {
    case 'access.decision': {
      const decision = p.granted ? t('detail.granted') : t('detail.denied');
      return p.reason && p.reason !== 'granted' ? decision + ': ' + tOr('reason.' + p.reason, p.reason) : decision;
    }
    case 'sensor.reading':
      return [metricName(p.metric), number(p.value, p.metric), p.unit].filter(Boolean).join(' ');
    case 'sensor.aggregate':
      return [metricName(p.metric), t('detail.avg'), number(p.avg, p.metric), p.unit].filter(Boolean).join(' ');
    case 'alarm.raised':
      return [tOr('severity.' + p.severity, p.severity), p.message].filter(Boolean).join(': ');
    case 'alarm.cleared':
      return p.reason || '';
    case 'reader.status':
      return tOr('events.state.' + p.state, p.state || '');
    case 'reader.alert':
      return (p.kind || '') + (p.active ? ' ↑' : ' ↓');
    case 'sensor.availability':
      return p.online ? t('detail.online') : t('detail.offline');
    case 'access.mode':
      return tOr('mode.' + p.mode, p.mode || '');
    case 'room.occupancy_reset':
      return t('events.cleared', { count: p.cleared ?? 0 });
    default:
      return '';
  }
}

/** The rest of the payload, "name: value", shortened: what the other columns do not show. */
function details(p) {
  const parts = [];
  for (const [k, v] of Object.entries(p)) {
    if (SHOWN.has(k) || v === null || v === undefined || typeof v === 'object') {
      continue;
    }
    parts.push(k + ': ' + v);
  }
  const text = parts.join(', ');
  return text.length > DETAILS_MAX ? text.slice(0, DETAILS_MAX - 1) + '…' : text;
}
