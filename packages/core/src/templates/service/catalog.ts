import { GatewayError } from '../../errors.js';
import type { RequestContext } from '../../service/context.js';
import { decodeCursor, encodeCursor, notFound, pageSize } from '../../stores/templates/shared.js';
import type { TemplateStore } from '../../stores/templates/template-store.js';
import { BUILT_IN_TEMPLATES, isBuiltInId } from '../builtins/index.js';
import { checkDefinition } from '../definition.js';
import {
  createTemplateInputSchema,
  LATEST_LABEL,
  listTemplatesInputSchema,
  setLabelInputSchema,
  type TemplateDefinition,
  type TemplatePage,
  type TemplateRef,
  type TemplateSummary,
  type TemplateVersion,
  type TemplateVersionInfo,
  templateIdSchema,
  templateRefSchema,
  updateTemplateInputSchema,
} from '../model.js';
import { parseInput } from '../parse-input.js';
import type { EngineLoader } from '../runtime/lazy-engine.js';

/**
 * Reads and writes of templates: the six built-ins (read-only, in code) merged with the store's
 * custom templates. Built-in ids are reserved: writing one answers FORBIDDEN.
 */
export class TemplateCatalog {
  constructor(
    private readonly store: TemplateStore,
    private readonly engine: EngineLoader,
  ) {}

  async list(input: unknown = {}): Promise<TemplatePage> {
    const query = parseInput(listTemplatesInputSchema, input);
    const limit = pageSize(query.limit);
    const after = decodeCursor(query.cursor);
    const stored = await this.store.list({ ...query, limit });
    const builtIns = [...BUILT_IN_TEMPLATES.values()]
      .filter((t) => after === undefined || t.id > after)
      .filter((t) => !query.tag || t.tags.includes(query.tag))
      .filter((t) => !query.search || matches(t, query.search))
      .map(summaryOf);
    const merged = [...stored.items, ...builtIns].sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    const items = merged.slice(0, limit);
    const more = merged.length > limit || stored.nextCursor !== null;
    const last = items.at(-1);
    return { items, nextCursor: more && last ? encodeCursor(last.id) : null };
  }

  async get(input: TemplateRef): Promise<TemplateVersion> {
    const ref = parseInput(templateRefSchema, input);
    const builtIn = BUILT_IN_TEMPLATES.get(ref.id);
    if (!builtIn) return this.store.get(ref);
    if (ref.version !== undefined && ref.version !== builtIn.version)
      throw notFound(ref.id, `version ${ref.version}`);
    if (ref.label !== undefined && !builtIn.labels.includes(ref.label))
      throw notFound(ref.id, `label "${ref.label}"`);
    return builtIn;
  }

  async versions(input: { id: string }): Promise<TemplateVersionInfo[]> {
    const id = parseInput(templateIdSchema, input.id);
    const builtIn = BUILT_IN_TEMPLATES.get(id);
    if (!builtIn) return this.store.versions(id);
    const { version, createdAt, createdBy, commitMessage, labels } = builtIn;
    return [{ version, createdAt, createdBy, commitMessage, labels }];
  }

  async create(input: unknown, ctx: RequestContext): Promise<TemplateVersion> {
    const { id, commitMessage, labels, ...definition } = parseInput(
      createTemplateInputSchema,
      input,
    );
    this.refuseBuiltIn(id);
    checkDefinition(await this.engine(), definition as TemplateDefinition);
    return this.store.create(id, {
      definition: definition as TemplateDefinition,
      createdBy: ctx.caller.keyId,
      commitMessage: commitMessage ?? null,
      labels: labels ?? [],
    });
  }

  async update(input: unknown, ctx: RequestContext): Promise<TemplateVersion> {
    const { id, commitMessage, labels, baseVersion, ...change } = parseInput(
      updateTemplateInputSchema,
      input,
    );
    this.refuseBuiltIn(id);
    const engine = await this.engine();
    return this.store.update(
      id,
      (latest) => {
        const definition = applyChange(latest, change);
        checkDefinition(engine, definition);
        return {
          definition,
          createdBy: ctx.caller.keyId,
          commitMessage: commitMessage ?? null,
          labels: labels ?? [],
        };
      },
      baseVersion,
    );
  }

  async delete(
    input: { id: string },
    _ctx: RequestContext,
  ): Promise<{ id: string; deleted: true }> {
    const id = parseInput(templateIdSchema, input.id);
    this.refuseBuiltIn(id);
    await this.store.delete(id);
    return { id, deleted: true };
  }

  async setLabel(input: unknown, _ctx: RequestContext): Promise<TemplateVersionInfo> {
    const { id, version, label } = parseInput(setLabelInputSchema, input);
    this.refuseBuiltIn(id);
    return this.store.setLabel(id, version, label);
  }

  private refuseBuiltIn(id: string): void {
    if (isBuiltInId(id)) {
      throw new GatewayError(
        'FORBIDDEN',
        `Template ${id} is built in and read-only; create a copy under another id`,
        {
          details: { id },
        },
      );
    }
  }
}

type Change = Omit<
  ReturnType<typeof updateTemplateInputSchema.parse>,
  'id' | 'commitMessage' | 'labels' | 'baseVersion'
>;

/** The next version's definition: the latest one with the given fields replaced (null removes). */
function applyChange(latest: TemplateVersion, change: Change): TemplateDefinition {
  const next: TemplateDefinition = {
    name: change.name ?? latest.name,
    description: change.description ?? latest.description,
    template: change.template ?? latest.template,
    variables: change.variables ?? latest.variables,
    output: (change.output ?? latest.output) as TemplateDefinition['output'],
    tags: change.tags ?? latest.tags,
  };
  const systemPrompt =
    change.systemPrompt === undefined ? latest.systemPrompt : change.systemPrompt;
  const model = change.model === undefined ? latest.model : change.model;
  const options = change.options === undefined ? latest.options : change.options;
  if (systemPrompt != null) next.systemPrompt = systemPrompt;
  if (model != null) next.model = model;
  if (options != null) next.options = options;
  return next;
}

function matches(t: TemplateVersion, search: string): boolean {
  const text = `${t.id} ${t.name} ${t.description} ${t.tags.join(' ')}`.toLowerCase();
  return text.includes(search.toLowerCase());
}

function summaryOf(t: TemplateVersion): TemplateSummary {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    tags: t.tags,
    ...(t.model === undefined ? {} : { model: t.model }),
    latestVersion: t.version,
    labels: Object.fromEntries([LATEST_LABEL, ...t.labels].map((l) => [l, t.version])),
    updatedAt: t.createdAt,
    builtIn: true,
  };
}
