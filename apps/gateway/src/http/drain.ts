import type { Server } from 'node:http';
import type { Logger } from 'pino';

/**
 * Stops accepting, lets requests and streams in flight finish, and closes what is still open
 * after `timeoutMs`. Keep-alive sockets that finish their request while draining are closed at
 * once (polled: Node has no event for "this socket went idle").
 */
export async function drainServer(server: Server, timeoutMs: number, logger: Logger) {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  const deadline = setTimeout(() => {
    logger.warn('shutdown deadline reached: closing open connections');
    server.closeAllConnections();
  }, timeoutMs);
  await closed;
  clearInterval(idle);
  clearTimeout(deadline);
}
