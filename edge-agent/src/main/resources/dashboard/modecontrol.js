// The school-wide access mode switch (normal / emergency unlock / lockdown), shown to managers
// and admins only; the server checks the role and the CSRF token again whatever the page shows.
import { t } from './format.js';
import { goToLogin, post, session } from './session.js';

/** The feed's mode ("emergency_unlock") as the API and the messages spell it ("emergency-unlock"). */
export function modeKey(mode) {
  return (mode || 'normal').replace(/_/g, '-');
}

export class ModeControl {
  constructor(root, feed) {
    this.root = root;
    this.feed = feed;
    this.form = root.querySelector('form');
    this.select = root.querySelector('#mode-select');
    this.reason = root.querySelector('#mode-reason');
    this.result = root.querySelector('#mode-result');
    this.shown = null;
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.apply();
    });
  }

  /** Shows the control if the logged-in account may use it. */
  enable() {
    const s = session();
    this.root.hidden = !(s && s.via === 'session' && (s.role === 'manager' || s.role === 'admin'));
    this.select.value = modeKey(this.feed.mode);
  }

  render() {
    this.result.textContent = this.shown ? t(this.shown.key, this.shown.params) : '';
  }

  show(key, params = {}) {
    this.shown = { key, params };
    this.render();
  }

  async apply() {
    const reason = this.reason.value.trim();
    if (!reason) {
      this.show('modeControl.needReason');
      this.reason.focus();
      return;
    }
    const mode = this.select.value;
    try {
      const response = await post('/api/access/mode', { mode, reason, by: session().user });
      if (response.status === 401) {
        goToLogin();
        return;
      }
      const body = await response.json();
      if (!response.ok) {
        this.show('modeControl.failed', { error: body.message || 'HTTP ' + response.status });
        return;
      }
      this.reason.value = '';
      this.feed.mode = body.mode;
      this.feed.emit('rooms', this.feed.rooms);
      this.show('modeControl.done', { mode: t('mode.' + modeKey(body.mode)) });
    } catch (e) {
      this.show('modeControl.failed', { error: e.message });
    }
  }
}
