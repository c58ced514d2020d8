// A room's charts over the last hour, day or week: buckets of min/avg/max from
// GET /api/rooms/<id>/history (the journal's per-minute aggregates), one uPlot chart per sensor
// metric. The hour view also takes the room's own per-minute history from the live feed, so it
// keeps moving without asking the server again; day and week are fetched when chosen.
import { byMetricOrder, dateTime, h, metricName, number, t, time, TREND_ARROWS } from './format.js';
import { goToLogin } from './session.js';

export const RANGES = ['hour', 'day', 'week'];
const CHART_HEIGHT = 180;
const SPAN_SECONDS = { hour: 3600, day: 86400, week: 7 * 86400 };

export class HistoryCharts {
  constructor(roomId) {
    this.roomId = roomId;
    this.range = 'hour';
    this.history = null;
    this.loading = false;
    this.failed = null;
    this.charts = new Map();
    this.live = new Map();
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.box = null;
    this.room = null;
  }

  /** Builds the panel's content: the range switch, a status line and the charts' box. */
  mount(panel, room) {
    this.destroy();
    this.room = room;
    this.buttons = RANGES.map((r) => {
      const b = h('button', { type: 'button', class: 'range', 'data-range': r, 'aria-pressed': String(r === this.range) },
        t('history.range.' + r));
      b.addEventListener('click', () => this.select(r));
      return b;
    });
    this.status = h('p', { class: 'muted history-status', role: 'status', 'aria-live': 'polite' });
    this.box = h('div', { class: 'charts', 'data-range': this.range });
    panel.replaceChildren(
      h('div', { class: 'history-head' },
        h('h2', { id: 'charts-title' }, t('history.title.' + this.range)),
        h('div', { class: 'range-switch', role: 'group', 'aria-label': t('history.rangeLabel') }, this.buttons)),
      this.status, this.box);
    this.title = panel.querySelector('#charts-title');
    this.render();
  }

  async select(range) {
    if (!RANGES.includes(range)) {
      return;
    }
    this.range = range;
    this.live.clear();
    for (const b of this.buttons || []) {
      b.setAttribute('aria-pressed', String(b.dataset.range === range));
    }
    if (this.title) {
      this.title.textContent = t('history.title.' + range);
    }
    this.history = null;
    this.clearCharts();
    await this.load();
  }

  async load() {
    const range = this.range;
    this.loading = true;
    this.failed = null;
    this.renderStatus();
    try {
      const response = await fetch('/api/rooms/' + encodeURIComponent(this.roomId) + '/history?range=' + range,
        { cache: 'no-store', headers: { Accept: 'application/json' } });
      if (response.status === 401) {
        goToLogin();
        return;
      }
      const body = await response.json();
      if (range !== this.range) {
        return; // another range was chosen meanwhile
      }
      if (!response.ok) {
        this.failed = body.message || 'HTTP ' + response.status;
      } else {
        this.history = body;
      }
    } catch (e) {
      this.failed = e.message;
    } finally {
      if (range === this.range) {
        this.loading = false;
      }
    }
    if (range === this.range) {
      this.render();
    }
  }

  /** The room changed (live feed): the hour view takes its latest minutes. */
  update(room) {
    this.room = room;
    if (this.range === 'hour') {
      this.render();
    } else {
      this.renderCurrent();
    }
  }

  renderStatus() {
    if (!this.status) {
      return;
    }
    this.status.textContent = this.loading ? t('app.loading')
      : this.failed ? t('history.failed', { error: this.failed })
        : this.history && this.charts.size === 0 ? t('history.empty')
          : this.history ? t('history.window', { from: dateTime(this.history.from), to: dateTime(this.history.to) }) : '';
  }

  render() {
    if (!this.box) {
      return;
    }
    this.box.dataset.range = this.range;
    this.box.setAttribute('aria-busy', String(this.loading));
    const seen = new Set();
    for (const s of this.seriesToDraw()) {
      const key = s.sensor + '/' + s.metric;
      seen.add(key);
      const data = chartData(s.buckets, this.range === 'hour' ? 60 : this.history ? this.history.bucketSeconds : 60);
      const existing = this.charts.get(key);
      if (existing) {
        existing.plot.setData(data);
        continue;
      }
      const titleId = 'chart-' + key.replace(/[^A-Za-z0-9_-]/g, '_');
      const current = h('span', { class: 'current' });
      const holder = h('div', { class: 'chart-canvas' });
      const figure = h('figure', { class: 'chart', 'data-metric': s.metric, 'data-sensor': s.sensor,
        'data-buckets': s.buckets.length, 'aria-labelledby': titleId },
      h('figcaption', { id: titleId }, t('detail.chartLabel', { metric: metricName(s.metric), sensor: s.sensor }), ' ', current),
      holder);
      this.box.appendChild(figure);
      const plot = new window.uPlot(chartOptions(s, holder, this.range), data, holder);
      this.charts.set(key, { plot, figure, holder, current });
      this.resizeObserver.observe(holder);
    }
    for (const [key, chart] of this.charts) {
      if (!seen.has(key)) {
        chart.plot.destroy();
        chart.figure.remove();
        this.charts.delete(key);
      } else {
        const s = this.lastSeries.get(key);
        chart.figure.dataset.buckets = s.buckets.length;
      }
    }
    this.renderCurrent();
    this.renderStatus();
  }

  /** Each chart's caption shows the metric's latest value from the live room. */
  renderCurrent() {
    const metrics = (this.room && this.room.metrics) || [];
    for (const [key, chart] of this.charts) {
      const m = metrics.find((x) => x.sensor + '/' + x.metric === key);
      chart.current.textContent = m ? currentText(m) : '';
    }
  }

  /** Series from the server, and for the hour the live room's minutes laid over them. */
  seriesToDraw() {
    const byKey = new Map();
    for (const s of (this.history && this.history.series) || []) {
      const buckets = new Map();
      for (const b of s.buckets) {
        buckets.set(Date.parse(b.start) / 1000, b);
      }
      byKey.set(s.sensor + '/' + s.metric, { sensor: s.sensor, metric: s.metric, unit: s.unit, buckets });
    }
    if (this.range === 'hour' && this.room) {
      // The room carries only its last minutes: they are collected here, so a page left open
      // keeps the whole hour after the minutes it loaded with have scrolled out of the room.
      const since = Date.now() / 1000 - SPAN_SECONDS.hour;
      for (const m of this.room.metrics || []) {
        const key = m.sensor + '/' + m.metric;
        if (!this.live.has(key)) {
          this.live.set(key, { sensor: m.sensor, metric: m.metric, unit: m.unit, buckets: new Map() });
        }
        const target = this.live.get(key).buckets;
        for (const x of m.minutes || []) {
          if (x.count > 0) {
            target.set(Date.parse(x.minute) / 1000, { start: x.minute, min: x.min, max: x.max, avg: x.avg, count: x.count });
          }
        }
      }
      for (const [key, s] of this.live) {
        if (!byKey.has(key)) {
          byKey.set(key, { sensor: s.sensor, metric: s.metric, unit: s.unit, buckets: new Map() });
        }
        const target = byKey.get(key).buckets;
        for (const [at, b] of s.buckets) {
          if (at < since) {
            s.buckets.delete(at);
          } else {
            // The live minute is exact: it replaces what the server had for it (an open minute).
            target.set(at, b);
          }
        }
      }
      for (const s of byKey.values()) {
        for (const start of [...s.buckets.keys()]) {
          if (start < since) {
            s.buckets.delete(start);
          }
        }
      }
    }
    const out = byMetricOrder([...byKey.values()]).map((s) => ({
      ...s, buckets: [...s.buckets.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]),
    }));
    this.lastSeries = new Map(out.map((s) => [s.sensor + '/' + s.metric, s]));
    return out;
  }

  resize() {
    for (const chart of this.charts.values()) {
      const width = Math.max(200, Math.floor(chart.holder.clientWidth));
      if (Math.abs(chart.plot.width - width) > 1) {
        chart.plot.setSize({ width, height: CHART_HEIGHT });
      }
    }
  }

  clearCharts() {
    for (const chart of this.charts.values()) {
      chart.plot.destroy();
      chart.figure.remove();
    }
    this.charts.clear();
  }

  destroy() {
    this.resizeObserver.disconnect();
    this.clearCharts();
    this.box = null;
  }
}

function currentText(m) {
  const unit = m.unit && m.unit !== 'on' ? ' ' + m.unit : '';
  return number(m.value, m.metric) + unit + (m.trend ? ' ' + (TREND_ARROWS[m.trend] || '') : '');
}

/** uPlot's columnar data: x (bucket middle) in seconds, then average, min and max. */
function chartData(buckets, bucketSeconds) {
  return [
    buckets.map((b) => Date.parse(b.start) / 1000 + bucketSeconds / 2),
    buckets.map((b) => (b.count > 0 ? b.avg : null)),
    buckets.map((b) => (b.count > 0 ? b.min : null)),
    buckets.map((b) => (b.count > 0 ? b.max : null)),
  ];
}

function chartOptions(s, holder, range) {
  const unit = s.unit && s.unit !== 'on' ? s.unit : '';
  const fmt = (u, v) => (v === null || v === undefined ? '–' : number(v, s.metric) + (unit ? ' ' + unit : ''));
  const span = SPAN_SECONDS[range];
  return {
    width: Math.max(200, holder.clientWidth || 320),
    height: CHART_HEIGHT,
    // Always the whole range, so a few minutes of data are not stretched across the chart.
    scales: {
      x: {
        time: true,
        range: () => {
          const now = Date.now() / 1000;
          return [now - span, now + span / 60];
        },
      },
    },
    axes: [
      { stroke: '#4a5568', grid: { stroke: '#e2e8f0' } },
      { stroke: '#4a5568', grid: { stroke: '#e2e8f0' }, size: 56, values: (u, vals) => vals.map((v) => number(v, s.metric)) },
    ],
    series: [
      { label: t('detail.time'), value: (u, v) => (v === null ? '–' : (range === 'hour' ? time : dateTime)(new Date(v * 1000).toISOString())) },
      { label: t('detail.avg'), stroke: '#1d4ed8', width: 2, value: fmt, points: { show: range === 'hour', size: 4 } },
      { label: t('detail.min'), stroke: '#64748b', width: 1, dash: [4, 4], value: fmt },
      { label: t('detail.max'), stroke: '#b45309', width: 1, dash: [4, 4], value: fmt },
    ],
  };
}
