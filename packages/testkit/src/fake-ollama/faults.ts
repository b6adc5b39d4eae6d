import { normaliseModelName } from './models.js';
import type { Fault, FaultController } from './types.js';

type ActiveFault = { id: number; fault: Fault; model?: string; remaining?: number };

/** The faults set by tests; `match` merges the ones that apply to one request and uses them up. */
export class Faults implements FaultController {
  private active: ActiveFault[] = [];
  private nextId = 1;

  set(fault: Fault): number {
    const id = this.nextId++;
    const model = fault.model === undefined ? undefined : normaliseModelName(fault.model);
    this.active.push({ id, fault: { ...fault }, model, remaining: fault.times });
    return id;
  }

  clear(id?: number): void {
    this.active = id === undefined ? [] : this.active.filter((a) => a.id !== id);
  }

  list(): Array<Fault & { id: number; remaining?: number }> {
    return this.active.map((a) => ({ ...a.fault, id: a.id, remaining: a.remaining }));
  }

  /** The merged fault for a request (later faults win per knob), or undefined: the hot path. */
  match(path: string, model: string | undefined, body?: unknown): Fault | undefined {
    if (this.active.length === 0) return undefined;
    const key = model === undefined ? undefined : normaliseModelName(model);
    let merged: Fault | undefined;
    for (const a of this.active) {
      if (a.fault.path !== undefined && a.fault.path !== path) continue;
      if (a.model !== undefined && a.model !== key) continue;
      const needle = a.fault.inputContains;
      if (needle !== undefined && !inputTexts(body).some((t) => t.includes(needle))) continue;
      merged = { ...merged, ...a.fault };
      if (a.remaining !== undefined) a.remaining--;
    }
    this.active = this.active.filter((a) => a.remaining === undefined || a.remaining > 0);
    return merged;
  }
}

/** The texts a request feeds the model: message contents, prompt, system, embed inputs. */
function inputTexts(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const b = body as Record<string, unknown>;
  const texts: unknown[] = [b.prompt, b.system, b.suffix];
  if (Array.isArray(b.messages)) {
    for (const m of b.messages) texts.push((m as { content?: unknown } | null)?.content);
  }
  texts.push(...(Array.isArray(b.input) ? b.input : [b.input]));
  return texts.filter((t): t is string => typeof t === 'string');
}
