/**
 * Reads a gateway's Prometheus `/metrics` text: what a gateway itself observed, seen from
 * outside (the upstream gateway's point of view in the real-inference test).
 */
export async function scrape(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (!res.ok) throw new Error(`GET ${baseUrl}/metrics answered ${res.status}`);
  return res.text();
}

/**
 * The sum of every `name{…}` sample whose labels include `labels` (other labels may be
 * anything: `{ direction: 'out' }` adds up all models); 0 when there is none.
 */
export function metricSum(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels);
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const close = line.lastIndexOf('}');
    const body = close >= 0 ? line.slice(name.length + 1, close) : '';
    const got = new Map(
      [...body.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]] as const),
    );
    if (wanted.every(([k, v]) => got.get(k) === v)) {
      sum += Number(line.slice(close >= 0 ? close + 1 : name.length).trim());
    }
  }
  return sum;
}
