import { isIP } from 'node:net';
import { hostname } from 'node:os';

/**
 * Ollama bound to loopback answers 403 (empty body) unless the Host header names a loopback,
 * private or unspecified address, `localhost`, this machine's hostname, or a `.localhost`,
 * `.local` or `.internal` name. A proxy that forwards its public Host header trips on this.
 */
export function allowedHost(hostHeader: string | undefined): boolean {
  if (!hostHeader) return true;
  const host = stripPort(hostHeader.toLowerCase());
  if (host === '' || host === 'localhost' || host === hostname().toLowerCase()) return true;
  if (/\.(localhost|local|internal)$/.test(host)) return true;
  const kind = isIP(host);
  if (kind === 4) return isLocalV4(host);
  if (kind === 6)
    return host === '::1' || host === '::' || /^f[cd]/.test(host) || host.startsWith('::ffff:127.');
  return false;
}

function stripPort(host: string): string {
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon !== -1 && host.indexOf(':') === colon ? host.slice(0, colon) : host;
}

function isLocalV4(ip: string): boolean {
  const [a = 0, b = 0] = ip.split('.').map(Number);
  return (
    a === 127 || a === 10 || a === 0 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168)
  );
}
