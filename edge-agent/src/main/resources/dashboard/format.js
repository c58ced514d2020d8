// Language, message lookup, number/time formatting and a tiny DOM builder. Text always goes in
// through textContent (h() never parses HTML), so room names, card ids or alarm messages from
// the API can never become markup.
import { DEFAULT_LANGUAGE, LANGUAGES, MESSAGES } from './messages.js';

const STORAGE_KEY = 'campusedge.lang';
let lang = pickLanguage();
const languageListeners = [];

function pickLanguage() {
  let saved = null;
  try {
    saved = window.localStorage.getItem(STORAGE_KEY);
  } catch (e) {
    // Storage can be disabled (private mode, policy); the default language still works.
  }
  return LANGUAGES.includes(saved) ? saved : DEFAULT_LANGUAGE;
}

export function language() {
  return lang;
}

/** Switches the language, remembers it, and re-renders whatever registered with onLanguage(). */
export function setLanguage(next) {
  if (!LANGUAGES.includes(next) || next === lang) {
    return;
  }
  lang = next;
  try {
    window.localStorage.setItem(STORAGE_KEY, next);
  } catch (e) {
    // Not remembered; the switch still applies to this page.
  }
  document.documentElement.lang = next;
  languageListeners.forEach((fn) => fn(next));
}

export function onLanguage(fn) {
  languageListeners.push(fn);
}

/** The message for key in the current language, with {name} placeholders filled from params. */
export function t(key, params = {}) {
  const table = MESSAGES[lang] || {};
  const text = table[key] ?? MESSAGES[DEFAULT_LANGUAGE][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** A message if the table has one for key, otherwise the fallback (e.g. an unknown metric's wire name). */
export function tOr(key, fallback) {
  const table = MESSAGES[lang] || {};
  return table[key] ?? MESSAGES[DEFAULT_LANGUAGE][key] ?? fallback;
}

export function metricName(metric) {
  return tOr('metric.' + metric, metric);
}

export function roomType(type) {
  return tOr('type.' + type, type || t('type.other'));
}

const DIGITS = { co2: 0, power: 0, energy: 1, noise: 0, illuminance: 0 };

// Intl formatters are costly to make (a grid of 50 rooms formats hundreds of values, and live
// updates many more a second): one per language and kind, made on first use.
const formatters = new Map();

function formatter(kind, make) {
  const key = lang + '|' + kind;
  let f = formatters.get(key);
  if (!f) {
    f = make(lang);
    formatters.set(key, f);
  }
  return f;
}

export function number(value, metric) {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return '–';
  }
  const digits = metric in DIGITS ? DIGITS[metric] : 1;
  return formatter('number' + digits,
    (l) => new Intl.NumberFormat(l, { minimumFractionDigits: digits, maximumFractionDigits: digits })).format(value);
}

export function time(iso) {
  if (!iso) {
    return '–';
  }
  return formatter('time',
    (l) => new Intl.DateTimeFormat(l, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })).format(new Date(iso));
}

export function dateTime(iso) {
  if (!iso) {
    return '–';
  }
  return formatter('dateTime', (l) => new Intl.DateTimeFormat(l, {
    month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  })).format(new Date(iso));
}

const METRIC_ORDER = ['temperature', 'humidity', 'co2', 'pm25', 'voc', 'noise', 'illuminance', 'power', 'energy'];

/** Metrics in the order a facility manager reads them: climate first, then air, then the rest by name. */
export function byMetricOrder(metrics) {
  const rank = (m) => {
    const i = METRIC_ORDER.indexOf(m.metric);
    return i < 0 ? METRIC_ORDER.length : i;
  };
  return [...metrics].sort((a, b) => rank(a) - rank(b) || a.metric.localeCompare(b.metric) || a.sensor.localeCompare(b.sensor));
}

export const TREND_ARROWS = { rising: '↑', falling: '↓', steady: '→' };

/**
 * Builds an element: h('a', {href: '/x', class: 'y', 'aria-label': 'z'}, 'text', child...).
 * Attribute values are set with setAttribute; strings become text nodes. Null children are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    if (Array.isArray(c)) {
      append(el, c);
    } else if (c instanceof Node) {
      el.appendChild(c);
    } else {
      el.appendChild(document.createTextNode(String(c)));
    }
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const ICONS = new Set(['recording-studio', 'robotics-lab', 'maker-space', 'room']);

/** The room type's icon from the sprite, decorative (the type is also written out as text). */
export function icon(type) {
  const name = ICONS.has(type) ? type : 'room';
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const use = document.createElementNS(SVG_NS, 'use');
  use.setAttribute('href', '/assets/icons.svg#' + name);
  svg.appendChild(use);
  return svg;
}
