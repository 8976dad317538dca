// Browse and search: the videos connection page by page (cursor), a category filter and full-text search.
import { h, field, replace, announce, errorBox } from '../dom.js';
import * as api from '../api.js';
import { currentSession } from '../auth.js';
import * as format from '../format.js';
import { durationOf, poster, statusBadge } from './common.js';

const PAGE_SIZE = 12;

export async function browsePage(main, { query }) {
  const search = query.get('q') || '';
  const category = query.get('category') || '';
  const searchInput = h('input', { type: 'search', id: 'search', name: 'q', value: search, autocomplete: 'off' });
  const categorySelect = h('select', { id: 'category', name: 'category' }, h('option', { value: '' }, 'All categories'));
  const results = h('ul', { class: 'video-grid', id: 'results', 'aria-label': 'Videos' });
  const more = h('div', { class: 'more' });
  const status = h('p', { class: 'result-count', role: 'status' });

  main.append(
    h('h1', {}, search ? `Videos matching “${search}”` : 'Videos'),
    h('form', {
      role: 'search', class: 'search-form',
      onsubmit: (event) => {
        event.preventDefault();
        const params = new URLSearchParams();
        if (searchInput.value.trim()) params.set('q', searchInput.value.trim());
        if (categorySelect.value) params.set('category', categorySelect.value);
        location.hash = `#/?${params}`;
      },
    },
    field('Search', searchInput),
    field('Category', categorySelect),
    h('button', { type: 'submit', class: 'primary' }, 'Search')),
    status, results, more);

  api.categories().then((list) => {
    for (const c of list) {
      categorySelect.append(h('option', { value: c.name, selected: c.name === category }, `${c.name} (${c.count})`));
    }
  }).catch(() => { /* the filter stays at "All"; the list below reports API failures */ });

  const filter = {};
  if (search) filter.search = search;
  if (category) filter.category = category;
  let shown = 0;

  async function load(after) {
    replace(more);
    try {
      const page = await api.videos(filter, PAGE_SIZE, after);
      for (const video of page.videos) {
        results.append(card(video));
      }
      shown += page.videos.length;
      status.textContent = shown === 0 ? 'No videos match.' : `${shown} video${shown === 1 ? '' : 's'} shown`;
      if (page.hasNextPage) {
        replace(more, h('button', {
          type: 'button', id: 'load-more',
          onclick: () => load(page.endCursor).then(() => announce(`${shown} videos shown`)),
        }, 'Load more'));
      }
    } catch (e) {
      replace(more, errorBox(e.message, e.code));
    }
  }
  await load(null);
}

function card(video) {
  const session = currentSession();
  const own = session && session.name === video.owner;
  const length = format.duration(durationOf(video));
  return h('li', { class: 'video-card' },
    h('a', { href: `#/watch/${encodeURIComponent(video.id)}`, class: 'card-link' },
      h('div', { class: 'poster-frame' }, poster(video),
        length ? h('span', { class: 'duration', 'aria-label': `Duration ${length}` }, length) : null),
      h('h2', { class: 'card-title' }, video.title)),
    h('p', { class: 'card-meta' }, video.category, own ? ' · ' : null, own ? statusBadge(video) : null));
}
