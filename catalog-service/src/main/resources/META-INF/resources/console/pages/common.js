// Pieces several pages show: posters, status badges, transcode progress, failures.
import { h } from '../dom.js';
import { mediaObjectUrl } from '../api.js';
import * as format from '../format.js';

/** Whether anyone may fetch the video's media without a token (else it needs the owner's or an admin's). */
export function isPubliclyPlayable(video) {
  return video.status === 'READY' && (video.visibility === 'PUBLIC' || video.visibility === 'UNLISTED');
}

/** Sets `src`-like `property` of `element` to the media at `url`, through the token when the media is not public. */
export function setMedia(element, property, url, video) {
  if (isPubliclyPlayable(video)) {
    element[property] = url;
    return Promise.resolve();
  }
  return mediaObjectUrl(url).then((objectUrl) => { element[property] = objectUrl; });
}

/** A poster thumbnail, decorative (the title next to it says what it is). */
export function poster(video) {
  const url = video.media && video.media.poster && video.media.poster.url;
  if (!url) {
    return h('div', { class: 'poster placeholder', 'aria-hidden': 'true' }, format.status(video.status));
  }
  const img = h('img', { class: 'poster', alt: '', loading: 'lazy', width: '320', height: '180' });
  setMedia(img, 'src', url, video).catch(() => img.replaceWith(h('div', { class: 'poster placeholder', 'aria-hidden': 'true' })));
  return img;
}

export function durationOf(video) {
  return (video.source && video.source.durationSeconds) || null;
}

export function statusBadge(video) {
  return h('span', { class: `badge status-${String(video.status).toLowerCase()}` }, format.status(video.status));
}

/** "Encoding 42 % · 2 of 3 renditions · 12 s left", from a progress record. */
export function progressText(progress) {
  if (!progress) {
    return '';
  }
  const parts = [`${capitalise(progress.stage)} ${format.percent(progress.percent)}`];
  if (progress.renditionsTotal) {
    parts.push(`${progress.renditionsDone || 0} of ${progress.renditionsTotal} renditions done`);
  }
  if (progress.speed) {
    parts.push(`${Number(progress.speed).toFixed(1)}x real time`);
  }
  const left = format.timeLeft(progress.etaSeconds);
  if (left) {
    parts.push(left);
  }
  return parts.join(' · ');
}

function capitalise(text) {
  const s = String(text || '').toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function isTranscoding(video) {
  return video.status === 'QUEUED' || video.status === 'PROCESSING';
}
