import { h, field, errorBox } from '../dom.js';
import * as auth from '../auth.js';

export function signInPage(main, { settings, signInError, query }) {
  const parts = [h('h1', {}, 'Sign in')];
  if (signInError) {
    parts.push(errorBox(signInError));
  }
  const returnTo = query.get('next') || '#/';
  if (settings.oidc) {
    const host = new URL(settings.oidc.issuer).host;
    const error = h('div');
    parts.push(h('section', { 'aria-labelledby': 'oidc-heading' },
      h('h2', { id: 'oidc-heading' }, 'With your organisation\'s account'),
      h('button', {
        type: 'button', class: 'primary', id: 'oidc-sign-in',
        onclick: () => auth.startOidcSignIn(settings.oidc).catch((e) => error.replaceChildren(errorBox(e.message))),
      }, `Sign in with ${host}`),
      error));
  }
  if (settings.devSignIn) {
    const token = h('textarea', { id: 'dev-token', rows: '4', required: true, autocomplete: 'off', spellcheck: 'false' });
    const error = h('div');
    parts.push(h('section', { 'aria-labelledby': 'dev-heading' },
      h('h2', { id: 'dev-heading' }, 'Development sign-in (local stack)'),
      h('form', {
        onsubmit: (event) => {
          event.preventDefault();
          try {
            auth.signInWithToken(token.value);
            location.hash = returnTo;
          } catch (e) {
            error.replaceChildren(errorBox(e.message));
          }
        },
      },
      field('Bearer token', token, 'Paste the demo or admin token that deploy/local-stack/run printed. It stays in this tab\'s memory only.'),
      error,
      h('button', { type: 'submit', class: 'primary' }, 'Sign in with this token'))));
  }
  if (!settings.oidc && !settings.devSignIn) {
    parts.push(h('p', {}, 'No sign-in is configured on this catalog. An operator sets catalog.console.oidc.issuer and ',
      'catalog.console.oidc.client-id (see docs/console.md). Public videos can be watched without signing in.'));
  }
  main.append(...parts);
}
