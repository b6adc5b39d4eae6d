import type { Eta } from 'eta';
import { GatewayError } from '../../errors.js';
import { lineColumn } from './position.js';

/** One piece of a template as eta itself splits it, with where its code starts in the source. */
export type TemplatePiece =
  | { kind: 'text' }
  | { kind: 'exec'; code: string; start: number }
  | { kind: 'output'; code: string; start: number };

// eta 4's own tag grammar (tags `<%` `%>`, prefixes '' / '=' / '~', trim marks '-' / '_').
const OPEN_TAG = /<%(-|_)?\s*(=|~)?\s*/g;
const CLOSE_TAG = /\s*(-|_)?%>/y;

/**
 * Splits a template with eta's own parser — so the checker sees exactly the pieces eta will
 * compile — and finds each tag's code offset by replaying eta's tag scan. When the replay and
 * eta disagree the template is refused rather than guessed at.
 */
export function splitTemplate(eta: Eta, source: string, field: string): TemplatePiece[] {
  let ast: ReturnType<Eta['parse']>;
  try {
    ast = eta.parse(source);
  } catch (error) {
    // eta says e.g. "unclosed tag at line 1 col 7:"; restate it in the checker's words.
    const first = (error instanceof Error ? error.message.split('\n')[0] : undefined) ?? '';
    const at = /^(.*) at line (\d+) col (\d+)/.exec(first);
    const text = at
      ? `line ${at[2]}, column ${at[3]}: ${at[1]}`
      : `line 1, column 1: ${first || 'unparsable template'}`;
    throw new GatewayError('TEMPLATE_INVALID', `${field}: ${text}`, {
      fieldErrors: [{ path: field, message: text }],
    });
  }
  const pieces: TemplatePiece[] = [];
  let cursor = 0;
  for (const item of ast) {
    if (typeof item === 'string') {
      pieces.push({ kind: 'text' });
      continue;
    }
    OPEN_TAG.lastIndex = cursor;
    const open = OPEN_TAG.exec(source);
    const start = open ? open.index + open[0].length : -1;
    const located = open !== null && source.startsWith(item.val, start);
    CLOSE_TAG.lastIndex = start + item.val.length;
    if (!located || !CLOSE_TAG.test(source)) {
      const { line, column } = lineColumn(source, open?.index ?? cursor);
      const message = `line ${line}, column ${column}: tag could not be read unambiguously`;
      throw new GatewayError('TEMPLATE_INVALID', `${field}: ${message}`, {
        fieldErrors: [{ path: field, message }],
      });
    }
    cursor = CLOSE_TAG.lastIndex;
    const kind = item.t === 'e' ? 'exec' : item.t === 'i' || item.t === 'r' ? 'output' : null;
    if (kind === null) {
      const { line, column } = lineColumn(source, start);
      const message = `line ${line}, column ${column}: unknown tag type "${item.t}"`;
      throw new GatewayError('TEMPLATE_INVALID', `${field}: ${message}`, {
        fieldErrors: [{ path: field, message }],
      });
    }
    pieces.push({ kind, code: item.val, start });
  }
  return pieces;
}
