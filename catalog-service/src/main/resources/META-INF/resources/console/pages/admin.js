// Admin: every video, filterable by status, with the failed ones (their codes and messages) first.
import { h, field } from '../dom.js';
import { isAdmin } from '../auth.js';
import { loadPage, videoItem } from './mine.js';

const STATUSES = ['AWAITING_UPLOAD', 'UPLOADED', 'QUEUED', 'PROCESSING', 'READY', 'FAILED'];

export async function adminPage(main, { query }) {
  main.append(h('h1', {}, 'All videos'));
  if (!isAdmin()) {
    main.append(h('p', {}, 'This page needs an account with the role admin. ',
      h('a', { href: '#/signin?next=%23%2Fadmin' }, 'Sign in')));
    return;
  }
  const status = query.get('status') || '';
  const select = h('select', { id: 'status-filter' }, h('option', { value: '' }, 'Any status'),
    STATUSES.map((s) => h('option', { value: s, selected: s === status }, s.toLowerCase().replace('_', ' '))));
  select.addEventListener('change', () => {
    location.hash = select.value ? `#/admin?status=${select.value}` : '#/admin';
  });
  main.append(h('form', { class: 'filter-form', onsubmit: (e) => e.preventDefault() }, field('Status', select)));

  if (!status) {
    const failed = h('ul', { class: 'video-list', id: 'failed-videos', 'aria-labelledby': 'failed-heading' });
    const failedMore = h('div', { class: 'more' });
    main.append(h('section', {}, h('h2', { id: 'failed-heading' }, 'Failed'), failed, failedMore));
    await loadPage(failed, failedMore, { status: 'FAILED' }, null, videoItem);
  }
  const all = h('ul', { class: 'video-list', id: 'all-videos', 'aria-labelledby': 'all-heading' });
  const more = h('div', { class: 'more' });
  main.append(h('section', {}, h('h2', { id: 'all-heading' }, status ? status.toLowerCase().replace('_', ' ') : 'Every video'), all, more));
  await loadPage(all, more, status ? { status } : {}, null, videoItem);
}
