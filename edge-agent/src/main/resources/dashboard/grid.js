// The room grid: one card per room, updated in place as room events arrive.
import { TREND_ARROWS, byMetricOrder, h, icon, metricName, number, roomType, t, time } from './format.js';

/** Metrics shown elsewhere on the card (badges, equipment, doors), not in the metric list. */
const NOT_LISTED = new Set(['on-air', 'contact', 'door', 'energy', 'power']);
const MAX_METRICS = 6;
/** A performance mark set once per page load, when the first full grid has been painted (bench dashboard reads it). */
export const GRID_READY_MARK = 'campus-edge:grid-ready';

export class RoomGrid {
  constructor(main, feed) {
    this.main = main;
    this.feed = feed;
    this.cards = new Map();
    this.list = null;
  }

  /** Renders every room from scratch (first load, snapshot, language switch). */
  renderAll() {
    const heading = h('h1', { class: 'page-title', id: 'rooms-title' }, t('app.rooms'));
    this.list = h('ul', { class: 'grid', 'aria-labelledby': 'rooms-title' });
    this.cards.clear();
    const rooms = [...this.feed.rooms.values()];
    for (const room of rooms) {
      const item = h('li', { class: 'grid-item' });
      this.list.appendChild(item);
      this.cards.set(room.id, item);
      this.fill(item, room);
    }
    const empty = rooms.length === 0 ? h('p', { class: 'empty' }, t('app.noRooms')) : null;
    this.main.replaceChildren(heading, this.list, empty || '');
    if (performance.getEntriesByName(GRID_READY_MARK).length === 0) {
      // After the next frame is painted: when a person sees the rooms, not when the DOM was built.
      requestAnimationFrame(() => setTimeout(() => {
        if (performance.getEntriesByName(GRID_READY_MARK).length === 0) {
          performance.mark(GRID_READY_MARK, { detail: { rooms: rooms.length } });
        }
      }, 0));
    }
  }

  /** One room changed: refill its card only (a new room gets a new card). */
  update(room) {
    const item = this.cards.get(room.id);
    if (!item) {
      this.renderAll();
      return;
    }
    this.fill(item, room);
  }

  fill(item, room) {
    // The card is rebuilt; if keyboard focus was inside it, put it back on the new link.
    const focused = document.activeElement && item.contains(document.activeElement);
    item.replaceChildren(card(room));
    if (focused) {
      const link = item.querySelector('a.room-link');
      if (link) {
        link.focus({ preventScroll: true });
      }
    }
  }
}

function card(room) {
  const titleId = 'room-title-' + cssId(room.id);
  const alarms = room.alarms || [];
  const problems = offlineBadges(room);
  const severity = alarms.some((a) => a.severity === 'critical') ? 'critical'
    : alarms.length > 0 ? 'warning' : problems.length > 0 ? 'degraded' : 'ok';
  return h('article', { class: 'card card-' + severity, 'data-room': room.id, 'aria-labelledby': titleId },
    h('header', { class: 'card-head' },
      icon(room.type),
      h('div', { class: 'card-title' },
        h('h2', { id: titleId },
          h('a', { class: 'room-link', href: '/rooms/' + encodeURIComponent(room.id) }, room.name || room.id)),
        h('p', { class: 'room-type' }, roomType(room.type))),
      onAirBadge(room)),
    occupancy(room),
    metrics(room),
    equipment(room),
    alarmList(alarms),
    problems.length > 0 ? h('ul', { class: 'badges', 'data-part': 'offline' }, problems) : null,
    lastTap(room));
}

function cssId(id) {
  return String(id).replace(/[^A-Za-z0-9_-]/g, '_');
}

function onAirBadge(room) {
  if (!room.onAir) {
    return null;
  }
  return room.onAir.on
    ? h('span', { class: 'badge on-air', 'data-part': 'on-air' }, t('room.onAir'))
    : h('span', { class: 'badge off-air', 'data-part': 'on-air' }, t('room.offAir'));
}

function occupancy(room) {
  const occ = room.occupancy || { count: 0 };
  const cap = room.capacity || 0;
  const text = cap > 0 ? t('room.occupancyOf', { count: occ.count, capacity: cap }) : t('room.noLimit', { count: occ.count });
  const full = cap > 0 && occ.count >= cap;
  return h('div', { class: 'occupancy', 'data-part': 'occupancy' },
    h('span', { class: 'label' }, t('room.occupancy')),
    h('span', { class: 'value', 'data-value': occ.count }, text),
    full ? h('span', { class: 'badge full' }, t('room.full')) : null,
    cap > 0 ? h('meter', { min: 0, max: cap, value: Math.min(occ.count, cap), high: Math.ceil(cap * 0.9), 'aria-label': t('room.occupancy') + ' ' + text }) : null);
}

function metrics(room) {
  const listed = byMetricOrder(room.metrics || []).filter((m) => !NOT_LISTED.has(m.metric)).slice(0, MAX_METRICS);
  if (listed.length === 0) {
    return h('p', { class: 'muted metrics-empty' }, t('room.noMetrics'));
  }
  return h('dl', { class: 'metrics', 'aria-label': t('room.metrics') },
    listed.map((m) => h('div', { class: 'metric', 'data-metric': m.metric, 'data-sensor': m.sensor },
      h('dt', {}, metricName(m.metric)),
      h('dd', {},
        h('span', { class: 'value' }, number(m.value, m.metric)),
        h('span', { class: 'unit' }, m.unit && m.unit !== 'on' ? ' ' + m.unit : ''),
        m.trend ? h('span', { class: 'trend trend-' + m.trend, title: t('trend.' + m.trend) },
          h('span', { 'aria-hidden': 'true' }, ' ' + (TREND_ARROWS[m.trend] || '')),
          h('span', { class: 'sr-only' }, ' ' + t('trend.' + m.trend))) : null))));
}

function equipment(room) {
  const items = [];
  for (const e of room.equipment || []) {
    items.push(h('li', { class: 'equipment ' + (e.on ? 'is-on' : 'is-off'), 'data-equipment': e.sensor },
      e.sensor + ': ' + (e.on ? t('room.on') : t('room.off')) + (e.on ? ' · ' + number(e.watts, 'power') + ' W' : '')));
  }
  for (const d of room.doors || []) {
    items.push(h('li', { class: 'door ' + (d.open ? 'is-open' : 'is-closed'), 'data-door': d.sensor },
      t('room.doors') + ' ' + d.sensor + ': ' + (d.open ? t('room.doorOpen') : t('room.doorClosed'))));
  }
  return items.length > 0 ? h('ul', { class: 'states', 'aria-label': t('room.equipment') }, items) : null;
}

function alarmList(alarms) {
  if (alarms.length === 0) {
    return null;
  }
  return h('ul', { class: 'alarms', 'data-part': 'alarms', 'aria-label': t('room.alarms') },
    alarms.map((a) => h('li', { class: 'alarm alarm-' + (a.severity || 'warning'), 'data-alarm': a.id },
      h('strong', {}, t('severity.' + (a.severity || 'warning'))), ' ', a.message || a.rule)));
}

function offlineBadges(room) {
  const out = [];
  for (const r of room.readers || []) {
    if (r.state === 'offline') {
      out.push(h('li', { class: 'badge offline', 'data-reader': r.id }, t('room.readerOffline', { id: r.id })));
    } else if (r.state === 'unknown') {
      out.push(h('li', { class: 'badge unknown', 'data-reader': r.id }, t('room.readerUnknown', { id: r.id })));
    }
    for (const alert of r.alerts || []) {
      out.push(h('li', { class: 'badge offline', 'data-reader': r.id }, t('room.readerAlert', { id: r.id, alert })));
    }
  }
  for (const s of room.sensors || []) {
    if (s.online === false) {
      out.push(h('li', { class: 'badge offline', 'data-sensor': s.id }, t('room.sensorOffline', { id: s.id })));
    }
  }
  return out;
}

function lastTap(room) {
  const taps = (room.readers || []).map((r) => r.lastTap).filter(Boolean);
  if (taps.length === 0) {
    return null;
  }
  const tap = taps.reduce((a, b) => (a.at > b.at ? a : b));
  return h('p', { class: 'last-tap muted' }, t('room.lastTap', {
    who: tap.person || tap.card,
    decision: tap.granted ? t('detail.granted') : t('reason.' + tap.reason),
    time: time(tap.at),
  }));
}
