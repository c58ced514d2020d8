// Starts the page: language, header and its navigation, connection indicator, and the page the
// path names: the grid (/), a room's page (/rooms/<id>), the events page (/events) or the health
// page (/health).
import { LANGUAGES } from './messages.js';
import { language, onLanguage, setLanguage, t, time } from './format.js';
import { RoomFeed } from './live.js';
import { RoomGrid } from './grid.js';
import { RoomPage } from './room.js';
import { EventsPage } from './events.js';
import { HealthPage } from './health.js';
import { loadSession, logout, session } from './session.js';
import { ModeControl, modeKey } from './modecontrol.js';

const main = document.getElementById('main');
const conn = document.getElementById('conn');
const connText = document.getElementById('conn-text');
const banner = document.getElementById('stale-banner');
const modeBadge = document.getElementById('mode');
const langSelect = document.getElementById('lang');
const who = document.getElementById('who');
const logoutButton = document.getElementById('logout');

/** The room id in /rooms/<id>, or null on the grid. */
function roomIdFromPath() {
  const m = /^\/rooms\/([^/]+)$/.exec(window.location.pathname);
  if (!m) {
    return null;
  }
  try {
    return decodeURIComponent(m[1]);
  } catch (e) {
    return m[1];
  }
}

const roomId = roomIdFromPath();
const path = window.location.pathname;
/** Which page this is: 'grid', 'room', 'events' or 'health'; the nav entry it marks. */
const page = roomId ? 'room' : path === '/events' ? 'events' : path === '/health' ? 'health' : 'grid';
const NAV_OF = { grid: 'rooms', room: 'rooms', events: 'events', health: 'health' };
const feed = new RoomFeed(roomId ? ['tap'] : []);
let view;
if (page === 'room') {
  view = new RoomPage(main, feed, roomId);
} else if (page === 'events') {
  view = new EventsPage(main, feed);
} else if (page === 'health') {
  view = new HealthPage(main);
} else {
  view = new RoomGrid(main, feed);
}
const modeControl = page === 'grid' ? new ModeControl(document.getElementById('mode-control'), feed) : null;
/** The events and health pages keep their own data: room updates only refresh the header. */
const showsRooms = page === 'grid' || page === 'room';

function markNavigation() {
  const nav = document.getElementById('site-nav');
  nav.setAttribute('aria-label', t('nav.label'));
  for (const link of nav.querySelectorAll('a[data-nav]')) {
    if (link.dataset.nav === NAV_OF[page]) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
}

function translateStatic() {
  document.documentElement.lang = language();
  document.title = t('app.title');
  for (const el of document.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  langSelect.value = language();
  markNavigation();
  renderConnection();
  renderMode();
  renderWho();
}

function renderWho() {
  const s = session();
  if (!s) {
    return;
  }
  who.textContent = s.via === 'local' ? t('auth.local') : t('auth.user', { user: s.user, role: t('role.' + s.role) });
  logoutButton.hidden = s.via !== 'session';
}

function renderConnection() {
  conn.dataset.state = feed.state;
  connText.textContent = t('conn.' + feed.state);
  document.body.classList.toggle('is-stale', feed.state === 'stale');
  banner.hidden = feed.state !== 'stale';
  if (feed.state === 'stale') {
    banner.textContent = t('conn.staleBanner', { time: feed.lastUpdate ? time(feed.lastUpdate.toISOString()) : '–' });
  }
}

function renderMode() {
  const mode = modeKey(feed.mode);
  modeBadge.hidden = mode === 'normal';
  modeBadge.dataset.mode = mode;
  modeBadge.textContent = t('mode.label', { mode: t('mode.' + mode) });
  if (modeControl) {
    modeControl.render();
  }
}

for (const code of LANGUAGES) {
  if (![...langSelect.options].some((o) => o.value === code)) {
    langSelect.appendChild(new Option(code, code));
  }
}
langSelect.addEventListener('change', () => setLanguage(langSelect.value));
logoutButton.addEventListener('click', () => logout());
onLanguage(() => {
  translateStatic();
  view.renderAll();
});

feed.on('state', renderConnection)
  .on('rooms', () => {
    renderMode();
    if (showsRooms) {
      view.renderAll();
    }
  })
  .on('room', (room) => {
    if (showsRooms) {
      view.update(room);
    }
  })
  .on('event', (e) => {
    if (view.onEvent) {
      view.onEvent(e);
    }
  });

translateStatic();
main.replaceChildren(document.createTextNode(t('app.loading')));

async function boot() {
  try {
    await loadSession();
    renderWho();
    if (modeControl) {
      modeControl.enable();
    }
    if (view.loadTaps) {
      view.loadTaps();
    }
    if (view.start) {
      view.start();
    }
    await feed.start();
  } catch (e) {
    if (showsRooms) {
      main.replaceChildren(document.createTextNode(t('app.loadFailed', { error: e.message })));
    }
    feed.setState('stale');
    feed.wasDown = true;
    setTimeout(() => feed.reopen(), 2000);
  }
}

boot();
