// The health page: what /api/health reports, refreshed every few seconds: the agent's version and
// uptime, readers, sensors, the MQTT broker and ingest, the sync to the data center, the journal's
// disk use and writer. A 503 (the agent says it is down) and an unreachable agent are said plainly
// at the top; the last report stays visible below, marked as old.
import { h, language, t } from './format.js';
import { goToLogin } from './session.js';
import { browserZone, zonedDateTime } from './zonedtime.js';

const REFRESH_MS = 5000;
/** An agent that takes longer than this to answer (hung, or gone without closing the connection) counts as unreachable. */
const ANSWER_WITHIN_MS = 4000;

function bytes(n) {
  if (n === null || n === undefined) {
    return '–';
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return new Intl.NumberFormat(language(), { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v) + ' ' + units[i];
}

function count(n) {
  return n === null || n === undefined ? '–' : new Intl.NumberFormat(language()).format(n);
}

function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds || 0));
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const mm = Math.floor((s % 3600) / 60);
  return t('health.duration', { d, h: hh, m: mm, s: s % 60 });
}

export class HealthPage {
  constructor(main) {
    this.main = main;
    this.report = null;
    this.problem = null;
    this.checkedAt = null;
    this.timer = null;
    // One alert element for the page's life: its text changes only when the problem does, so a
    // screen reader is not told the same thing on every refresh.
    this.banner = h('div', { id: 'health-problem', class: 'health-problem', role: 'alert' });
    this.renderAll();
  }

  start() {
    this.refresh();
  }

  async refresh() {
    clearTimeout(this.timer);
    const abort = new AbortController();
    const deadline = setTimeout(() => abort.abort(), ANSWER_WITHIN_MS);
    try {
      const response = await fetch('/api/health', { cache: 'no-store', headers: { Accept: 'application/json' }, signal: abort.signal });
      if (response.status === 401) {
        goToLogin();
        return;
      }
      let body = null;
      try {
        body = await response.json();
      } catch (e) {
        body = null;
      }
      if (response.ok && body) {
        this.report = body;
        this.checkedAt = new Date();
        this.problem = null;
      } else if (response.status === 503 && body && body.status) {
        this.report = body;
        this.checkedAt = new Date();
        this.problem = { kind: 'down', text: t('health.down') };
      } else {
        this.problem = { kind: 'error', text: t('health.unavailable', { status: response.status, error: (body && body.message) || '' }) };
      }
    } catch (e) {
      this.problem = { kind: 'unreachable', text: t('health.unreachable') };
    } finally {
      clearTimeout(deadline);
    }
    this.renderAll();
    this.timer = setTimeout(() => this.refresh(), REFRESH_MS);
  }

  renderAll() {
    const r = this.report;
    const banner = this.banner;
    const text = this.problem ? this.problem.text : '';
    if (banner.textContent !== text) {
      banner.textContent = text;
    }
    banner.dataset.kind = this.problem ? this.problem.kind : '';
    banner.hidden = !this.problem;
    // Keyboard focus on a scrollable table survives the refresh.
    const focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest('[data-part]') : null;
    const focusPart = focused && this.main.contains(focused) ? focused.dataset.part : null;
    const parts = [h('h1', { class: 'page-title' }, t('health.title')), banner];
    if (!r) {
      parts.push(h('p', { class: 'muted' }, this.problem ? '' : t('app.loading')));
      this.main.replaceChildren(...parts);
      return;
    }
    this.zone = r.timeZone || browserZone();
    parts.push(h('p', { id: 'health-checked', class: 'muted' + (this.problem ? ' old' : '') },
      t(this.problem ? 'health.lastGood' : 'health.checked', { time: this.at(this.checkedAt && this.checkedAt.toISOString()) })));
    parts.push(h('div', { class: 'health-grid' },
      this.summary(r), this.readers(r), this.sensors(r), this.mqtt(r), this.sync(r), this.disk(r), this.writer(r)));
    this.main.replaceChildren(...parts);
    if (focusPart) {
      const again = this.main.querySelector('[data-part="' + focusPart + '"] .table-scroll');
      if (again) {
        again.focus({ preventScroll: true });
      }
    }
  }

  at(iso) {
    return iso ? zonedDateTime(iso, this.zone, language()) : '–';
  }

  section(part, titleKey, ...content) {
    const id = 'health-' + part + '-title';
    return h('section', { class: 'panel health-panel', 'data-part': part, 'aria-labelledby': id },
      h('h2', { id }, t(titleKey)), ...content);
  }

  facts(rows) {
    return h('dl', { class: 'facts' }, rows.filter(Boolean).map(([k, v, attrs]) =>
      h('div', attrs || {}, h('dt', {}, t(k)), h('dd', {}, v))));
  }

  summary(r) {
    const status = r.status || 'down';
    return this.section('summary', 'health.agent',
      h('p', { class: 'status-badge', 'data-status': status }, t('health.status.' + status)),
      this.facts([
        ['health.device', r.device],
        ['health.school', r.school],
        ['health.version', r.version, { 'data-fact': 'version' }],
        ['health.uptime', duration(r.uptimeSeconds), { 'data-fact': 'uptime' }],
        ['health.started', this.at(r.startedAt)],
        ['health.timeZone', r.timeZone || '–'],
      ]));
  }

  table(name, headKeys, rows, emptyKey) {
    if (rows.length === 0) {
      return h('p', { class: 'muted' }, t(emptyKey));
    }
    return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': t('health.' + name) },
      h('table', { class: 'data', 'data-table': name },
        h('thead', {}, h('tr', {}, headKeys.map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, rows)));
  }

  readers(r) {
    const rows = (r.readers || []).map((x) => h('tr', { 'data-reader': x.id },
      h('th', { scope: 'row' }, x.id),
      h('td', {}, x.room || '–'),
      h('td', { class: x.online ? 'ok' : 'bad' }, x.online ? t('detail.online') : t('detail.offline')),
      h('td', {}, x.detail || ''),
      h('td', { class: 'nowrap' }, this.at(x.since)),
      h('td', { class: 'num', 'data-col': 'reads' }, count(x.cardReads)),
      h('td', { class: 'num' }, count(x.checksumErrors)),
      h('td', { class: 'num' }, count(x.reconnects)),
      h('td', { class: 'num' }, count(x.timeouts)),
      h('td', {}, (x.alerts || []).join(', '))));
    return this.section('readers', 'health.readers', this.table('readers',
      ['detail.reader', 'events.room', 'detail.state', 'health.detail', 'health.since', 'health.reads', 'health.checksumErrors',
        'health.reconnects', 'health.timeouts', 'health.alerts'], rows, 'health.noReaders'));
  }

  sensors(r) {
    const rows = (r.sensors || []).map((x) => {
      const state = x.online === true ? 'online' : x.online === false ? 'offline' : 'unknown';
      return h('tr', { 'data-sensor': x.id },
        h('th', { scope: 'row' }, x.id),
        h('td', {}, x.room || '–'),
        h('td', { class: state === 'online' ? 'ok' : state === 'offline' ? 'bad' : '' }, t('detail.' + state)),
        h('td', { class: 'nowrap' }, this.at(x.lastSeen)));
    });
    return this.section('sensors', 'health.sensors', this.table('sensors',
      ['detail.device', 'events.room', 'detail.state', 'detail.lastSeen'], rows, 'health.noSensors'));
  }

  mqtt(r) {
    const m = r.mqtt;
    const b = r.broker;
    const rejected = m ? Object.values(m.rejected || {}).reduce((a, n) => a + n, 0) : null;
    return this.section('mqtt', 'health.mqtt', this.facts([
      ['health.mqttConnection', m ? (m.connected ? t('health.connected') : t('health.disconnected')) : t('health.noMqtt'),
        { 'data-fact': 'mqtt', class: m && !m.connected ? 'bad' : '' }],
      m && ['health.received', count(m.received)],
      m && ['health.readings', count(m.readings)],
      m && ['health.rejected', count(rejected)],
      m && ['health.dropped', count(m.dropped)],
      m && ['health.reconnects', count(m.reconnects)],
      ['health.broker', b ? t('health.brokerClients', { count: b.connections }) : t('health.noBroker')],
    ]));
  }

  sync(r) {
    const s = r.sync || {};
    const j = r.journal || {};
    const streams = Object.keys(j.pending || {});
    return this.section('sync', 'health.sync', this.facts([
      ['health.syncTarget', s.enabled ? s.target : t('health.syncOff'), { 'data-fact': 'sync' }],
      s.enabled && ['health.lastSuccess', this.at(s.lastSuccess)],
      s.enabled && ['health.failures', count(s.failures)],
      s.enabled && s.lastError && ['health.lastError', s.lastError, { class: 'bad' }],
      ...streams.map((name) => ['health.lag', t('health.lagValue', {
        stream: name, events: count(j.pending[name]), seconds: count((j.lagSeconds || {})[name]),
      }), { 'data-stream': name }]),
    ]));
  }

  disk(r) {
    const st = r.storage || {};
    const d = r.disk || {};
    const used = st.budgetBytes ? Math.min(1, (st.usedBytes || 0) / st.budgetBytes) : 0;
    return this.section('disk', 'health.disk',
      h('label', { for: 'journal-meter' }, t('health.journalUse', { used: bytes(st.usedBytes), budget: bytes(st.budgetBytes) })),
      h('meter', { id: 'journal-meter', min: '0', max: '1', low: '0.7', high: '0.9', optimum: '0', value: String(used) }),
      this.facts([
        ['health.journalFile', bytes(st.fileBytes)],
        ['health.diskFree', t('health.diskFreeOf', { free: bytes(d.freeBytes), total: bytes(d.totalBytes) }), { 'data-fact': 'disk' }],
        ['health.gaps', count(st.gaps)],
        ['health.deleted', count((st.deletedExpired || 0) + (st.deletedBudgetAcked || 0) + (st.deletedBudgetUnacked || 0))],
      ]));
  }

  writer(r) {
    const j = r.journal || {};
    return this.section('writer', 'health.writer', this.facts([
      ['health.commits', count(j.commits)],
      ['health.events', count(j.events)],
      ['health.failedCommits', count(j.failedCommits), { class: j.failedCommits ? 'bad' : '' }],
      ['health.largestBatch', count(j.largestBatch)],
      ['health.queued', count(j.queued)],
    ]));
  }
}
