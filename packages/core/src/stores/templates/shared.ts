import { badRequest, GatewayError } from '../../errors.js';
import {
  LATEST_LABEL,
  type TemplateDefinition,
  type TemplateRef,
  type TemplateSummary,
  type TemplateVersion,
} from '../../templates/model.js';

/** Pieces both store implementations share: cursors, errors, row mapping. */

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function pageSize(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
}

/** Opaque to clients; today it carries the last id of the page (list order is by id). */
export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      after?: unknown;
    };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through to the typed error
  }
  throw badRequest([{ path: 'cursor', message: 'invalid cursor (pass back nextCursor as given)' }]);
}

/** `%`, `_` and `\` match themselves in a LIKE pattern escaped with `\`. */
export function likePattern(search: string): string {
  return `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function notFound(id: string, what?: string): GatewayError {
  return new GatewayError(
    'TEMPLATE_NOT_FOUND',
    `Template ${id}${what ? ` ${what}` : ''} not found`,
    {
      details: { id },
    },
  );
}

export function alreadyExists(id: string): GatewayError {
  return badRequest([{ path: 'id', message: `a template with id "${id}" already exists` }]);
}

export function staleBase(id: string, baseVersion: number, latest: number): GatewayError {
  return badRequest([
    {
      path: 'baseVersion',
      message: `template ${id} is at version ${latest}, not ${baseVersion} (someone else updated it)`,
    },
  ]);
}

export function reservedLabel(): GatewayError {
  return badRequest([
    { path: 'label', message: `"${LATEST_LABEL}" is reserved and moves by itself` },
  ]);
}

export function refConflict(ref: TemplateRef): void {
  if (ref.version !== undefined && ref.label !== undefined) {
    throw badRequest([{ path: 'label', message: 'give either version or label, not both' }]);
  }
}

export interface VersionRow {
  id: string;
  version: number;
  body: TemplateDefinition;
  createdAt: string;
  createdBy: string | null;
  commitMessage: string | null;
}

/** Labels of a template as pointers; `latest` is derived. */
export function labelMap(
  stored: { label: string; version: number }[],
  latest: number,
): Record<string, number> {
  const labels: Record<string, number> = {};
  for (const row of stored) labels[row.label] = row.version;
  labels[LATEST_LABEL] = latest;
  return labels;
}

export function labelsOf(labels: Record<string, number>, version: number): string[] {
  return Object.entries(labels)
    .filter(([, v]) => v === version)
    .map(([label]) => label)
    .sort();
}

export function toVersion(row: VersionRow, labels: Record<string, number>): TemplateVersion {
  return {
    ...row.body,
    id: row.id,
    version: row.version,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    commitMessage: row.commitMessage,
    labels: labelsOf(labels, row.version),
    builtIn: false,
  };
}

export function toSummary(
  row: VersionRow,
  labels: Record<string, number>,
  updatedAt: string,
): TemplateSummary {
  return {
    id: row.id,
    name: row.body.name,
    description: row.body.description,
    tags: row.body.tags,
    ...(row.body.model === undefined ? {} : { model: row.body.model }),
    latestVersion: row.version,
    labels,
    updatedAt,
    builtIn: false,
  };
}

export function wrapDatabaseError(error: unknown, action: string): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('INTERNAL', `Template store failed to ${action}`, { cause: error });
}
