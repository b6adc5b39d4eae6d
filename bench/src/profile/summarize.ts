/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by package,
 * so a profile of the gateway under load says where its time goes in a few lines.
 *   pnpm --filter @intellicore/bench profile:summary <file.cpuprofile> [topN]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/.pnpm/x@1/node_modules/@scope/pkg/…` → `@scope/pkg`; node internals → `node:…`. */
export function packageOf(url: string): string {
  if (!url) return '(native / vm)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 14).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
  }
  const ws = /\/(apps|packages)\/([^/]+)\//.exec(url);
  return ws ? `${ws[1]}/${ws[2]}` : url;
}

export function summarizeProfile(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = parentsOf(profile);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    if (isProbe(id, byId, parent)) return; // the bench's own profiler start/stop, not the gateway
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    total += us;
    if (frame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const file = frame.url
      .replace(/^file:\/\//, '')
      .replace(/^.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, '');
    const key = `${frame.functionName || '(anonymous)'}  ${file}:${frame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const pkg = packageOf(frame.url.replace(/^file:\/\//, ''));
    const pkgKey = frame.url ? pkg : frame.functionName; // (garbage collector), (program)…
    byPackage.set(pkgKey, (byPackage.get(pkgKey) ?? 0) + us);
  }
  const busy = total - idle;
  const inclusive = inclusiveByPackage(byId, parent, selfUs);
  const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
  const rows = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `${pct(us)}  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
  return [
    `profile: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(2)} s busy (${((busy / total) * 100).toFixed(0)}%); shares below are of busy time`,
    '',
    'self time by package:',
    ...rows(byPackage, 20),
    '',
    'inclusive time by package (a sample counts once for every package on its stack):',
    ...rows(inclusive, 15),
    '',
    `top ${top} functions by self time:`,
    ...rows(byFunction, top),
  ].join('\n');
}

function parentsOf(profile: CpuProfile): Map<number, number> {
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  return parent;
}

function isProbe(id: number, byId: Map<number, ProfileNode>, parent: Map<number, number>): boolean {
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    if (byId.get(at)?.callFrame.url.endsWith('/probe.mjs')) return true;
  }
  return false;
}

/** Time each package spends on the stack (itself or anything it called), per busy sample. */
function inclusiveByPackage(
  byId: Map<number, ProfileNode>,
  parent: Map<number, number>,
  selfUs: Map<number, number>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const leaf = byId.get(id)?.callFrame;
    if (!leaf || leaf.functionName === '(idle)') continue;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame?.url) continue;
      seen.add(packageOf(frame.url.replace(/^file:\/\//, '')));
    }
    for (const pkg of seen) out.set(pkg, (out.get(pkg) ?? 0) + us);
  }
  return out;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  const [file, topN] = process.argv.slice(2);
  if (!file) {
    console.error('usage: summarize.ts <file.cpuprofile> [topN]');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  console.log(summarizeProfile(profile, Number(topN ?? 30)));
}
