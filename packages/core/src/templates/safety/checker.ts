import type { Program, Statement } from 'acorn';
import { parse, parseExpressionAt } from 'acorn';
import type { Eta } from 'eta';
import { GatewayError } from '../../errors.js';
import {
  checkExpression,
  describeNode,
  type ExpressionContext,
  plainIdentifier,
} from './expressions.js';
import { LOOP_VARIABLE_PATTERN, RESERVED_NAMES } from './grammar.js';
import { lineColumn } from './position.js';
import { type AssembledProgram, assembleProgram } from './program.js';
import { splitTemplate } from './tags.js';

export interface Violation {
  line: number;
  column: number;
  construct: string;
  message: string;
}

/** A template that passed the checker, ready for eta. */
export interface CheckedTemplate {
  /** The source with loop guards inserted (`for (const x of __loop(it.items))`). */
  instrumented: string;
  /** Top-level variables read as `it.name`, with the first place each is read. */
  references: Map<string, { line: number; column: number }>;
}

const MAX_VIOLATIONS = 20;
const ACORN = { ecmaVersion: 'latest', sourceType: 'script' } as const;

/**
 * Checks every eta tag of a template against the restricted language (grammar.ts) and throws
 * TEMPLATE_INVALID naming line, column and construct of each violation. Statements allowed:
 * `if`/`else` and `for (const x of …)` with braces; output tags are parsed on their own as one
 * expression each and checked in the loop scope of their placeholder.
 */
export function checkTemplate(eta: Eta, source: string, field: string): CheckedTemplate {
  return new TemplateChecker(source, field).run(assembleProgram(splitTemplate(eta, source, field)));
}

class TemplateChecker {
  private readonly violations: Violation[] = [];
  private readonly references = new Map<string, { line: number; column: number }>();
  private readonly insertions: { at: number; text: string }[] = [];
  private readonly scopes: Set<string>[] = [];
  private readonly visited = new Set<number>();

  constructor(
    private readonly source: string,
    private readonly field: string,
  ) {}

  run(program: AssembledProgram): CheckedTemplate {
    const ast = this.parseProgram(program);
    if (ast) {
      const context = this.context(program.code, program.toSource);
      for (const statement of ast.body) this.statement(statement as Statement, context, program);
      for (const [at, output] of program.outputs) {
        if (!this.visited.has(at))
          this.fail(output.start, 'output tag', 'output tag in an unsupported position');
      }
    }
    if (this.violations.length > 0) throw this.error();
    return { instrumented: this.instrument(), references: this.references };
  }

  private context(text: string, toSource: (pos: number) => number): ExpressionContext {
    return {
      text,
      toSource,
      inScope: (name) => this.scopes.some((scope) => scope.has(name)),
      fail: (offset, construct, message) => this.fail(offset, construct, message),
      reference: (name, offset) => {
        if (!this.references.has(name)) this.references.set(name, lineColumn(this.source, offset));
      },
    };
  }

  private parseProgram(program: AssembledProgram): Program | undefined {
    try {
      return parse(program.code, {
        ...ACORN,
        onComment: (_block, _text, start) => this.comment(program.toSource(start)),
      });
    } catch (error) {
      this.fail(
        program.toSource(errorPosition(error)),
        'syntax',
        `syntax error: ${syntaxMessage(error)}`,
      );
      return undefined;
    }
  }

  private statement(node: Statement, c: ExpressionContext, program: AssembledProgram): undefined {
    switch (node.type) {
      case 'EmptyStatement':
        return this.placeholder(node.start, program);
      case 'BlockStatement':
        for (const s of node.body) this.statement(s, c, program);
        return;
      case 'IfStatement':
        checkExpression(node.test, c);
        this.block(node.consequent, 'if', c, program);
        if (node.alternate?.type === 'IfStatement')
          return this.statement(node.alternate, c, program);
        if (node.alternate) this.block(node.alternate, 'else', c, program);
        return;
      case 'ForOfStatement':
        return this.forOf(node, c, program);
      default:
        return this.fail(
          c.toSource(node.start),
          node.type,
          `${describeNode(node.type)} is not allowed`,
        );
    }
  }

  private block(
    node: Statement,
    owner: string,
    c: ExpressionContext,
    program: AssembledProgram,
  ): undefined {
    if (node.type !== 'BlockStatement') {
      return this.fail(
        c.toSource(node.start),
        node.type,
        `the body of ${owner} must be a { … } block`,
      );
    }
    return this.statement(node, c, program);
  }

  private forOf(
    node: Extract<Statement, { type: 'ForOfStatement' }>,
    c: ExpressionContext,
    program: AssembledProgram,
  ): undefined {
    const left = node.left;
    const declarator = left.type === 'VariableDeclaration' ? left.declarations[0] : undefined;
    const id = declarator?.id;
    if (
      node.await ||
      left.type !== 'VariableDeclaration' ||
      left.kind === 'var' ||
      left.declarations.length !== 1 ||
      id?.type !== 'Identifier' ||
      declarator?.init
    ) {
      return this.fail(
        c.toSource(node.start),
        'ForOfStatement',
        'loops must read `for (const name of array) { … }`',
      );
    }
    if (!plainIdentifier(id, c)) return;
    if (!LOOP_VARIABLE_PATTERN.test(id.name) || RESERVED_NAMES.has(id.name) || c.inScope(id.name)) {
      return this.fail(
        c.toSource(id.start),
        'loop variable',
        `loop variable name "${id.name}" is reserved or already in use`,
      );
    }
    checkExpression(node.right, c);
    // Every loop iterates through the render budget: arrays only, iterations/output/time bounded.
    this.insertions.push({ at: c.toSource(node.right.start), text: '__loop(' });
    this.insertions.push({ at: c.toSource(node.right.end), text: ')' });
    this.scopes.push(new Set([id.name]));
    this.block(node.body, 'for…of', c, program);
    this.scopes.pop();
  }

  /** An empty statement: either written by the template, or the place of an output tag. */
  private placeholder(at: number, program: AssembledProgram): undefined {
    const output = program.outputs.get(at);
    if (!output) return;
    this.visited.add(at);
    const c = this.context(output.code, (pos) => output.start + pos);
    try {
      const expression = parseExpressionAt(output.code, 0, {
        ...ACORN,
        onComment: (_block, _text, start) => this.comment(output.start + start),
      });
      if (output.code.slice(expression.end).trim() !== '') {
        return this.fail(
          output.start + expression.end,
          'syntax',
          'an output tag holds exactly one expression',
        );
      }
      return checkExpression(expression, c);
    } catch (error) {
      return this.fail(
        output.start + errorPosition(error),
        'syntax',
        `syntax error: ${syntaxMessage(error)}`,
      );
    }
  }

  private comment(sourcePos: number): undefined {
    return this.fail(sourcePos, 'comment', 'comments are not allowed inside tags');
  }

  private fail(offset: number, construct: string, message: string): undefined {
    if (this.violations.length >= MAX_VIOLATIONS) return;
    const { line, column } = lineColumn(this.source, offset);
    if (
      this.violations.some((v) => v.line === line && v.column === column && v.message === message)
    )
      return;
    this.violations.push({ line, column, construct, message });
  }

  private error(): GatewayError {
    const first = this.violations[0]!;
    const more = this.violations.length > 1 ? ` (+${this.violations.length - 1} more)` : '';
    return new GatewayError(
      'TEMPLATE_INVALID',
      `${this.field}: line ${first.line}, column ${first.column}: ${first.message}${more}`,
      {
        fieldErrors: this.violations.map((v) => ({
          path: this.field,
          message: `line ${v.line}, column ${v.column}: ${v.construct}: ${v.message}`,
        })),
        details: { violations: this.violations.map((v) => ({ ...v, field: this.field })) },
      },
    );
  }

  private instrument(): string {
    const sorted = [...this.insertions].sort((a, b) => b.at - a.at);
    let out = this.source;
    for (const { at, text } of sorted) out = out.slice(0, at) + text + out.slice(at);
    return out;
  }
}

function errorPosition(error: unknown): number {
  return (error as { pos?: number }).pos ?? 0;
}

function syntaxMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\(\d+:\d+\)$/, '');
}
