import type { Expression, Node } from 'acorn';
import {
  ALLOWED_BINARY,
  ALLOWED_LOGICAL,
  ALLOWED_UNARY,
  DENIED_PROPERTIES,
  HELPER_ARITY,
} from './grammar.js';

/** What expression checks need from the checker around them. */
export interface ExpressionContext {
  /** The text node positions refer to (the assembled program, or one output tag's code). */
  text: string;
  toSource(pos: number): number;
  inScope(name: string): boolean;
  fail(offset: number, construct: string, message: string): undefined;
  /** A read of `it.<name>` at a template offset. */
  reference(name: string, offset: number): void;
}

/** Checks one expression against the restricted language (grammar.ts); reports, never throws. */
export function checkExpression(node: Expression | Node, c: ExpressionContext): undefined {
  const e = node as Expression;
  const at = c.toSource(e.start);
  switch (e.type) {
    case 'Literal':
      if (e.regex || e.bigint !== undefined) {
        return c.fail(at, 'Literal', 'regular expression and bigint literals are not allowed');
      }
      return;
    case 'Identifier':
      if (!plainIdentifier(e, c) || e.name === 'it' || c.inScope(e.name)) return;
      if (e.name in HELPER_ARITY)
        return c.fail(at, 'Identifier', `helper "${e.name}" can only be called`);
      return c.fail(at, 'Identifier', `unknown name "${e.name}" (read variables as it.name)`);
    case 'MemberExpression':
      return checkMember(e, c);
    case 'ChainExpression':
      return checkExpression(e.expression, c);
    case 'BinaryExpression':
    case 'LogicalExpression': {
      const allowed = e.type === 'BinaryExpression' ? ALLOWED_BINARY : ALLOWED_LOGICAL;
      if (!allowed.has(e.operator))
        return c.fail(at, e.type, `operator "${e.operator}" is not allowed`);
      checkExpression(e.left, c);
      return checkExpression(e.right, c);
    }
    case 'UnaryExpression':
      if (!ALLOWED_UNARY.has(e.operator))
        return c.fail(at, e.type, `operator "${e.operator}" is not allowed`);
      return checkExpression(e.argument, c);
    case 'ConditionalExpression':
      checkExpression(e.test, c);
      checkExpression(e.consequent, c);
      return checkExpression(e.alternate, c);
    case 'CallExpression':
      return checkCall(e, c);
    default:
      return c.fail(at, e.type, `${describeNode(e.type)} is not allowed`);
  }
}

function checkMember(
  e: Extract<Expression, { type: 'MemberExpression' }>,
  c: ExpressionContext,
): undefined {
  if (e.object.type === 'Super')
    return c.fail(c.toSource(e.start), 'Super', 'super is not allowed');
  const property = e.property;
  if (e.computed) {
    const index = property.type === 'Literal' ? property.value : undefined;
    if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
      return c.fail(
        c.toSource(property.start),
        'computed member access',
        'only [n] with a non-negative integer literal is allowed',
      );
    }
  } else if (property.type !== 'Identifier') {
    return c.fail(c.toSource(property.start), property.type, 'private names are not allowed');
  } else if (!plainIdentifier(property, c)) {
    return;
  } else if (DENIED_PROPERTIES.has(property.name) || property.name.startsWith('__')) {
    return c.fail(
      c.toSource(property.start),
      'property',
      `property "${property.name}" is not allowed`,
    );
  } else if (e.object.type === 'Identifier' && e.object.name === 'it') {
    c.reference(property.name, c.toSource(property.start));
  }
  return checkExpression(e.object, c);
}

function checkCall(
  e: Extract<Expression, { type: 'CallExpression' }>,
  c: ExpressionContext,
): undefined {
  const callee = e.callee;
  const at = c.toSource(e.start);
  const arity =
    callee.type === 'Identifier' && !c.inScope(callee.name) ? HELPER_ARITY[callee.name] : undefined;
  if (callee.type !== 'Identifier' || !arity || !plainIdentifier(callee, c)) {
    const what = callee.type === 'Identifier' ? `"${callee.name}"` : 'this callee';
    return c.fail(
      at,
      'CallExpression',
      `calling ${what} is not allowed; helpers: ${Object.keys(HELPER_ARITY).join(', ')}`,
    );
  }
  if (e.optional || e.arguments.length < arity[0] || e.arguments.length > arity[1]) {
    return c.fail(at, 'CallExpression', `${callee.name} takes ${arity[0]}–${arity[1]} arguments`);
  }
  for (const argument of e.arguments) {
    if (argument.type === 'SpreadElement')
      c.fail(c.toSource(argument.start), 'SpreadElement', 'spread is not allowed');
    else checkExpression(argument, c);
  }
}

/** Rejects identifiers written with escapes (`\u0070rocess`): what you read is what runs. */
export function plainIdentifier(
  node: { name: string; start: number; end: number },
  c: ExpressionContext,
): boolean {
  if (c.text.slice(node.start, node.end) === node.name) return true;
  c.fail(c.toSource(node.start), 'escaped identifier', 'identifiers may not contain escapes');
  return false;
}

/** `ThisExpression` → "this expression", `WhileStatement` → "while statement". */
export function describeNode(type: string): string {
  return type
    .replace(/(Expression|Statement|Declaration)$/, ' $1')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
}
