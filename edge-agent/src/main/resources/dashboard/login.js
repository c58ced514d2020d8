// The log-in page: posts the form as JSON to /api/login and, on success, goes to the page the
// visitor first asked for (only a path on this server: never another site).
import { LANGUAGES } from './messages.js';
import { language, onLanguage, setLanguage, t } from './format.js';

const form = document.getElementById('login-form');
const message = document.getElementById('login-message');
const submit = document.getElementById('login-submit');
const langSelect = document.getElementById('lang');

/** Where to go after logging in: a local path from ?next=, or the grid. */
function nextPath() {
  const next = new URLSearchParams(window.location.search).get('next') || '/';
  return /^\/(?![/\\])[A-Za-z0-9\-._~%/]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}

/** The message shown under the form, as a key and its parameters, so a language switch re-renders it. */
let shown = null;

function translateStatic() {
  document.documentElement.lang = language();
  document.title = t('auth.title') + ' · ' + t('app.title');
  for (const el of document.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  langSelect.value = language();
  render();
}

function render() {
  message.textContent = shown ? t(shown.key, shown.params) : '';
  message.hidden = !shown;
}

function show(key, params = {}) {
  shown = { key, params };
  render();
}

for (const code of LANGUAGES) {
  if (![...langSelect.options].some((o) => o.value === code)) {
    langSelect.appendChild(new Option(code, code));
  }
}
langSelect.addEventListener('change', () => setLanguage(langSelect.value));
onLanguage(translateStatic);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  submit.disabled = true;
  show('auth.working');
  try {
    const response = await fetch('/api/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username: form.username.value, password: form.password.value }),
      cache: 'no-store',
    });
    if (response.ok) {
      window.location.assign(nextPath());
      return;
    }
    if (response.status === 401) {
      show('auth.bad');
      form.password.value = '';
      form.password.focus();
    } else if (response.status === 429) {
      show('auth.limited', { seconds: response.headers.get('Retry-After') || '60' });
    } else {
      show('auth.failed', { error: 'HTTP ' + response.status });
    }
  } catch (e) {
    show('auth.failed', { error: e.message });
  } finally {
    submit.disabled = false;
  }
});

translateStatic();
form.username.focus();
