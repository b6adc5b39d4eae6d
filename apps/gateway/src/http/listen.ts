import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

/**
 * Listens and resolves with the base URL. A burst of thousands of clients connecting at once
 * (streams opened together) must wait in the accept queue, not be reset: Node's default
 * backlog is 511. Open mode (no keys) says where it listens: loopback only by default, loudly
 * otherwise.
 */
export function listenOn(
  server: Server,
  where: { port: number; host: string },
  openMode: () => boolean,
  logger: Logger,
): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: where.port, host: where.host, backlog: 4096 }, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      if (openMode()) announceOpenMode(address, logger);
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shownHost}:${address.port}`);
    });
  });
}

function announceOpenMode(address: AddressInfo, logger: Logger): void {
  if (isLoopback(address.address)) {
    logger.warn(
      { host: address.address },
      `No API_KEYS or ADMIN_API_KEYS configured: open mode, every caller is admin. Listening on ${address.address} only (this machine). Set API keys, then HOST, to serve a network.`,
    );
    return;
  }
  logger.warn(
    { host: address.address },
    `!!! No API_KEYS or ADMIN_API_KEYS configured and listening on ${address.address}: the gateway is OPEN to anyone who can reach it, including admin operations (pull, delete, template writes). Set API_KEYS/ADMIN_API_KEYS before exposing it. !!!`,
  );
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address === '::ffff:127.0.0.1';
}
