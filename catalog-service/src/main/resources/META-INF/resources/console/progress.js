// The videoProgress subscription over GraphQL-over-WebSocket (graphql-transport-ws). Browsers cannot set headers on
// a WebSocket, so the token goes in connection_init's payload, as the catalog accepts.
import { createClient } from '/webjars/graphql-ws/5.16.0/lib/client.mjs';
import { ApiError, authorization, VIDEO_FIELDS } from './api.js';

/** Calls onVideo with the video now and after every change; returns a function that stops following. */
export function followVideo(id, { onVideo, onError, onComplete }) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = createClient({
    url: `${scheme}//${location.host}/graphql`,
    connectionParams: () => authorization(),
    retryAttempts: 5,
  });
  const stop = client.subscribe(
    { query: `subscription($id: ID!) { videoProgress(id: $id) { ${VIDEO_FIELDS} } }`, variables: { id } },
    {
      next: (message) => {
        if (message.errors && message.errors.length) {
          const first = message.errors[0];
          onError(new ApiError(first.message, first.extensions && first.extensions.code));
        } else if (message.data && message.data.videoProgress) {
          onVideo(message.data.videoProgress);
        }
      },
      error: (error) => {
        const first = Array.isArray(error) ? error[0] : error;
        onError(new ApiError((first && (first.message || first.reason)) || 'The progress connection failed',
          first && first.extensions && first.extensions.code));
      },
      complete: () => onComplete && onComplete(),
    });
  return () => {
    stop();
    client.dispose();
  };
}
