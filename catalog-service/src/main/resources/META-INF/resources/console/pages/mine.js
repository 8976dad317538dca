// My videos: edit (with expectedVersion; a conflict shows the newer values and offers to reapply), retranscode,
// cancel a transcode, delete after a confirmation.
import { h, field, replace, announce, errorBox } from '../dom.js';
import * as api from '../api.js';
import { currentSession } from '../auth.js';
import * as format from '../format.js';
import { isTranscoding, poster, progressText, statusBadge } from './common.js';

const EDITABLE = ['title', 'description', 'category', 'tags', 'visibility'];

export async function myVideosPage(main) {
  main.append(h('h1', {}, 'My videos'));
  const session = currentSession();
  if (!session) {
    main.append(h('p', {}, h('a', { href: '#/signin?next=%23%2Fmine' }, 'Sign in'), ' to see your videos.'));
    return;
  }
  const list = h('ul', { class: 'video-list', id: 'my-videos', 'aria-label': 'My videos' });
  const more = h('div', { class: 'more' });
  main.append(list, more);
  await loadPage(list, more, { mine: true }, null, (video) => videoItem(video));
}

/** Appends pages of videos matching `filter` to `list`, with a "Load more" button while there are more. */
export async function loadPage(list, more, filter, after, render) {
  replace(more);
  try {
    const page = await api.videos(filter, 20, after);
    for (const video of page.videos) {
      list.append(render(video));
    }
    if (!after && page.videos.length === 0) {
      list.append(h('li', { class: 'empty' }, 'No videos yet.'));
    }
    if (page.hasNextPage) {
      replace(more, h('button', { type: 'button', onclick: () => loadPage(list, more, filter, page.endCursor, render) },
        'Load more'));
    }
  } catch (e) {
    replace(more, errorBox(e.message, e.code));
  }
}

/** One of the caller's videos with its actions; re-renders itself after each change. */
export function videoItem(initial) {
  let video = initial;
  const item = h('li', { class: 'video-item', 'data-video-id': video.id });
  const render = () => {
    replace(item,
      h('div', { class: 'thumb' }, poster(video)),
      h('div', { class: 'item-body' },
        h('h2', { class: 'item-title' }, h('a', { href: `#/watch/${encodeURIComponent(video.id)}` }, video.title)),
        h('p', { class: 'item-meta' }, statusBadge(video), ` ${video.visibility.toLowerCase()} · ${video.category} · by ${video.owner} · ${format.date(video.createdAt)}`),
        isTranscoding(video) && video.progress ? h('p', { class: 'hint' }, progressText(video.progress)) : null,
        video.failure ? errorBox(video.failure.message, video.failure.code) : null,
        actions()));
  };
  const status = h('div', { role: 'status', class: 'item-status' });

  const run = async (operation, done) => {
    replace(status);
    try {
      const changed = await operation();
      if (changed) {
        video = changed;
      }
      render();
      item.querySelector('.item-body').append(status);
      announce(done);
      status.textContent = done;
    } catch (e) {
      replace(status, errorBox(e.message, e.code));
    }
  };

  const actions = () => {
    const buttons = [h('button', { type: 'button', class: 'edit-button', onclick: () => openEditor() }, `Edit “${video.title}”`)];
    if (['UPLOADED', 'READY', 'FAILED'].includes(video.status)) {
      buttons.push(h('button', { type: 'button', onclick: () => run(() => api.retranscode(video.id), 'Transcode queued') }, 'Retranscode'));
    }
    if (isTranscoding(video)) {
      buttons.push(h('button', { type: 'button', onclick: () => run(() => api.cancelTranscode(video.id), 'Transcode cancelled') }, 'Cancel transcode'));
    }
    buttons.push(h('button', { type: 'button', class: 'danger', onclick: () => confirmDelete() }, 'Delete'));
    return h('div', { class: 'actions' }, buttons, status);
  };

  function openEditor() {
    const body = item.querySelector('.item-body');
    const editor = editForm(video, (saved) => {
      video = saved;
      render();
      announce('Saved');
      item.querySelector('.item-body').append(h('p', { role: 'status', class: 'saved' }, 'Saved.'));
    }, () => render());
    replace(body, editor);
    editor.querySelector('input').focus();
  }

  function confirmDelete() {
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-heading' });
    const error = h('div');
    const close = () => {
      dialog.close();
      dialog.remove();
    };
    replace(dialog,
      h('h2', { id: 'confirm-heading' }, `Delete “${video.title}”?`),
      h('p', {}, 'The video, its renditions and its source file are removed. This cannot be undone.'),
      error,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'danger', id: 'confirm-delete', onclick: async () => {
          try {
            await api.deleteVideo(video.id);
            close();
            const list = item.parentElement;
            item.remove();
            announce(`Deleted ${video.title}`);
            if (list) list.focus();
          } catch (e) {
            replace(error, errorBox(e.message, e.code));
          }
        } }, 'Delete'),
        h('button', { type: 'button', autofocus: true, onclick: close }, 'Keep it')));
    dialog.addEventListener('cancel', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
  }

  render();
  return item;
}

/** The edit form: sends only the fields changed, with the version it was opened at. */
function editForm(video, onSaved, onCancel) {
  let base = video;
  const inputs = {
    title: h('input', { id: `edit-title-${video.id}`, value: video.title, required: true, maxlength: '200' }),
    description: h('textarea', { id: `edit-description-${video.id}`, rows: '3', maxlength: '5000' }),
    category: h('input', { id: `edit-category-${video.id}`, value: video.category, required: true, maxlength: '64' }),
    tags: h('input', { id: `edit-tags-${video.id}`, value: video.tags.join(', ') }),
    visibility: h('select', { id: `edit-visibility-${video.id}` },
      ['PUBLIC', 'UNLISTED', 'PRIVATE'].map((v) => h('option', { value: v, selected: v === video.visibility }, v.toLowerCase()))),
  };
  inputs.description.value = video.description;
  const conflict = h('div', { class: 'conflict-slot' });
  const form = h('form', { class: 'edit-form', 'aria-label': `Edit ${video.title}` },
    field('Title', inputs.title),
    field('Description', inputs.description),
    field('Category', inputs.category),
    field('Tags', inputs.tags, 'Separated by commas'),
    field('Visibility', inputs.visibility),
    conflict,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, 'Save'),
      h('button', { type: 'button', onclick: onCancel }, 'Cancel')));

  const values = () => ({
    title: inputs.title.value.trim(),
    description: inputs.description.value,
    category: inputs.category.value.trim(),
    tags: inputs.tags.value.split(',').map((t) => t.trim()).filter(Boolean),
    visibility: inputs.visibility.value,
  });
  const changes = (from) => {
    const now = values();
    const changed = {};
    for (const key of EDITABLE) {
      if (JSON.stringify(now[key]) !== JSON.stringify(from[key])) {
        changed[key] = now[key];
      }
    }
    return changed;
  };

  async function save(changed, version) {
    replace(conflict);
    try {
      onSaved(await api.updateVideo(video.id, version, changed));
    } catch (e) {
      if (e.code === 'CONFLICT') {
        const newer = await api.video(video.id);
        if (!newer) {
          replace(conflict, errorBox('The video was deleted meanwhile.'));
          return;
        }
        showConflict(changed, newer);
      } else {
        replace(conflict, errorBox(e.message, e.code));
      }
    }
  }

  function showConflict(changed, newer) {
    const rows = EDITABLE.filter((k) => k in changed || JSON.stringify(newer[k]) !== JSON.stringify(base[k]))
      .map((k) => h('tr', {},
        h('th', { scope: 'row' }, k),
        h('td', { class: 'newer' }, show(newer[k])),
        h('td', { class: 'mine' }, k in changed ? show(changed[k]) : '(unchanged)')));
    replace(conflict, h('div', { class: 'conflict', role: 'alert', id: `conflict-${video.id}` },
      h('h3', {}, 'Someone changed this video while you were editing'),
      h('p', {}, `It is now at version ${newer.version}. Nothing of yours was saved yet.`),
      h('div', { class: 'table-scroll' }, h('table', {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Saved now'),
          h('th', { scope: 'col' }, 'Your edit'))),
        h('tbody', {}, rows))),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', id: `reapply-${video.id}`, onclick: () => { base = newer; save(changed, newer.version); } },
          'Reapply my changes'),
        h('button', { type: 'button', onclick: () => { replace(form.parentElement, editForm(newer, onSaved, onCancel)); } },
          'Discard mine, edit the newer version'))));
    conflict.querySelector('button').focus();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const changed = changes(base);
    if (!Object.keys(changed).length) {
      onCancel();
      return;
    }
    save(changed, base.version);
  });
  return form;
}

function show(value) {
  return Array.isArray(value) ? value.join(', ') : String(value ?? '');
}
