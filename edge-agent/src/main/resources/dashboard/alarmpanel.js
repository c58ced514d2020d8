// A room's alarms: the active ones (from the live room state), each with an "Acknowledge" form
// for managers and admins, and the history of the room's alarms from GET /api/alarms (raised,
// cleared, acknowledged by whom and when). The server checks the role and the CSRF token again
// whatever the page shows.
import { dateTime, h, number, t } from './format.js';
import { goToLogin, post, session } from './session.js';

const HISTORY_LIMIT = 50;
const NOTE_MAX = 500;

/** Whether the logged-in account may acknowledge alarms. */
function mayAcknowledge() {
  const s = session();
  return Boolean(s && s.via === 'session' && (s.role === 'manager' || s.role === 'admin'));
}

export class AlarmPanel {
  constructor(roomId) {
    this.roomId = roomId;
    this.history = null;
    this.historyFailed = null;
    this.results = new Map();
    this.signature = null;
    this.activeBox = null;
    this.historyBox = null;
  }

  /** Renders the active alarms into {@code activeBox}, the history into {@code historyBox}. */
  mount(activeBox, historyBox, room) {
    this.activeBox = activeBox;
    this.historyBox = historyBox;
    this.room = room;
    this.renderActive(room);
    this.renderHistory();
  }

  /**
   * The room changed. Only if an alarm came, went or was acknowledged are the active alarms
   * redrawn (so a note being typed survives the room's other updates) and the history reloaded.
   */
  update(room) {
    this.room = room;
    const signature = (room.alarms || []).map((a) => a.id + '@' + a.since + (a.acknowledged ? '+' + a.acknowledged.at : '')).join('|');
    if (signature !== this.signature) {
      const first = this.signature === null;
      this.signature = signature;
      this.renderActive(room);
      if (!first) {
        this.loadHistory();
      }
    }
  }

  async loadHistory() {
    try {
      const response = await fetch('/api/alarms?room=' + encodeURIComponent(this.roomId) + '&limit=' + HISTORY_LIMIT,
        { cache: 'no-store', headers: { Accept: 'application/json' } });
      if (response.status === 401) {
        goToLogin();
        return;
      }
      const body = await response.json();
      if (response.ok) {
        this.history = body.alarms;
        this.historyFailed = null;
      } else {
        this.historyFailed = body.message || 'HTTP ' + response.status;
      }
    } catch (e) {
      this.historyFailed = e.message;
    }
    this.renderHistory();
  }

  renderActive(room) {
    if (!this.activeBox) {
      return;
    }
    const alarms = room.alarms || [];
    const canAck = mayAcknowledge();
    this.activeBox.replaceChildren(h('h2', { id: 'alarms-title' }, t('room.alarms')),
      alarms.length === 0 ? h('p', { class: 'muted' }, t('room.noAlarms'))
        : h('ul', { class: 'alarms', 'data-part': 'alarms' }, alarms.map((a) => this.activeItem(a, canAck))));
  }

  activeItem(a, canAck) {
    const result = this.results.get(a.id);
    const ack = a.acknowledged;
    return h('li', { class: 'alarm alarm-' + (a.severity || 'warning'), 'data-alarm': a.id },
      h('strong', {}, t('severity.' + (a.severity || 'warning'))), ' ', a.message || a.rule, ' ',
      h('span', { class: 'muted' }, t('detail.alarmSince', { time: dateTime(a.since) })),
      a.value !== undefined && a.threshold !== undefined
        ? h('span', { class: 'muted' }, ' · ' + t('detail.alarmValue', { value: number(a.value, a.metric), threshold: number(a.threshold, a.metric) }))
        : null,
      ack ? h('p', { class: 'ack-state', 'data-part': 'acknowledged' },
        t('alarms.acknowledgedBy', { user: ack.by, time: dateTime(ack.at) }) + (ack.note ? ' · ' + ack.note : '')) : null,
      !ack && canAck ? this.ackForm(a) : null,
      result ? h('p', { class: 'ack-result', role: 'status', 'aria-live': 'polite' }, result) : null);
  }

  ackForm(a) {
    const noteId = 'ack-note-' + a.id.replace(/[^A-Za-z0-9_-]/g, '_');
    const note = h('input', { id: noteId, type: 'text', class: 'ack-note', maxlength: NOTE_MAX, autocomplete: 'off' });
    const button = h('button', { type: 'submit', class: 'ack' }, t('alarms.acknowledge'));
    const form = h('form', { class: 'ack-form', 'data-alarm': a.id },
      h('label', { for: noteId }, t('alarms.note')), note, button);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.acknowledge(a.id, note.value.trim(), button);
    });
    return form;
  }

  async acknowledge(id, note, button) {
    button.disabled = true;
    try {
      const response = await post('/api/alarms/' + encodeURIComponent(id) + '/ack', note ? { note } : {});
      if (response.status === 401) {
        goToLogin();
        return;
      }
      const body = await response.json();
      this.results.set(id, response.ok ? t('alarms.done') : t('alarms.failed', { error: body.message || 'HTTP ' + response.status }));
    } catch (e) {
      this.results.set(id, t('alarms.failed', { error: e.message }));
    } finally {
      button.disabled = false;
    }
    // The room's live update shows the acknowledgement (and reloads the history); the result shows now.
    this.renderActive(this.room);
  }

  renderHistory() {
    if (!this.historyBox) {
      return;
    }
    const title = h('h2', { id: 'alarm-history-title' }, t('alarms.history'));
    if (this.history === null) {
      this.historyBox.replaceChildren(title, h('p', { class: 'muted' },
        this.historyFailed ? t('alarms.historyFailed', { error: this.historyFailed }) : t('app.loading')));
      return;
    }
    if (this.history.length === 0) {
      this.historyBox.replaceChildren(title, h('p', { class: 'muted' }, t('alarms.noHistory')));
      return;
    }
    const headers = [t('alarms.raisedAt'), t('alarms.alarm'), t('alarms.severity'), t('alarms.clearedAt'), t('alarms.acknowledged')];
    const rows = this.history.map((e) => h('tr', { 'data-alarm': e.alarm, 'data-state': e.clearedAt ? 'cleared' : 'active' },
      h('td', {}, dateTime(e.raisedAt)),
      h('td', {}, e.message || e.rule),
      h('td', {}, t('severity.' + (e.severity || 'warning'))),
      h('td', {}, e.clearedAt ? dateTime(e.clearedAt) : t('alarms.stillActive')),
      h('td', {}, e.acknowledged ? t('alarms.acknowledgedBy', { user: e.acknowledged.by, time: dateTime(e.acknowledged.at) })
        + (e.acknowledged.note ? ' · ' + e.acknowledged.note : '') : '–')));
    this.historyBox.replaceChildren(title,
      h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-labelledby': 'alarm-history-title' },
        h('table', { 'data-table': 'alarm-history' },
          h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, rows))));
  }
}
