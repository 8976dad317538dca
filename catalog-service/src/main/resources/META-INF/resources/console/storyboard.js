// Thumbnails on the seek bar, from a storyboard: sprite sheets plus a WebVTT track whose cues point into them
// (`sprite-001.jpg#xywh=x,y,w,h`), GraphQL `media.storyboard { url }`. Against a catalog whose schema lacks it, the
// watch page asks for nothing more and keeps the player's own controls.
import { h } from './dom.js';
import * as api from './api.js';
import * as format from './format.js';

let storyboardSelection;

/** The selection that asks for the storyboard's WebVTT URL, or null when the schema has no storyboard. */
export function storyboardQuery() {
  if (storyboardSelection === undefined) {
    storyboardSelection = api.typeFields('MediaUrls').then(async (fields) => {
      const field = fields.get('storyboard');
      if (!field) {
        return null;
      }
      if (field.kind === 'SCALAR') {
        return 'storyboard';
      }
      const inner = await api.typeFields(field.name);
      return inner.has('url') ? 'storyboard { url }' : null;
    }).catch(() => null);
  }
  return storyboardSelection;
}

/** Parses a WebVTT storyboard into [{start, end, image, x, y, w, h}], with images resolved against `baseUrl`. */
export function parseStoryboard(text, baseUrl) {
  const cues = [];
  for (const block of text.replace(/\r/g, '').split(/\n{2,}/)) {
    const lines = block.split('\n').filter(Boolean);
    const timing = lines.findIndex((line) => line.includes('-->'));
    if (timing < 0 || !lines[timing + 1]) {
      continue;
    }
    const [start, end] = lines[timing].split('-->').map((t) => seconds(t.trim().split(/\s+/)[0]));
    const [image, fragment = ''] = lines[timing + 1].trim().split('#');
    const xywh = /xywh=(\d+),(\d+),(\d+),(\d+)/.exec(fragment);
    if (Number.isFinite(start) && Number.isFinite(end) && xywh) {
      cues.push({
        start, end, image: new URL(image, baseUrl).toString(),
        x: Number(xywh[1]), y: Number(xywh[2]), w: Number(xywh[3]), h: Number(xywh[4]),
      });
    }
  }
  return cues;
}

function seconds(timestamp) {
  const parts = timestamp.split(':').map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

/**
 * A seek bar under the player that shows the storyboard's thumbnail for the time under the pointer or the keyboard.
 * `loadImage(url)` gives the URL to draw a sprite sheet from (an object URL when the media needs the token).
 */
export function seekBar(player, cues, loadImage) {
  const images = new Map();
  const duration = () => (Number.isFinite(player.duration) ? player.duration : cues[cues.length - 1].end);
  const range = h('input', { type: 'range', id: 'seek', min: '0', max: String(duration()), step: '0.1', value: '0' });
  const thumb = h('div', { class: 'storyboard-thumb', id: 'storyboard-thumb' });
  const time = h('span', { class: 'storyboard-time' });
  const preview = h('div', { class: 'storyboard-preview', hidden: true, 'aria-hidden': 'true' }, thumb, time);
  const label = h('label', { for: 'seek' }, 'Seek');

  const show = async (at) => {
    const cue = cues.find((c) => at >= c.start && at < c.end) || cues[cues.length - 1];
    if (!images.has(cue.image)) {
      images.set(cue.image, loadImage(cue.image));
    }
    const src = await images.get(cue.image);
    thumb.style.width = `${cue.w}px`;
    thumb.style.height = `${cue.h}px`;
    thumb.style.backgroundImage = `url("${src}")`;
    thumb.style.backgroundPosition = `-${cue.x}px -${cue.y}px`;
    time.textContent = format.duration(at);
    preview.style.left = `${(100 * at) / duration()}%`;
    preview.hidden = false;
  };
  range.addEventListener('pointermove', (event) => {
    const box = range.getBoundingClientRect();
    show(Math.max(0, Math.min(1, (event.clientX - box.left) / box.width)) * duration());
  });
  range.addEventListener('pointerleave', () => { preview.hidden = true; });
  range.addEventListener('blur', () => { preview.hidden = true; });
  range.addEventListener('input', () => show(Number(range.value)));
  range.addEventListener('change', () => { player.currentTime = Number(range.value); });
  player.addEventListener('loadedmetadata', () => { range.max = String(duration()); });
  player.addEventListener('timeupdate', () => {
    if (document.activeElement !== range) {
      range.value = String(player.currentTime);
    }
    range.setAttribute('aria-valuetext', format.duration(player.currentTime));
  });
  return h('div', { class: 'storyboard' }, label, h('div', { class: 'storyboard-track' }, preview, range));
}
