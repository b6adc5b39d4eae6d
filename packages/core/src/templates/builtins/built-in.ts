import type { TemplateDefinition, TemplateVersion } from '../model.js';

/** A template shipped in code: read-only, versioned by hand when its text changes. */
export interface BuiltInTemplateSource extends TemplateDefinition {
  id: string;
  version: number;
  /** When this version was written (ISO date); shown as createdAt. */
  releasedAt: string;
  commitMessage: string;
}

export const BUILT_IN_TAG = 'built-in';

export function toBuiltInVersion(source: BuiltInTemplateSource): TemplateVersion {
  const { releasedAt, ...rest } = source;
  return {
    ...rest,
    tags: rest.tags.includes(BUILT_IN_TAG) ? rest.tags : [BUILT_IN_TAG, ...rest.tags],
    createdAt: releasedAt,
    createdBy: null,
    labels: ['latest', 'production'],
    builtIn: true,
  };
}
