import { setFlagsFromString } from 'node:v8';

const FLAG = '--semi-space-growth-factor';
const V8_DEFAULT_GROWTH_FACTOR = 2;

/**
 * Start-up creates ~20 MB of long-lived objects (modules, schemas, routers) in one burst. V8 reads
 * that survival rate as load and doubles the young generation's semi-spaces at each scavenge, so
 * the idle gateway kept 8 MB semi-spaces (~10 MB resident) that only start-up had asked for.
 * Growth is held while the modules load and handed back to V8's default once the server listens:
 * under load the young generation grows as before (to 16 MB semi-spaces), which is what keeps
 * scavenges cheap at high request rates. An operator's own `--semi-space-growth-factor` (a node
 * command-line flag; NODE_OPTIONS does not take it) is left alone.
 */
export function holdYoungGenerationGrowth(): () => void {
  if (process.execArgv.some((arg) => arg.replaceAll('_', '-').startsWith(FLAG)))
    return () => undefined;
  setFlagsFromString(`${FLAG}=1`);
  return () => setFlagsFromString(`${FLAG}=${V8_DEFAULT_GROWTH_FACTOR}`);
}
