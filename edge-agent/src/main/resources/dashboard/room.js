// A room's page: charts of each metric over the last hour, day or week, who is inside, the tap
// log, active alarms (acknowledged by managers) and the alarm history, and the state of the
// room's readers and sensors. Live from the same feed as the grid, plus `tap` events for the log.
import { dateTime, h, icon, number, roomType, t } from './format.js';
import { HistoryCharts } from './historycharts.js';
import { AlarmPanel } from './alarmpanel.js';

const TAP_LIMIT = 50;

export class RoomPage {
  constructor(main, feed, roomId) {
    this.main = main;
    this.feed = feed;
    this.roomId = roomId;
    this.taps = [];
    this.tapsLoaded = false;
    this.charts = new HistoryCharts(roomId);
    this.alarms = new AlarmPanel(roomId);
  }

  /** Loads what the live feed does not carry: the tap log, the chosen range's history and the alarm history. */
  async loadTaps() {
    this.charts.load();
    this.alarms.loadHistory();
    const url = '/api/events?room=' + encodeURIComponent(this.roomId) + '&type=access.decision&limit=' + TAP_LIMIT;
    try {
      const response = await fetch(url, { cache: 'no-store' });
      if (response.ok) {
        const body = await response.json();
        this.taps = body.events;
      }
    } catch (e) {
      // The log stays empty; the live feed still adds new taps.
    }
    this.tapsLoaded = true;
    this.renderTaps();
  }

  /** A stream event: taps at this room go on top of the log. */
  onEvent({ topic, data }) {
    if (topic === 'tap' && data.room === this.roomId && data.type === 'access.decision') {
      if (!this.taps.some((x) => x.seq === data.seq && x.stream === data.stream)) {
        this.taps.unshift(data);
        this.taps.length = Math.min(this.taps.length, TAP_LIMIT);
        this.renderTaps();
      }
    }
  }

  room() {
    return this.feed.rooms.get(this.roomId);
  }

  renderAll() {
    this.destroyCharts();
    const room = this.room();
    const back = h('nav', { 'aria-label': t('app.rooms') }, h('a', { class: 'back', href: '/' }, '← ' + t('app.back')));
    if (!room) {
      this.main.replaceChildren(back, h('h1', { class: 'page-title' }, t('app.noSuchRoom', { id: this.roomId })));
      return;
    }
    document.title = (room.name || room.id) + ' · ' + t('app.title');
    this.summary = h('div', { class: 'detail-summary' });
    this.alarmsBox = h('section', { class: 'panel', 'aria-labelledby': 'alarms-title' });
    this.chartsPanel = h('section', { class: 'panel', 'aria-labelledby': 'charts-title' });
    this.alarmHistoryBox = h('section', { class: 'panel', 'aria-labelledby': 'alarm-history-title' });
    this.occupantsBox = h('section', { class: 'panel', 'aria-labelledby': 'occupants-title' });
    this.tapsBox = h('section', { class: 'panel', 'aria-labelledby': 'taps-title' });
    this.devicesBox = h('section', { class: 'panel', 'aria-labelledby': 'devices-title' });
    this.main.replaceChildren(back,
      h('header', { class: 'detail-head', 'data-room': room.id },
        icon(room.type),
        h('div', {}, h('h1', { class: 'page-title' }, room.name || room.id), h('p', { class: 'room-type' }, roomType(room.type)))),
      this.summary,
      this.alarmsBox,
      this.chartsPanel,
      h('div', { class: 'columns' }, this.occupantsBox, this.devicesBox),
      this.tapsBox,
      this.alarmHistoryBox);
    this.charts.mount(this.chartsPanel, room);
    this.alarms.mount(this.alarmsBox, this.alarmHistoryBox, room);
    this.update(room);
    this.renderTaps();
  }

  /** The room changed: refresh everything but keep the chart objects (only their data changes). */
  update(room) {
    if (room.id !== this.roomId) {
      return;
    }
    if (!this.summary) {
      this.renderAll();
      return;
    }
    this.renderSummary(room);
    this.alarms.update(room);
    this.charts.update(room);
    this.renderOccupants(room);
    this.renderDevices(room);
  }

  renderSummary(room) {
    const occ = room.occupancy || { count: 0 };
    const parts = [
      h('div', { class: 'stat', 'data-part': 'occupancy' }, h('span', { class: 'label' }, t('room.occupancy')),
        h('span', { class: 'value' }, room.capacity > 0 ? t('room.occupancyOf', { count: occ.count, capacity: room.capacity })
          : t('room.noLimit', { count: occ.count }))),
    ];
    if (room.onAir) {
      parts.push(h('div', { class: 'stat' }, h('span', { class: 'badge ' + (room.onAir.on ? 'on-air' : 'off-air') },
        room.onAir.on ? t('room.onAir') : t('room.offAir'))));
    }
    for (const e of room.equipment || []) {
      parts.push(h('div', { class: 'stat' }, h('span', { class: 'label' }, e.sensor),
        h('span', { class: 'value' }, (e.on ? t('room.on') : t('room.off')) + ' · ' + number(e.watts, 'power') + ' W')));
    }
    for (const d of room.doors || []) {
      parts.push(h('div', { class: 'stat' }, h('span', { class: 'label' }, t('room.doors') + ' ' + d.sensor),
        h('span', { class: 'value' }, d.open ? t('room.doorOpen') : t('room.doorClosed'))));
    }
    this.summary.replaceChildren(...parts);
  }

  destroyCharts() {
    this.charts.destroy();
    this.summary = null;
  }

  renderOccupants(room) {
    const occupants = (room.occupancy && room.occupancy.occupants) || [];
    this.occupantsBox.replaceChildren(h('h2', { id: 'occupants-title' }, t('detail.occupants')),
      occupants.length === 0 ? h('p', { class: 'muted' }, t('detail.noOccupants'))
        : table('occupants', [t('detail.person'), t('detail.card'), t('detail.since'), t('detail.reader')],
          occupants.map((o) => [o.person || t('detail.unknownPerson'), o.card, dateTime(o.since), o.reader])));
  }

  renderDevices(room) {
    const rows = [];
    for (const r of room.readers || []) {
      rows.push([r.id, t('detail.' + (r.state === 'online' ? 'online' : r.state === 'offline' ? 'offline' : 'unknown'))
        + (r.alerts && r.alerts.length ? ' · ' + r.alerts.join(', ') : ''), dateTime(r.since)]);
    }
    for (const s of room.sensors || []) {
      rows.push([s.id, s.online === false ? t('detail.offline') : s.online === true ? t('detail.online') : '–', dateTime(s.lastSeen)]);
    }
    this.devicesBox.replaceChildren(h('h2', { id: 'devices-title' }, t('detail.devices')),
      table('devices', [t('detail.device'), t('detail.state'), t('detail.lastSeen')], rows));
  }

  renderTaps() {
    if (!this.tapsBox) {
      return;
    }
    const rows = this.taps.map((e) => {
      const p = e.payload || {};
      return [dateTime(e.occurredAt), p.card || '–', p.person || t('detail.unknownPerson'),
        p.granted ? t('detail.granted') : t('detail.denied'), t('reason.' + p.reason), t('direction.' + p.direction), p.reader || '–'];
    });
    this.tapsBox.replaceChildren(h('h2', { id: 'taps-title' }, t('detail.taps')),
      !this.tapsLoaded ? h('p', { class: 'muted' }, t('app.loading'))
        : rows.length === 0 ? h('p', { class: 'muted' }, t('detail.noTaps'))
          : table('taps', [t('detail.time'), t('detail.card'), t('detail.person'), t('detail.decision'), t('detail.reason'),
            t('detail.direction'), t('detail.reader')], rows));
  }
}

function table(name, headers, rows) {
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': headers.join(', ') },
    h('table', { 'data-table': name },
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c)))))));
}
