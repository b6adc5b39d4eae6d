import type { TemplateVersion } from '../model.js';
import { BUILT_IN_TAG, type BuiltInTemplateSource, toBuiltInVersion } from './built-in.js';
import { documentSummarize } from './document-summarize.js';
import { fieldValidation } from './field-validation.js';
import { naturalLanguageQuery } from './natural-language-query.js';
import { objectTypeSuggestion } from './object-type-suggestion.js';
import { ragAnswer } from './rag-answer.js';
import { relationshipValidation } from './relationship-validation.js';

export { BUILT_IN_TAG, type BuiltInTemplateSource };

export const BUILT_IN_SOURCES: readonly BuiltInTemplateSource[] = [
  documentSummarize,
  fieldValidation,
  naturalLanguageQuery,
  objectTypeSuggestion,
  ragAnswer,
  relationshipValidation,
];

/** The six built-ins as read-only versions, sorted by id (the list order). */
export const BUILT_IN_TEMPLATES: ReadonlyMap<string, TemplateVersion> = new Map(
  BUILT_IN_SOURCES.map((s) => [s.id, toBuiltInVersion(s)] as const).sort(([a], [b]) =>
    a < b ? -1 : 1,
  ),
);

export function isBuiltInId(id: string): boolean {
  return BUILT_IN_TEMPLATES.has(id);
}
