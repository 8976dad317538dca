// The console's shell: settings, sign-in state, navigation and the hash router (#/, #/watch/ID, #/upload, #/mine,
// #/admin, #/signin). Each page renders into <main> and may return a function that releases what it holds.
import { h, replace, errorBox } from './dom.js';
import * as auth from './auth.js';
import { browsePage } from './pages/browse.js';
import { watchPage } from './pages/watch.js';
import { uploadPage } from './pages/upload.js';
import { myVideosPage } from './pages/mine.js';
import { adminPage } from './pages/admin.js';
import { signInPage } from './pages/signin.js';

const PAGES = {
  '': browsePage,
  watch: watchPage,
  upload: uploadPage,
  mine: myVideosPage,
  admin: adminPage,
  signin: signInPage,
};

const context = { settings: { devSignIn: false, oidc: null, uploadChunkBytes: 8 * 1024 * 1024 }, signInError: null };
let release = null;
let firstRender = true;

function parseRoute() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  const [name = '', ...rest] = path.split('/');
  return { name, params: rest.map(decodeURIComponent), query: new URLSearchParams(query) };
}

async function route() {
  if (release) {
    release();
    release = null;
  }
  const main = document.getElementById('main');
  const { name, params, query } = parseRoute();
  const page = PAGES[name];
  updateNavigation(name);
  if (!page) {
    replace(main, h('h1', { tabindex: '-1' }, 'Not found'), h('p', {}, 'There is no such page. ', h('a', { href: '#/' }, 'Browse videos')));
    focusHeading(main);
    return;
  }
  replace(main);
  try {
    release = (await page(main, { params, query, ...context })) || null;
  } catch (e) {
    replace(main, h('h1', { tabindex: '-1' }, 'This page could not be shown'), errorBox(e.message, e.code));
  }
  focusHeading(main);
}

/**
 * After a page change, focus moves to its heading so that keyboard and screen-reader users start there; not on
 * the first load, where the browser's own order (the skip link first) applies.
 */
function focusHeading(main) {
  const heading = main.querySelector('h1');
  if (firstRender) {
    firstRender = false;
  } else if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  }
}

function updateNavigation(current) {
  const session = auth.currentSession();
  for (const link of document.querySelectorAll('#nav a')) {
    const needs = link.dataset.needs;
    const allowed = !needs || (needs === 'signed-in' && session) || (needs === 'uploader' && auth.isUploader())
      || (needs === 'admin' && auth.isAdmin());
    link.parentElement.hidden = !allowed;
    if (link.dataset.route === (current || 'browse')) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  const account = document.getElementById('account');
  if (session) {
    const role = auth.isAdmin() ? 'admin' : auth.isUploader() ? 'uploader' : 'viewer';
    replace(account,
      h('span', { class: 'who' }, `Signed in as ${session.name} (${role})`),
      h('button', { type: 'button', class: 'link-button', onclick: () => { auth.signOut(); location.hash = '#/'; } }, 'Sign out'));
  } else {
    replace(account, h('a', { href: '#/signin', class: 'button' }, 'Sign in'));
  }
}

async function start() {
  const response = await fetch('/console/config.json', { headers: { Accept: 'application/json' } });
  if (response.ok) {
    context.settings = await response.json();
  }
  try {
    const returnTo = await auth.completeOidcSignIn(context.settings.oidc);
    if (returnTo) {
      history.replaceState(null, '', `${location.pathname}${returnTo}`);
    }
  } catch (e) {
    context.signInError = e.message;
    history.replaceState(null, '', `${location.pathname}#/signin`);
  }
  auth.onSessionChange(() => route());
  window.addEventListener('hashchange', route);
  await route();
  document.body.dataset.ready = 'true';
}

start();
