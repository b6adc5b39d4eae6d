import { requireAdmin } from '../../service/authorization.js';
import type { RequestContext } from '../../service/context.js';
import type { GatewayService } from '../../service/gateway-service.js';
import type { TemplateStore } from '../../stores/templates/template-store.js';
import type {
  CreateTemplateInput,
  ListTemplatesInput,
  SetLabelInput,
  TemplatePage,
  TemplateRef,
  TemplateVersion,
  TemplateVersionInfo,
  UpdateTemplateInput,
} from '../model.js';
import { parseInput } from '../parse-input.js';
import { DEFAULT_RENDER_LIMITS, type RenderLimits } from '../runtime/budget.js';
import { lazyTemplateEngine } from '../runtime/lazy-engine.js';
import { TemplateCatalog } from './catalog.js';
import { chatWithTemplate, streamWithTemplate } from './chat.js';
import {
  fieldValidationResult,
  suggestFieldsRequest,
  suggestFieldsResult,
  validateFieldRequest,
} from './field-tools.js';
import {
  type FieldValidationResult,
  type RenderAndChatInput,
  type RenderAndChatResult,
  type RenderAndChatStreamEvent,
  type RenderedTemplate,
  type RenderTemplateInput,
  renderAndChatInputSchema,
  renderTemplateInputSchema,
  type SuggestFieldsInput,
  type SuggestFieldsResult,
  suggestFieldsInputSchema,
  type ValidateFieldInput,
  validateFieldInputSchema,
} from './inputs.js';
import { renderVersion } from './renderer.js';

export interface TemplateServiceOptions {
  store: TemplateStore;
  gateway: GatewayService;
  /** Bounds of one render (defaults: 10 000 loop iterations, 256 KiB output, 250 ms). */
  limits?: Partial<RenderLimits>;
}

/**
 * Everything the `templates` router (and `chat.validateField` / `chat.suggestFields`) calls.
 * Inputs are validated here with the exported zod schemas; every method throws only
 * GatewayError. Writes (create, update, delete, setLabel) need the admin scope and are refused
 * here with FORBIDDEN whatever the transport checked; writers are recorded as
 * `ctx.caller.keyId`. Chats run through the GatewayService with the caller's context, so its
 * caps apply to a template's stored options too.
 */
export interface TemplateService {
  list(input?: ListTemplatesInput): Promise<TemplatePage>;
  get(input: TemplateRef): Promise<TemplateVersion>;
  versions(input: { id: string }): Promise<TemplateVersionInfo[]>;
  create(input: CreateTemplateInput, ctx: RequestContext): Promise<TemplateVersion>;
  update(input: UpdateTemplateInput, ctx: RequestContext): Promise<TemplateVersion>;
  delete(input: { id: string }, ctx: RequestContext): Promise<{ id: string; deleted: true }>;
  setLabel(input: SetLabelInput, ctx: RequestContext): Promise<TemplateVersionInfo>;
  render(input: RenderTemplateInput): Promise<RenderedTemplate>;
  renderAndChat(input: RenderAndChatInput, ctx: RequestContext): Promise<RenderAndChatResult>;
  renderAndChatStream(
    input: RenderAndChatInput,
    ctx: RequestContext,
  ): AsyncIterable<RenderAndChatStreamEvent>;
  validateField(input: ValidateFieldInput, ctx: RequestContext): Promise<FieldValidationResult>;
  suggestFields(input: SuggestFieldsInput, ctx: RequestContext): Promise<SuggestFieldsResult>;
}

export function createTemplateService(options: TemplateServiceOptions): TemplateService {
  const engine = lazyTemplateEngine({ ...DEFAULT_RENDER_LIMITS, ...options.limits });
  const catalog = new TemplateCatalog(options.store, engine);
  const gateway = options.gateway;

  const render = async (input: RenderTemplateInput): Promise<RenderedTemplate> => {
    const { variables, ...ref } = parseInput(renderTemplateInputSchema, input);
    const template = await catalog.get(ref);
    return renderVersion(await engine(), template, variables);
  };
  const renderAndChat = async (input: RenderAndChatInput, ctx: RequestContext) => {
    const {
      model,
      options: chatOptions,
      keepAlive,
      think,
      ...rest
    } = parseInput(renderAndChatInputSchema, input);
    const rendered = await render(rest);
    return chatWithTemplate(
      gateway,
      rendered,
      { model, options: chatOptions, keepAlive, think },
      ctx,
    );
  };

  return {
    list: (input) => catalog.list(input),
    get: (input) => catalog.get(input),
    versions: (input) => catalog.versions(input),
    create: async (input, ctx) => {
      requireAdmin(ctx.caller, 'templates.write');
      return catalog.create(input, ctx);
    },
    update: async (input, ctx) => {
      requireAdmin(ctx.caller, 'templates.write');
      return catalog.update(input, ctx);
    },
    delete: async (input, ctx) => {
      requireAdmin(ctx.caller, 'templates.write');
      return catalog.delete(input, ctx);
    },
    setLabel: async (input, ctx) => {
      requireAdmin(ctx.caller, 'templates.write');
      return catalog.setLabel(input, ctx);
    },
    render,
    renderAndChat,
    async *renderAndChatStream(input, ctx) {
      const {
        model,
        options: chatOptions,
        keepAlive,
        think,
        ...rest
      } = parseInput(renderAndChatInputSchema, input);
      const rendered = await render(rest);
      yield* streamWithTemplate(
        gateway,
        rendered,
        { model, options: chatOptions, keepAlive, think },
        ctx,
      );
    },
    async validateField(input, ctx) {
      const parsed = parseInput(validateFieldInputSchema, input);
      return fieldValidationResult(await renderAndChat(validateFieldRequest(parsed), ctx));
    },
    async suggestFields(input, ctx) {
      const parsed = parseInput(suggestFieldsInputSchema, input);
      return suggestFieldsResult(await renderAndChat(suggestFieldsRequest(parsed), ctx), parsed);
    },
  };
}
