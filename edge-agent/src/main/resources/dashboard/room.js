// A room's page: a chart per metric from the per-minute history, who is inside, the tap log,
// active alarms, and the state of the room's readers and sensors. Live from the same feed as
// the grid, plus `tap` events for the log.
import { TREND_ARROWS, byMetricOrder, dateTime, h, icon, metricName, number, roomType, t, time } from './format.js';

const TAP_LIMIT = 50;
const CHART_HEIGHT = 180;
const HISTORY_MINUTES = 15;

export class RoomPage {
  constructor(main, feed, roomId) {
    this.main = main;
    this.feed = feed;
    this.roomId = roomId;
    this.taps = [];
    this.tapsLoaded = false;
    this.charts = new Map();
    this.resizeObserver = new ResizeObserver(() => this.resizeCharts());
  }

  async loadTaps() {
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
    this.chartsBox = h('div', { class: 'charts' });
    this.occupantsBox = h('section', { class: 'panel', 'aria-labelledby': 'occupants-title' });
    this.tapsBox = h('section', { class: 'panel', 'aria-labelledby': 'taps-title' });
    this.devicesBox = h('section', { class: 'panel', 'aria-labelledby': 'devices-title' });
    this.main.replaceChildren(back,
      h('header', { class: 'detail-head', 'data-room': room.id },
        icon(room.type),
        h('div', {}, h('h1', { class: 'page-title' }, room.name || room.id), h('p', { class: 'room-type' }, roomType(room.type)))),
      this.summary,
      this.alarmsBox,
      h('section', { class: 'panel', 'aria-labelledby': 'charts-title' },
        h('h2', { id: 'charts-title' }, t('detail.charts')), this.chartsBox),
      h('div', { class: 'columns' }, this.occupantsBox, this.devicesBox),
      this.tapsBox);
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
    this.renderAlarms(room);
    this.renderCharts(room);
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

  renderAlarms(room) {
    const alarms = room.alarms || [];
    this.alarmsBox.replaceChildren(h('h2', { id: 'alarms-title' }, t('room.alarms')),
      alarms.length === 0 ? h('p', { class: 'muted' }, t('room.noAlarms'))
        : h('ul', { class: 'alarms', 'data-part': 'alarms' }, alarms.map((a) => h('li', { class: 'alarm alarm-' + (a.severity || 'warning'), 'data-alarm': a.id },
          h('strong', {}, t('severity.' + (a.severity || 'warning'))), ' ', a.message || a.rule, ' ',
          h('span', { class: 'muted' }, t('detail.alarmSince', { time: dateTime(a.since) })),
          a.value !== undefined && a.threshold !== undefined
            ? h('span', { class: 'muted' }, ' · ' + t('detail.alarmValue', { value: number(a.value, a.metric), threshold: number(a.threshold, a.metric) }))
            : null))));
  }

  renderCharts(room) {
    const seen = new Set();
    for (const m of byMetricOrder(room.metrics || [])) {
      const key = m.sensor + '/' + m.metric;
      seen.add(key);
      const data = chartData(m);
      const existing = this.charts.get(key);
      if (existing) {
        existing.plot.setData(data);
        existing.current.textContent = currentText(m);
        continue;
      }
      const titleId = 'chart-' + key.replace(/[^A-Za-z0-9_-]/g, '_');
      const current = h('span', { class: 'current' }, currentText(m));
      const holder = h('div', { class: 'chart-canvas' });
      const figure = h('figure', { class: 'chart', 'data-metric': m.metric, 'data-sensor': m.sensor, 'aria-labelledby': titleId },
        h('figcaption', { id: titleId }, t('detail.chartLabel', { metric: metricName(m.metric), sensor: m.sensor }), ' ', current),
        holder);
      this.chartsBox.appendChild(figure);
      const plot = new window.uPlot(chartOptions(m, holder), data, holder);
      this.charts.set(key, { plot, figure, holder, current });
      this.resizeObserver.observe(holder);
    }
    for (const [key, chart] of this.charts) {
      if (!seen.has(key)) {
        chart.plot.destroy();
        chart.figure.remove();
        this.charts.delete(key);
      }
    }
  }

  resizeCharts() {
    for (const chart of this.charts.values()) {
      const width = Math.max(200, Math.floor(chart.holder.clientWidth));
      if (Math.abs(chart.plot.width - width) > 1) {
        chart.plot.setSize({ width, height: CHART_HEIGHT });
      }
    }
  }

  destroyCharts() {
    this.resizeObserver.disconnect();
    for (const chart of this.charts.values()) {
      chart.plot.destroy();
    }
    this.charts.clear();
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

function currentText(m) {
  const unit = m.unit && m.unit !== 'on' ? ' ' + m.unit : '';
  return number(m.value, m.metric) + unit + (m.trend ? ' ' + (TREND_ARROWS[m.trend] || '') : '');
}

/** uPlot's columnar data: x in seconds, then average, min and max per minute. */
function chartData(m) {
  const minutes = m.minutes || [];
  return [
    minutes.map((x) => Date.parse(x.minute) / 1000),
    minutes.map((x) => (x.count > 0 ? x.avg : null)),
    minutes.map((x) => (x.count > 0 ? x.min : null)),
    minutes.map((x) => (x.count > 0 ? x.max : null)),
  ];
}

function chartOptions(m, holder) {
  const unit = m.unit && m.unit !== 'on' ? m.unit : '';
  const fmt = (u, v) => (v === null || v === undefined ? '–' : number(v, m.metric) + (unit ? ' ' + unit : ''));
  return {
    width: Math.max(200, holder.clientWidth || 320),
    height: CHART_HEIGHT,
    // Always the whole window the history covers, so one minute of data is not stretched into years.
    scales: {
      x: {
        time: true,
        range: (u, min, max) => {
          const last = Number.isFinite(max) ? max : Date.now() / 1000;
          const first = Number.isFinite(min) ? Math.min(min, last - HISTORY_MINUTES * 60) : last - HISTORY_MINUTES * 60;
          return [first - 30, last + 30];
        },
      },
    },
    axes: [
      { stroke: '#4a5568', grid: { stroke: '#e2e8f0' } },
      { stroke: '#4a5568', grid: { stroke: '#e2e8f0' }, size: 56, values: (u, vals) => vals.map((v) => number(v, m.metric)) },
    ],
    series: [
      { label: t('detail.time'), value: (u, v) => (v === null ? '–' : time(new Date(v * 1000).toISOString())) },
      { label: t('detail.avg'), stroke: '#1d4ed8', width: 2, value: fmt, points: { show: true, size: 4 } },
      { label: t('detail.min'), stroke: '#64748b', width: 1, dash: [4, 4], value: fmt },
      { label: t('detail.max'), stroke: '#b45309', width: 1, dash: [4, 4], value: fmt },
    ],
  };
}

function table(name, headers, rows) {
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': headers.join(', ') },
    h('table', { 'data-table': name },
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c)))))));
}
