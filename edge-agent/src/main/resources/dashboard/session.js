// Who is logged in, and the CSRF token every state-changing request must carry. The session
// cookie itself is HttpOnly: scripts never see it; the server tells the token from /api/session.

let current = null;

/** Sends the browser to the log-in page, to come back here afterwards. */
export function goToLogin() {
  const next = window.location.pathname;
  window.location.assign('/login?next=' + encodeURIComponent(next));
}

/** Fetches who is logged in; on 401 goes to the log-in page (and never resolves). */
export async function loadSession() {
  const response = await fetch('/api/session', { cache: 'no-store', headers: { Accept: 'application/json' } });
  if (response.status === 401) {
    goToLogin();
    return new Promise(() => {});
  }
  if (!response.ok) {
    throw new Error('HTTP ' + response.status);
  }
  current = await response.json();
  return current;
}

export function session() {
  return current;
}

/** A POST with a JSON body and this session's CSRF token. */
export function post(url, body) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (current && current.csrfToken) {
    headers['X-CSRF-Token'] = current.csrfToken;
  }
  return fetch(url, { method: 'POST', headers, body: JSON.stringify(body ?? {}), cache: 'no-store' });
}

/** Ends the session on the server and shows the log-in page. */
export async function logout() {
  try {
    await post('/api/logout', {});
  } finally {
    window.location.assign('/login');
  }
}
