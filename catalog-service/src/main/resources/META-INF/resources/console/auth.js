// Who is signed in. The bearer token lives in this module's memory only: never in a URL, a cookie or web storage,
// so a reload signs the person out. Two ways in: OpenID Connect (authorization code with PKCE) against the
// configured provider, or, only when the catalog says it runs in the local stack, a token pasted by hand.

let session = null;
const listeners = new Set();

/** The signed-in person: {token, name, roles, expiresAt}, or null. */
export function currentSession() {
  if (session && session.expiresAt && session.expiresAt <= Date.now()) {
    signOut();
  }
  return session;
}

export function onSessionChange(listener) {
  listeners.add(listener);
}

export function isUploader() {
  const s = currentSession();
  return !!s && (s.roles.includes('uploader') || s.roles.includes('admin'));
}

export function isAdmin() {
  const s = currentSession();
  return !!s && s.roles.includes('admin');
}

/** Signs in with a bearer token; the catalog verifies it on every request, this only reads it for display. */
export function signInWithToken(token) {
  const trimmed = String(token || '').trim().replace(/^Bearer\s+/i, '');
  const claims = decodeClaims(trimmed);
  session = {
    token: trimmed,
    name: claims.upn || claims.preferred_username || claims.sub || 'unknown',
    roles: Array.isArray(claims.groups) ? claims.groups.map(String) : [],
    expiresAt: Number.isFinite(claims.exp) ? claims.exp * 1000 : null,
  };
  listeners.forEach((listener) => listener(session));
  return session;
}

export function signOut() {
  session = null;
  listeners.forEach((listener) => listener(null));
}

/** The claims of a JWT, unverified; throws a readable error for something that is not a JWT. */
export function decodeClaims(token) {
  const parts = token.split('.');
  if (parts.length !== 3) {
    throw new Error('That is not a bearer token (a JWT has three parts separated by dots)');
  }
  try {
    const json = new TextDecoder().decode(base64UrlDecode(parts[1]));
    return JSON.parse(json);
  } catch (e) {
    throw new Error('That is not a bearer token: its claims cannot be read');
  }
}

function base64UrlDecode(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

export function base64UrlEncode(bytes) {
  let binary = '';
  for (const b of new Uint8Array(bytes)) {
    binary += String.fromCharCode(b);
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// ---- OpenID Connect, authorization code with PKCE (RFC 7636) ----

const PENDING_KEY = 'console.oidc.pending';

/** A fresh code verifier (43 characters of the unreserved set) and its S256 challenge. */
export async function pkcePair() {
  const verifier = base64UrlEncode(crypto.getRandomValues(new Uint8Array(32)));
  return { verifier, challenge: await pkceChallenge(verifier) };
}

export async function pkceChallenge(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64UrlEncode(digest);
}

async function discover(issuer) {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`The identity provider ${issuer} did not describe itself (HTTP ${response.status})`);
  }
  const metadata = await response.json();
  if (!metadata.authorization_endpoint || !metadata.token_endpoint) {
    throw new Error(`The identity provider ${issuer} names no authorization or token endpoint`);
  }
  return metadata;
}

function redirectUri() {
  return `${location.origin}/`;
}

/** Sends the browser to the provider. Only the verifier and state wait in sessionStorage, never a token. */
export async function startOidcSignIn(oidc) {
  const metadata = await discover(oidc.issuer);
  const { verifier, challenge } = await pkcePair();
  const state = base64UrlEncode(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ state, verifier, returnTo: location.hash || '#/' }));
  const url = new URL(metadata.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: oidc.clientId,
    redirect_uri: redirectUri(),
    scope: oidc.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/**
 * When the provider sent the browser back with ?code=...&state=..., takes the code out of the address bar at once,
 * checks the state and trades the code and verifier for tokens. Returns the hash route to go on with, or null when
 * this page load is no such return.
 */
export async function completeOidcSignIn(oidc) {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) {
    return null;
  }
  history.replaceState(null, '', `${location.pathname}${location.hash}`);
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || 'null');
  sessionStorage.removeItem(PENDING_KEY);
  if (params.has('error')) {
    throw new Error(`The identity provider refused the sign-in: ${params.get('error_description') || params.get('error')}`);
  }
  if (!pending || pending.state !== params.get('state')) {
    throw new Error('The sign-in answer does not match a sign-in started here; sign in again');
  }
  if (!oidc) {
    throw new Error('OpenID Connect is not configured on this catalog');
  }
  const metadata = await discover(oidc.issuer);
  const response = await fetch(metadata.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: redirectUri(),
      client_id: oidc.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const tokens = await response.json().catch(() => ({}));
  if (!response.ok || !tokens.access_token) {
    throw new Error(`The identity provider gave no token: ${tokens.error_description || tokens.error || `HTTP ${response.status}`}`);
  }
  signInWithToken(tokens.access_token);
  return pending.returnTo;
}
