// Times in the school's time zone (an IANA id the agent tells), whatever zone the browser is in:
// a manager abroad, or a wall display with the wrong zone, still reads and enters school time.
// Intl does the zone arithmetic; nothing here knows any zone's rules.

const formatters = new Map();

function fieldsFormatter(zone) {
  if (!formatters.has(zone)) {
    formatters.set(zone, new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    }));
  }
  return formatters.get(zone);
}

/** The wall-clock fields in zone at epoch milliseconds ms. */
function fields(zone, ms) {
  const out = {};
  for (const part of fieldsFormatter(zone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') {
      out[part.type] = Number(part.value);
    }
  }
  return out;
}

/** How far zone's wall clock is ahead of UTC at ms, in milliseconds. */
function offsetMs(zone, ms) {
  const f = fields(zone, ms);
  const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The browser's own zone, for when the agent has not said yet. */
export function browserZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * A datetime-local value ("2026-11-29T08:05") read as school time, as an ISO instant
 * ("2026-11-29T00:05:00.000Z"); null if the value is not one.
 */
export function localInputToInstant(value, zone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value || '');
  if (!m) {
    return null;
  }
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] || 0));
  // The offset at the guess, then at the result: right across a daylight-saving change too.
  let ms = wall - offsetMs(zone, wall);
  ms = wall - offsetMs(zone, ms);
  return new Date(ms).toISOString();
}

/** An ISO instant as a datetime-local value in school time ("2026-11-29T08:05"). */
export function instantToLocalInput(iso, zone) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    return '';
  }
  const f = fields(zone, ms);
  const two = (n) => String(n).padStart(2, '0');
  return `${f.year}-${two(f.month)}-${two(f.day)}T${two(f.hour)}:${two(f.minute)}`;
}

/** An instant as date and time in school time, in the page's language. */
export function zonedDateTime(iso, zone, lang) {
  if (!iso) {
    return '–';
  }
  return new Intl.DateTimeFormat(lang, {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).format(new Date(iso));
}
