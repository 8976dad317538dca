// The catalog's public API, as any client uses it: GraphQL over HTTP and WebSocket, REST for uploads and media.
import { currentSession, signOut } from './auth.js';

/** A refusal of the API, with its code (extensions.code or the problem body's code) and message. */
export class ApiError extends Error {
  constructor(message, code, status) {
    super(message);
    this.code = code || null;
    this.status = status || null;
  }
}

export function authorization() {
  const session = currentSession();
  return session ? { Authorization: `Bearer ${session.token}` } : {};
}

/** Reads a problem+json body (or any JSON with detail/code) into an ApiError. */
export async function problem(response) {
  const body = await response.json().catch(() => null);
  const message = (body && (body.detail || body.title)) || `HTTP ${response.status} ${response.statusText}`;
  if (response.status === 401 && currentSession()) {
    signOut();
  }
  return new ApiError(message, body && body.code, response.status);
}

export async function graphql(query, variables = {}) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...authorization() },
    body: JSON.stringify({ query, variables }),
  });
  if (!response.ok) {
    throw await problem(response);
  }
  const body = await response.json();
  if (body.errors && body.errors.length) {
    const first = body.errors[0];
    throw new ApiError(first.message, first.extensions && first.extensions.code);
  }
  return body.data;
}

/**
 * An integer literal for a version the API returned: versions may come as numbers or strings depending on the
 * schema's scalar, and are put into the query as a literal, which either scalar accepts.
 */
export function versionLiteral(version) {
  const text = String(version);
  if (!/^\d+$/.test(text)) {
    throw new Error(`Not a version: ${text}`);
  }
  return text;
}

/** Whether the media at `url` is this catalog's, so that the bearer token may go with it. */
export function isOwnOrigin(url) {
  return new URL(url, location.href).origin === location.origin;
}

/** Fetches media that needs the caller's token (private videos) into an object URL for <img> or <video>. */
export async function mediaObjectUrl(url) {
  const response = await fetch(url, { headers: isOwnOrigin(url) ? authorization() : {} });
  if (!response.ok) {
    throw await problem(response);
  }
  return URL.createObjectURL(await response.blob());
}

export const VIDEO_FIELDS = `
  id slug title description category tags owner visibility status version createdAt transcodeAttempts
  source { durationSeconds width height sizeBytes }
  media { hls poster { url width height } progressive { url width height } }
  renditions { height width bitrate averageBitrate codecs url }
  progress { stage percent speed etaSeconds renditionsDone renditionsTotal }
  failure { code message }`;

export async function video(id) {
  const data = await graphql(`query($id: ID!) { video(id: $id) { ${VIDEO_FIELDS} } }`, { id });
  return data.video;
}

/** One page of videos: {videos, endCursor, hasNextPage}. */
export async function videos(filter, first, after) {
  const data = await graphql(`query($filter: VideoFilter, $first: Int, $after: String) {
      videos(filter: $filter, first: $first, after: $after) {
        edges { node { ${VIDEO_FIELDS} } }
        pageInfo { hasNextPage endCursor } } }`, { filter, first, after: after || null });
  return {
    videos: data.videos.edges.map((edge) => edge.node),
    endCursor: data.videos.pageInfo.endCursor,
    hasNextPage: data.videos.pageInfo.hasNextPage,
  };
}

export async function categories() {
  const data = await graphql('{ categories { name count } }');
  return data.categories;
}

export async function createVideo(input) {
  const data = await graphql(`mutation($input: CreateVideoInput!) { createVideo(input: $input) { ${VIDEO_FIELDS} } }`,
    { input });
  return data.createVideo;
}

export async function updateVideo(id, expectedVersion, input) {
  const data = await graphql(`mutation($id: ID!, $input: UpdateVideoInput!) {
      updateVideo(id: $id, expectedVersion: ${versionLiteral(expectedVersion)}, input: $input) { ${VIDEO_FIELDS} } }`,
  { id, input });
  return data.updateVideo;
}

export async function retranscode(id) {
  return (await graphql(`mutation($id: ID!) { retranscode(id: $id) { ${VIDEO_FIELDS} } }`, { id })).retranscode;
}

export async function cancelTranscode(id) {
  return (await graphql(`mutation($id: ID!) { cancelTranscode(id: $id) { ${VIDEO_FIELDS} } }`, { id })).cancelTranscode;
}

export async function deleteVideo(id) {
  return (await graphql('mutation($id: ID!) { deleteVideo(id: $id) }', { id })).deleteVideo;
}

/**
 * The fields a type of the schema has, each with its type's kind and name (lists and non-null unwrapped), so that
 * newer features (a storyboard) are used when the catalog has them.
 */
export async function typeFields(typeName) {
  const data = await graphql(`query($name: String!) { __type(name: $name) { fields { name
      type { kind name ofType { kind name ofType { kind name } } } } } }`, { name: typeName });
  const fields = new Map();
  for (const f of (data.__type && data.__type.fields) || []) {
    let type = f.type;
    while (type.ofType && (type.kind === 'NON_NULL' || type.kind === 'LIST')) {
      type = type.ofType;
    }
    fields.set(f.name, { kind: type.kind, name: type.name });
  }
  return fields;
}
