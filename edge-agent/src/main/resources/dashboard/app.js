// Starts the page: language, header, connection indicator, and the grid or a room's page
// depending on the path (/ or /rooms/<id>).
import { LANGUAGES } from './messages.js';
import { language, onLanguage, setLanguage, t, time } from './format.js';
import { RoomFeed } from './live.js';
import { RoomGrid } from './grid.js';
import { RoomPage } from './room.js';
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
const feed = new RoomFeed(roomId ? ['tap'] : []);
const view = roomId ? new RoomPage(main, feed, roomId) : new RoomGrid(main, feed);
const modeControl = roomId ? null : new ModeControl(document.getElementById('mode-control'), feed);

function translateStatic() {
  document.documentElement.lang = language();
  document.title = t('app.title');
  for (const el of document.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  langSelect.value = language();
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
    view.renderAll();
  })
  .on('room', (room) => view.update(room))
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
    await feed.start();
  } catch (e) {
    main.replaceChildren(document.createTextNode(t('app.loadFailed', { error: e.message })));
    feed.setState('stale');
    feed.wasDown = true;
    setTimeout(() => feed.reopen(), 2000);
  }
}

boot();
