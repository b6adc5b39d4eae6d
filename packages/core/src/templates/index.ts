// Prompt templates: model, safe eta engine, built-ins, service (render, render-and-chat, field tools).

export { BUILT_IN_TAG, BUILT_IN_TEMPLATES, isBuiltInId } from './builtins/index.js';
export { checkDefinition } from './definition.js';
export * from './model.js';
export { type JsonSchema, schemaProblems, validateJson } from './output/json-schema.js';
export { DEFAULT_RENDER_LIMITS, type RenderLimits } from './runtime/budget.js';
export type { TemplateEngine } from './runtime/engine.js';
export type { CheckedTemplate, Violation } from './safety/checker.js';
export { HELPER_NAMES } from './safety/grammar.js';
export * from './service/inputs.js';
export {
  createTemplateService,
  type TemplateService,
  type TemplateServiceOptions,
} from './service/template-service.js';
export { resolveVariables } from './variables.js';
