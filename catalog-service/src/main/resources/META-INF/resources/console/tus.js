// A resumable upload over tus 1.0 (creation extension), as the catalog speaks it at /api/uploads: create, then PATCH
// chunks; after a dropped connection or a page reload, HEAD tells where to go on. An upload's URL is kept in
// localStorage under the file's fingerprint (never the token: the person signs in again after a reload).
import { ApiError, authorization, problem } from './api.js';

const TUS_VERSION = '1.0.0';
const STORE_PREFIX = 'console.upload.';
const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000];

/** What identifies "the same file" when a person picks it again after a reload. */
export function fingerprint(file, user) {
  return `${user}|${file.name}|${file.size}|${file.lastModified}`;
}

/** Uploads left unfinished by `user` (e.g. before a reload): [{key, url, videoId, title, name, size, offset}]. */
export function pendingUploads(user) {
  const pending = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key.startsWith(STORE_PREFIX)) {
      try {
        const entry = JSON.parse(localStorage.getItem(key));
        if (entry.user === user) {
          pending.push({ key: key.slice(STORE_PREFIX.length), ...entry });
        }
      } catch (e) {
        localStorage.removeItem(key);
      }
    }
  }
  return pending;
}

export function forgetUpload(key) {
  localStorage.removeItem(STORE_PREFIX + key);
}

function remember(key, entry) {
  localStorage.setItem(STORE_PREFIX + key, JSON.stringify(entry));
}

function metadataHeader(pairs) {
  return Object.entries(pairs)
    .map(([k, v]) => `${k} ${btoa(String.fromCharCode(...new TextEncoder().encode(v)))}`)
    .join(',');
}

/**
 * Uploads `file` to the video `videoId`, resuming the upload stored for the same file when there is one.
 * Callbacks: onProgress({sent, total, bytesPerSecond, secondsLeft}), onState(text) for retries and pauses.
 * Resolves with {jobId} once the last chunk is accepted; rejects with an ApiError for a refusal (415, 413, ...).
 */
export class TusUpload {
  constructor({ file, videoId, title, user, chunkSize = 8 * 1024 * 1024, onProgress = () => {}, onState = () => {} }) {
    Object.assign(this, { file, videoId, title, user, chunkSize, onProgress, onState });
    this.key = fingerprint(file, user);
    this.aborted = false;
    this.xhr = null;
    this.samples = [];
  }

  async start() {
    const stored = JSON.parse(localStorage.getItem(STORE_PREFIX + this.key) || 'null');
    let url = stored && stored.videoId === this.videoId ? stored.url : null;
    let offset = 0;
    if (url) {
      offset = await this.withRetries(() => this.head(url)).catch((e) => {
        if (e instanceof ApiError && (e.status === 404 || e.status === 410 || e.status === 403)) {
          forgetUpload(this.key);
          return null;
        }
        throw e;
      });
      if (offset === null) {
        url = null;
        offset = 0;
      }
    }
    if (!url) {
      url = await this.withRetries(() => this.create());
      remember(this.key, {
        url, videoId: this.videoId, title: this.title, user: this.user, name: this.file.name, size: this.file.size,
        offset: 0,
      });
    }
    this.url = url;
    this.report(offset, true);
    let jobId = null;
    while (offset < this.file.size) {
      let result;
      try {
        result = await this.withRetries(() => this.patch(url, offset), () => this.head(url).then((o) => { offset = o; }));
      } catch (e) {
        if (e instanceof ApiError && [400, 404, 410, 413, 415].includes(e.status)) {
          // refused (not a video, too large, gone): the server dropped the upload, so there is nothing to resume
          forgetUpload(this.key);
        }
        throw e;
      }
      offset = result.offset;
      jobId = result.jobId || jobId;
      remember(this.key, { ...JSON.parse(localStorage.getItem(STORE_PREFIX + this.key)), offset });
    }
    forgetUpload(this.key);
    return { jobId };
  }

  /** Stops the upload; what the server has is kept, so starting again with the same file resumes. */
  pause() {
    this.aborted = true;
    if (this.xhr) {
      this.xhr.abort();
    }
  }

  /** Runs `attempt`, retrying network failures and server errors (5xx) with growing pauses; `beforeRetry` resyncs. */
  async withRetries(attempt, beforeRetry) {
    for (let failures = 0; ; failures++) {
      if (this.aborted) {
        throw new ApiError('The upload was paused', 'PAUSED');
      }
      try {
        return await attempt();
      } catch (e) {
        const retriable = !(e instanceof ApiError) || e.status >= 500 || e.status === 409 || e.status === 423;
        if (!retriable || this.aborted || failures >= RETRY_DELAYS_MS.length) {
          throw e;
        }
        await this.waitBeforeRetry(RETRY_DELAYS_MS[failures], e);
        if (beforeRetry) {
          await beforeRetry().catch(() => {});
        }
      }
    }
  }

  async waitBeforeRetry(delay, error) {
    if (!navigator.onLine) {
      this.onState('The connection is down; the upload goes on when it is back');
      await new Promise((resolve) => window.addEventListener('online', resolve, { once: true }));
    } else {
      this.onState(`${error.message}; trying again in ${Math.round(delay / 1000)} s`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    this.onState('');
  }

  async create() {
    const response = await fetch('/api/uploads', {
      method: 'POST',
      headers: {
        'Tus-Resumable': TUS_VERSION,
        'Upload-Length': String(this.file.size),
        'Upload-Metadata': metadataHeader({ videoId: this.videoId, filename: this.file.name }),
        ...authorization(),
      },
    });
    if (response.status !== 201) {
      throw await problem(response);
    }
    return new URL(response.headers.get('Location'), location.href).toString();
  }

  async head(url) {
    const response = await fetch(url, {
      method: 'HEAD',
      headers: { 'Tus-Resumable': TUS_VERSION, ...authorization() },
      cache: 'no-store',
    });
    if (!response.ok) {
      throw new ApiError(`The upload cannot be resumed (HTTP ${response.status})`, null, response.status);
    }
    return Number(response.headers.get('Upload-Offset'));
  }

  /** One chunk with XMLHttpRequest, whose upload events give progress within the chunk. */
  patch(url, offset) {
    const end = Math.min(offset + this.chunkSize, this.file.size);
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      this.xhr = xhr;
      xhr.open('PATCH', url);
      xhr.setRequestHeader('Tus-Resumable', TUS_VERSION);
      xhr.setRequestHeader('Upload-Offset', String(offset));
      xhr.setRequestHeader('Content-Type', 'application/offset+octet-stream');
      for (const [name, value] of Object.entries(authorization())) {
        xhr.setRequestHeader(name, value);
      }
      xhr.upload.onprogress = (event) => this.report(offset + event.loaded, false);
      xhr.onerror = () => reject(new Error('The connection broke off'));
      xhr.onabort = () => reject(new ApiError('The upload was paused', 'PAUSED'));
      xhr.onload = () => {
        this.xhr = null;
        if (xhr.status === 204) {
          const newOffset = Number(xhr.getResponseHeader('Upload-Offset'));
          this.report(newOffset, false);
          resolve({ offset: newOffset, jobId: xhr.getResponseHeader('Video-Job-Id') });
        } else {
          let body = null;
          try {
            body = JSON.parse(xhr.responseText);
          } catch (e) {
            // not a problem body: the status line says enough
          }
          reject(new ApiError((body && (body.detail || body.title)) || `HTTP ${xhr.status}`, body && body.code, xhr.status));
        }
      };
      xhr.send(this.file.slice(offset, end));
    });
  }

  /** Progress with speed over the last few seconds and the time left at that speed. */
  report(sent, restart) {
    const now = performance.now();
    if (restart) {
      this.samples = [];
    }
    this.samples.push({ at: now, sent });
    while (this.samples.length > 2 && now - this.samples[0].at > 5000) {
      this.samples.shift();
    }
    const first = this.samples[0];
    const seconds = (now - first.at) / 1000;
    const bytesPerSecond = seconds > 0.2 ? (sent - first.sent) / seconds : null;
    const secondsLeft = bytesPerSecond > 0 ? (this.file.size - sent) / bytesPerSecond : null;
    this.onProgress({ sent, total: this.file.size, bytesPerSecond, secondsLeft });
  }
}
