// The live room state in the browser: a snapshot from GET /api/rooms, kept current by the
// server-sent events of /api/stream.
//
// Gap-free start: the snapshot's X-Last-Event-ID header is the stream position it is current
// to; the first stream opens with ?lastEventId=<that>, so the server replays any change made
// after the snapshot. Each applied room event's sequence number is remembered, so a snapshot
// fetched later (after a `reset`, or after a reconnect) never overwrites a newer room event.
//
// EventSource reconnects by itself after a dropped connection (sending Last-Event-ID); if the
// server answered anything but a stream (a 503 when full, the agent restarting), EventSource
// gives up, and this class retries itself with a growing delay. While the stream is down the
// state is 'stale' and listeners are told, so the page can say so.

import { goToLogin } from './session.js';

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 15000;

/** "<epoch>-<seq>" → {epoch, seq}; anything else → null. */
function parseId(id) {
  const m = /^(.+)-(\d+)$/.exec(id || '');
  return m ? { epoch: m[1], seq: Number(m[2]) } : null;
}

export class RoomFeed {
  /**
   * @param topics stream topics beyond `room` and `mode`, e.g. ['tap'] for a room's page
   */
  constructor(topics = []) {
    this.topics = ['room', 'mode', ...topics];
    this.rooms = new Map();
    this.mode = 'normal';
    this.state = 'connecting';
    this.lastUpdate = null;
    this.listeners = { rooms: [], room: [], state: [], event: [] };
    this.source = null;
    this.position = null;
    this.roomSeq = new Map();
    this.retryMs = RETRY_MIN_MS;
    this.retryTimer = null;
    this.wasDown = false;
    this.refreshing = null;
  }

  /** kind: 'rooms' (whole snapshot), 'room' (one room changed), 'state' (connection), 'event' (tap etc). */
  on(kind, fn) {
    this.listeners[kind].push(fn);
    return this;
  }

  emit(kind, arg) {
    this.listeners[kind].forEach((fn) => fn(arg));
  }

  async start() {
    await this.refresh();
    this.open();
  }

  /** Fetches the snapshot; concurrent callers share one request. Rejects if it cannot be had. */
  refresh() {
    if (!this.refreshing) {
      this.refreshing = this.fetchSnapshot().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  async fetchSnapshot() {
    const response = await fetch('/api/rooms', { cache: 'no-store', headers: { Accept: 'application/json' } });
    if (response.status === 401) {
      // The session ended (idle, logged out elsewhere, agent restarted): log in again.
      goToLogin();
    }
    if (!response.ok) {
      throw new Error('HTTP ' + response.status);
    }
    const position = response.headers.get('X-Last-Event-ID');
    const body = await response.json();
    const at = parseId(position);
    const next = new Map();
    for (const room of body.rooms) {
      const seen = this.roomSeq.get(room.id);
      const kept = this.rooms.get(room.id);
      // A room event newer than the snapshot (same server epoch) wins over the snapshot.
      if (kept && seen && at && seen.epoch === at.epoch && seen.seq > at.seq) {
        next.set(room.id, kept);
      } else {
        next.set(room.id, room);
        this.roomSeq.delete(room.id);
      }
    }
    this.rooms = next;
    this.mode = body.mode || 'normal';
    if (position) {
      // Where a stream opened from now on resumes (EventSource's own reconnects use Last-Event-ID).
      this.position = position;
    }
    this.touch();
    this.emit('rooms', this.rooms);
  }

  open() {
    clearTimeout(this.retryTimer);
    let url = '/api/stream?topics=' + encodeURIComponent(this.topics.join(','));
    if (this.position) {
      url += '&lastEventId=' + encodeURIComponent(this.position);
    }
    const source = new EventSource(url);
    this.source = source;
    source.onopen = () => {
      this.retryMs = RETRY_MIN_MS;
      if (this.wasDown) {
        // The stream replays what it can; a fresh snapshot covers anything it could not.
        this.wasDown = false;
        this.refresh().catch(() => {});
      }
      this.setState('live');
    };
    source.onerror = () => {
      this.wasDown = true;
      this.setState('stale');
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        this.retryTimer = setTimeout(() => this.reopen(), this.retryMs);
        this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
      }
    };
    source.addEventListener('room', (e) => this.onRoom(e));
    source.addEventListener('mode', (e) => {
      const data = JSON.parse(e.data);
      this.mode = (data.payload && data.payload.mode) || this.mode;
      this.touch();
      this.emit('rooms', this.rooms);
    });
    source.addEventListener('reset', () => {
      this.refresh().catch(() => {});
    });
    for (const topic of this.topics) {
      if (topic !== 'room' && topic !== 'mode') {
        source.addEventListener(topic, (e) => {
          this.touch();
          this.emit('event', { topic, data: JSON.parse(e.data) });
        });
      }
    }
  }

  async reopen() {
    try {
      await this.refresh();
      this.open();
    } catch (e) {
      this.retryTimer = setTimeout(() => this.reopen(), this.retryMs);
      this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
    }
  }

  onRoom(e) {
    const room = JSON.parse(e.data);
    const id = parseId(e.lastEventId);
    if (id) {
      this.roomSeq.set(room.id, id);
    }
    this.rooms.set(room.id, room);
    this.touch();
    this.emit('room', room);
  }

  touch() {
    this.lastUpdate = new Date();
  }

  setState(state) {
    if (state !== this.state) {
      this.state = state;
      this.emit('state', state);
    }
  }

  close() {
    clearTimeout(this.retryTimer);
    if (this.source) {
      this.source.close();
    }
  }
}
