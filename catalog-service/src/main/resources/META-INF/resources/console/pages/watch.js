// Watch: hls.js plays the master playlist (Media Source Extensions) with a quality menu, automatic plus every
// rung; without MSE the browser's own HLS, else the progressive MP4. While the video is not ready yet, its
// transcode progress is followed live.
import Hls from '/webjars/hls.js/1.4.12/dist/hls.mjs';
import { h, field, replace, announce, errorBox } from '../dom.js';
import * as api from '../api.js';
import { currentSession } from '../auth.js';
import { followVideo } from '../progress.js';
import { parseStoryboard, seekBar, storyboardQuery } from '../storyboard.js';
import * as format from '../format.js';
import { durationOf, isPubliclyPlayable, progressText, setMedia, statusBadge } from './common.js';

export async function watchPage(main, { params }) {
  const id = params[0];
  const video = await api.video(id).catch((e) => {
    if (e.code === 'VALIDATION') {
      return null;
    }
    throw e;
  });
  if (!video) {
    main.append(h('h1', {}, 'Video not found'),
      h('p', {}, 'There is no such video, or you may not see it. ', currentSession() ? '' : 'Signing in may help. ',
        h('a', { href: '#/' }, 'Browse videos')));
    return null;
  }
  const article = h('article', { class: 'watch' });
  main.append(article);
  if (video.media && video.status !== 'FAILED') {
    return showPlayer(article, video);
  }
  return showPending(article, video);
}

function details(video) {
  const session = currentSession();
  const own = session && session.name === video.owner;
  const length = format.duration(durationOf(video));
  return [
    h('div', { class: 'watch-meta' },
      h('span', {}, `Category: ${video.category}`),
      length ? h('span', {}, `Duration: ${length}`) : null,
      h('span', {}, `By ${video.owner}`),
      own ? statusBadge(video) : null),
    video.description ? h('p', { class: 'description', id: 'description' }, video.description) : null,
    video.tags.length ? h('ul', { class: 'tags', 'aria-label': 'Tags' }, video.tags.map((t) => h('li', {}, t))) : null,
  ];
}

/** Not playable yet: the live transcode progress, then the player once it is ready. */
function showPending(article, video) {
  const state = h('p', { id: 'transcode-state', role: 'status' });
  const bar = h('progress', { id: 'transcode-progress', max: '100', 'aria-label': 'Transcode progress' });
  const failure = h('div');
  replace(article, h('h1', { id: 'video-title' }, video.title), statusBadge(video), state, bar, failure, ...details(video));
  const render = (v) => {
    state.textContent = v.status === 'FAILED' ? 'The transcode failed.'
      : v.progress ? progressText(v.progress) : format.status(v.status);
    if (v.progress) {
      bar.value = Number(v.progress.percent) || 0;
    }
    replace(failure, v.failure ? errorBox(v.failure.message, v.failure.code) : null);
  };
  render(video);
  let releasePlayer = null;
  const stop = followVideo(video.id, {
    onVideo: (v) => {
      if (v.status === 'READY' && v.media && !releasePlayer) {
        stop();
        releasePlayer = showPlayer(article, v);
      } else if (!releasePlayer) {
        render(v);
      }
    },
    onError: (e) => replace(failure, errorBox(e.message, e.code)),
  });
  return () => {
    stop();
    if (releasePlayer) releasePlayer();
  };
}

function showPlayer(article, video) {
  const player = h('video', {
    id: 'player', controls: true, playsinline: true, preload: 'metadata',
    'aria-label': `Video: ${video.title}`,
  });
  const quality = h('select', { id: 'quality', disabled: true }, h('option', { value: 'auto' }, 'Auto'));
  const playing = h('p', { id: 'playing-level', class: 'hint', role: 'status' });
  const problems = h('div');
  const seekSlot = h('div');
  replace(article,
    h('h1', { id: 'video-title' }, video.title),
    h('div', { class: 'player-frame' }, player),
    seekSlot,
    h('div', { class: 'player-controls' }, field('Quality', quality), playing),
    problems,
    ...details(video));

  const media = video.media;
  if (media.poster) {
    setMedia(player, 'poster', media.poster.url, video).catch(() => {});
  }
  addStoryboard(seekSlot, player, video);
  const renditions = [...video.renditions].sort((a, b) => b.height - a.height);
  const label = (r) => `${r.height}p · ${format.bitrate(r.averageBitrate || r.bitrate)}`;

  if (Hls.isSupported()) {
    const token = !isPubliclyPlayable(video) && currentSession() ? currentSession().token : null;
    const hls = new Hls({
      // no worker: a worker from a blob: URL would need a looser Content-Security-Policy, and fMP4 needs no transmuxing
      enableWorker: false,
      xhrSetup: (xhr, url) => {
        if (token && api.isOwnOrigin(url)) {
          xhr.setRequestHeader('Authorization', `Bearer ${token}`);
        }
      },
    });
    hls.on(Hls.Events.MANIFEST_PARSED, () => {
      for (const r of renditions) {
        const level = hls.levels.findIndex((l) => l.height === r.height);
        if (level >= 0) {
          quality.append(h('option', { value: String(level), 'data-height': String(r.height) }, label(r)));
        }
      }
      quality.disabled = false;
    });
    hls.on(Hls.Events.LEVEL_SWITCHED, (event, data) => {
      const level = hls.levels[data.level];
      playing.textContent = level ? `Playing ${level.height}p${hls.autoLevelEnabled ? ' (automatic)' : ''}` : '';
    });
    hls.on(Hls.Events.ERROR, (event, data) => {
      if (data.fatal) {
        replace(problems, errorBox(`The video cannot be played: ${data.details}`));
      }
    });
    quality.addEventListener('change', () => {
      hls.currentLevel = quality.value === 'auto' ? -1 : Number(quality.value);
      announce(quality.value === 'auto' ? 'Quality: automatic' : `Quality: ${quality.selectedOptions[0].textContent}`);
    });
    hls.loadSource(media.hls);
    hls.attachMedia(player);
    return () => hls.destroy();
  }
  if (player.canPlayType('application/vnd.apple.mpegurl') && isPubliclyPlayable(video)) {
    // the browser's own HLS (Safari) picks the rung itself
    player.src = media.hls;
    quality.replaceChildren(h('option', { value: 'auto' }, 'Auto (chosen by the browser)'));
    return null;
  }
  if (media.progressive) {
    const p = media.progressive;
    quality.replaceChildren(h('option', { value: 'progressive' }, `${p.height}p MP4 (this browser cannot play HLS)`));
    setMedia(player, 'src', p.url, video).catch((e) => replace(problems, errorBox(e.message, e.code)));
    return null;
  }
  replace(problems, errorBox('This browser can play neither HLS nor MP4 here.'));
  return null;
}

/** Seek-bar thumbnails when the catalog has a storyboard for this video; without one, nothing changes. */
async function addStoryboard(slot, player, video) {
  try {
    const selection = await storyboardQuery();
    if (!selection) {
      return;
    }
    const data = await api.graphql(`query($id: ID!) { video(id: $id) { media { ${selection} } } }`, { id: video.id });
    const storyboard = data.video && data.video.media && data.video.media.storyboard;
    const url = typeof storyboard === 'string' ? storyboard : storyboard && storyboard.url;
    if (!url) {
      return;
    }
    const needsToken = !isPubliclyPlayable(video) && api.isOwnOrigin(url);
    const response = await fetch(url, { headers: needsToken ? api.authorization() : {} });
    if (!response.ok) {
      return;
    }
    const cues = parseStoryboard(await response.text(), new URL(url, location.href));
    if (cues.length) {
      slot.replaceChildren(seekBar(player, cues,
        (image) => (isPubliclyPlayable(video) ? Promise.resolve(image) : api.mediaObjectUrl(image))));
    }
  } catch (e) {
    // no thumbnails: the player's own controls still seek
  }
}
