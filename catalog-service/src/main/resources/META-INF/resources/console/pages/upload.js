// Upload: describe the video, drop or pick its file, send it resumably over tus (progress, speed, time left; it
// resumes after a dropped connection, or after a reload when the same file is picked again), then follow the
// transcode live until the video plays.
import { h, field, replace, announce, errorBox } from '../dom.js';
import * as api from '../api.js';
import { currentSession, isUploader } from '../auth.js';
import { TusUpload, fingerprint, forgetUpload, pendingUploads } from '../tus.js';
import { followVideo } from '../progress.js';
import * as format from '../format.js';
import { progressText } from './common.js';

export function uploadPage(main, { settings }) {
  main.append(h('h1', {}, 'Upload a video'));
  if (!isUploader()) {
    main.append(h('p', {}, 'Uploading needs an account with the role uploader. ',
      h('a', { href: '#/signin?next=%23%2Fupload' }, 'Sign in')));
    return null;
  }
  const user = currentSession().name;
  let file = null;
  let upload = null;
  let stopFollowing = null;

  const fileInput = h('input', { type: 'file', id: 'file', accept: 'video/*,.mkv,.mov,.ts,.m2ts,.mxf,.flv,.ogv,.wmv,.avi' });
  const chosen = h('p', { id: 'chosen-file', class: 'hint', 'aria-live': 'polite' }, 'No file chosen yet.');
  const dropZone = h('div', { class: 'drop-zone', id: 'drop-zone' },
    h('label', { for: 'file' }, 'Choose a video file, or drop it here'), fileInput, chosen);
  const title = h('input', { id: 'title', required: true, maxlength: '200', autocomplete: 'off' });
  const description = h('textarea', { id: 'description', rows: '3', maxlength: '5000' });
  const category = h('input', { id: 'category', required: true, maxlength: '64', pattern: '[A-Za-z0-9_\\-]+', autocomplete: 'off' });
  const tags = h('input', { id: 'tags', autocomplete: 'off' });
  const visibility = h('select', { id: 'visibility' },
    h('option', { value: 'PUBLIC' }, 'Public: listed and searchable'),
    h('option', { value: 'UNLISTED' }, 'Unlisted: only with its link'),
    h('option', { value: 'PRIVATE' }, 'Private: only you and admins'));
  const submit = h('button', { type: 'submit', class: 'primary', id: 'start-upload' }, 'Upload');
  const formError = h('div');
  const resumeNote = h('p', { class: 'hint', id: 'resume-note', 'aria-live': 'polite' });
  const pendingList = h('div');

  const uploadBar = h('progress', { id: 'upload-progress', max: '100', value: '0', 'aria-labelledby': 'upload-heading' });
  const uploadText = h('p', { id: 'upload-status' });
  const uploadState = h('p', { id: 'upload-state', class: 'hint', role: 'status' });
  const pauseButton = h('button', { type: 'button', id: 'pause-upload', hidden: true }, 'Pause');
  const uploadSection = h('section', { class: 'progress-panel', hidden: true, 'aria-labelledby': 'upload-heading' },
    h('h2', { id: 'upload-heading' }, 'Upload'), uploadBar, uploadText, uploadState, pauseButton);

  const transcodeBar = h('progress', { id: 'transcode-progress', max: '100', 'aria-labelledby': 'transcode-heading' });
  const transcodeText = h('p', { id: 'transcode-status', role: 'status' });
  const transcodeError = h('div');
  const transcodeSection = h('section', { class: 'progress-panel', hidden: true, 'aria-labelledby': 'transcode-heading' },
    h('h2', { id: 'transcode-heading' }, 'Transcode'), transcodeBar, transcodeText, transcodeError);

  const form = h('form', { id: 'upload-form', onsubmit: onSubmit, novalidate: true },
    dropZone,
    resumeNote,
    field('Title', title),
    field('Description', description),
    field('Category', category, 'Letters, digits, - or _ (e.g. travel)'),
    field('Tags', tags, 'Separated by commas, e.g. sea, dusk'),
    field('Visibility', visibility),
    formError,
    submit);
  main.append(pendingList, form, uploadSection, transcodeSection);
  showPending();

  function showPending() {
    const pending = pendingUploads(user);
    if (!pending.length) {
      replace(pendingList);
      return;
    }
    replace(pendingList, h('section', { class: 'pending', 'aria-labelledby': 'pending-heading' },
      h('h2', { id: 'pending-heading' }, 'Unfinished uploads'),
      h('p', {}, 'Pick the same file again to resume where it stopped.'),
      h('ul', {}, pending.map((p) => h('li', {},
        `${p.name} for “${p.title}”: ${format.percent((100 * p.offset) / p.size)} of ${format.bytes(p.size)} sent `,
        h('button', { type: 'button', class: 'link-button', onclick: () => { forgetUpload(p.key); showPending(); } },
          `Forget ${p.name}`))))));
  }

  function choose(picked) {
    file = picked;
    chosen.textContent = file ? `${file.name} (${format.bytes(file.size)})` : 'No file chosen yet.';
    const pending = file && pendingUploads(user).find((p) => p.key === fingerprint(file, user));
    if (pending) {
      resumeNote.textContent = `This file's upload for “${pending.title}” stopped at ${format.percent((100 * pending.offset) / pending.size)}; it will resume from there.`;
      title.value = pending.title;
    } else {
      resumeNote.textContent = '';
      if (file && !title.value) {
        title.value = file.name.replace(/\.[^.]+$/, '');
      }
    }
  }

  fileInput.addEventListener('change', () => choose(fileInput.files[0] || null));
  dropZone.addEventListener('dragover', (event) => {
    event.preventDefault();
    dropZone.classList.add('dragging');
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dragging'));
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropZone.classList.remove('dragging');
    if (event.dataTransfer.files.length) {
      choose(event.dataTransfer.files[0]);
    }
  });

  async function onSubmit(event) {
    event.preventDefault();
    replace(formError);
    const problems = [];
    if (!file) problems.push('Choose a file to upload.');
    else if (file.size === 0) problems.push('The file is empty.');
    const pending = file && pendingUploads(user).find((p) => p.key === fingerprint(file, user));
    if (!pending) {
      if (!title.value.trim()) problems.push('Give the video a title.');
      if (!category.value.trim()) problems.push('Give the video a category.');
    }
    if (problems.length) {
      replace(formError, errorBox(problems.join(' ')));
      return;
    }
    submit.disabled = true;
    try {
      const videoId = pending ? pending.videoId : (await api.createVideo({
        title: title.value.trim(),
        description: description.value,
        category: category.value.trim(),
        tags: tags.value.split(',').map((t) => t.trim()).filter(Boolean),
        visibility: visibility.value,
      })).id;
      await send(videoId, pending ? pending.title : title.value.trim());
    } catch (e) {
      replace(formError, errorBox(e.message, e.code));
      submit.disabled = false;
    }
  }

  async function send(videoId, videoTitle) {
    uploadSection.hidden = false;
    form.hidden = true;
    pendingList.hidden = true;
    upload = new TusUpload({
      file, videoId, title: videoTitle, user, chunkSize: settings.uploadChunkBytes || undefined,
      onProgress: ({ sent, total, bytesPerSecond, secondsLeft }) => {
        const pct = total ? (100 * sent) / total : 100;
        uploadBar.value = pct;
        uploadText.textContent = [format.percent(pct), `${format.bytes(sent)} of ${format.bytes(total)}`,
          bytesPerSecond ? `${format.bytes(bytesPerSecond)}/s` : '', format.timeLeft(secondsLeft)]
          .filter(Boolean).join(' · ');
      },
      onState: (text) => { uploadState.textContent = text; },
    });
    pauseButton.hidden = false;
    pauseButton.textContent = 'Pause';
    pauseButton.onclick = () => {
      if (upload.aborted) {
        pauseButton.textContent = 'Pause';
        send(videoId, videoTitle);
      } else {
        upload.pause();
        pauseButton.textContent = 'Resume';
      }
    };
    try {
      await upload.start();
    } catch (e) {
      if (e.code === 'PAUSED') {
        uploadState.textContent = 'Paused. What was sent is kept; resume to go on.';
        return;
      }
      pauseButton.hidden = true;
      uploadState.replaceChildren(errorBox(e.message, e.code));
      return;
    }
    pauseButton.hidden = true;
    uploadState.textContent = 'Upload complete; the transcode is queued.';
    announce('Upload complete');
    follow(videoId);
  }

  function follow(videoId) {
    transcodeSection.hidden = false;
    transcodeText.textContent = 'Waiting for the transcoder…';
    stopFollowing = followVideo(videoId, {
      onVideo: (video) => {
        if (video.progress) {
          transcodeBar.value = Number(video.progress.percent) || 0;
        }
        if (video.status === 'READY' && video.media) {
          transcodeText.textContent = 'Ready.';
          announce('The video is ready');
          stopFollowing();
          stopFollowing = null;
          location.hash = `#/watch/${encodeURIComponent(videoId)}`;
        } else if (video.status === 'FAILED') {
          transcodeText.textContent = 'The transcode failed.';
          replace(transcodeError, errorBox(video.failure ? video.failure.message : 'No reason was given',
            video.failure && video.failure.code));
        } else {
          transcodeText.textContent = video.progress ? progressText(video.progress) : format.status(video.status);
        }
      },
      onError: (e) => replace(transcodeError, errorBox(e.message, e.code)),
    });
  }

  return () => {
    if (upload && !upload.aborted) {
      upload.pause();
    }
    if (stopFollowing) {
      stopFollowing();
    }
  };
}
