import type { Server, ServerResponse } from 'node:http';

export interface HttpDrain {
  /** Stops accepting, closes idle keep-alive sockets, and resolves once every open request is answered. */
  drain(): Promise<void>;
}

const closeAfter = (response: ServerResponse) => {
  if (!response.headersSent) response.setHeader('Connection', 'close');
};

/**
 * `server.close()` alone waits for keep-alive clients that never pause, since their sockets are
 * never idle. Once draining, every answer (in flight or arriving on an open socket) says
 * `Connection: close`, so each socket closes after its current request.
 */
export function drainable(server: Server): HttpDrain {
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  // Before the application's listener, so a response answered at once is marked too.
  server.prependListener('request', (_request, response: ServerResponse) => {
    if (draining) return closeAfter(response);
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
  });
  return {
    async drain() {
      draining = true;
      for (const response of inFlight) closeAfter(response);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
    },
  };
}
