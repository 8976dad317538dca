// Numbers as people read them.

export function duration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(Number(seconds))) {
    return '';
  }
  const total = Math.round(Number(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function bytes(count) {
  const n = Number(count);
  if (!Number.isFinite(n)) {
    return '';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function bitrate(bitsPerSecond) {
  const n = Number(bitsPerSecond);
  if (!Number.isFinite(n) || n <= 0) {
    return '';
  }
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)} Mbit/s` : `${Math.round(n / 1e3)} kbit/s`;
}

export function percent(value) {
  const n = Number(value);
  return Number.isFinite(n) ? `${Math.floor(n)} %` : '';
}

/** "3 s left", "2 min left"; empty when unknown. */
export function timeLeft(seconds) {
  const n = Number(seconds);
  if (!Number.isFinite(n) || n < 0) {
    return '';
  }
  if (n < 60) {
    return `${Math.ceil(n)} s left`;
  }
  if (n < 3600) {
    return `${Math.ceil(n / 60)} min left`;
  }
  return `${(n / 3600).toFixed(1)} h left`;
}

export function date(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString();
}

const STATUS_LABELS = {
  AWAITING_UPLOAD: 'Awaiting upload',
  UPLOADED: 'Uploaded',
  QUEUED: 'Queued',
  PROCESSING: 'Processing',
  READY: 'Ready',
  FAILED: 'Failed',
};

export function status(value) {
  return STATUS_LABELS[value] || String(value);
}
