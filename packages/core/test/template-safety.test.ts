import { afterAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../src/errors.js';
import { BUILT_IN_TEMPLATES } from '../src/templates/builtins/index.js';
import { TemplateEngine } from '../src/templates/runtime/engine.js';
import { TEMPLATE_ESCAPES } from './fixtures/template-escapes.js';

const engine = new TemplateEngine();
const g = globalThis as { __templateEscaped?: unknown };

function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

describe('known template escapes', () => {
  afterAll(() => {
    expect(g.__templateEscaped).toBeUndefined();
  });

  it('has a list worth testing', () => {
    expect(TEMPLATE_ESCAPES.length).toBeGreaterThan(80);
  });

  for (const known of TEMPLATE_ESCAPES.filter((e) => e.expect === 'rejected')) {
    it(`rejects: ${known.name}`, () => {
      const error = thrown(() => engine.check(known.template));
      expect(error.code).toBe('TEMPLATE_INVALID');
      expect(error.message).toMatch(/line \d+, column \d+/);
      expect(error.fieldErrors?.[0]?.path).toBe('template');
      // and it never reaches eta, even through render
      const again = thrown(() =>
        engine.render(`escape:${known.name}@1`, known.template, { items: [1], name: 'n' }),
      );
      expect(again.code).toBe('TEMPLATE_INVALID');
    });
  }

  for (const known of TEMPLATE_ESCAPES.filter((e) => e.expect === 'bounded')) {
    it(`bounds: ${known.name}`, () => {
      expect(() => engine.check(known.template)).not.toThrow();
      const error = thrown(() =>
        engine.render(`bounded:${known.name}@1`, known.template, known.data ?? {}),
      );
      expect(error.code).toBe('TEMPLATE_INVALID');
      expect(['iterations', 'output', 'time', 'loop']).toContain(error.details?.limit);
    });
  }
});

describe('render limits', () => {
  const loop = '<% for (const x of it.items) { %><%= x %><% } %>';

  it('stops at the wall-clock deadline (checked on every loop iteration)', () => {
    const expired = new TemplateEngine({
      maxIterations: 1000,
      maxOutputChars: 1000,
      timeoutMs: -1,
    });
    const error = thrown(() => expired.render('t@1', loop, { items: [1, 2] }));
    expect(error.details?.limit).toBe('time');
  });

  it('counts iterations across nested loops and renders right up to the caps', () => {
    const small = new TemplateEngine({ maxIterations: 6, maxOutputChars: 5, timeoutMs: 1000 });
    expect(small.render('a@1', loop, { items: [1, 2, 3, 4, 5] })).toBe('12345');
    expect(
      thrown(() => small.render('a@1', loop, { items: [1, 2, 3, 4, 5, 6, 7] })).details?.limit,
    ).toBe('iterations');
    expect(thrown(() => small.render('b@1', '<%= it.s %>', { s: '123456' })).details?.limit).toBe(
      'output',
    );
  });
});

describe('violations name line, column and construct', () => {
  it('points at the offending token in a multi-line template', () => {
    const template =
      'Hello <%= it.name %>\nsecond line\n  <% if (it.ok) { %>\n    <%= this.config %>\n  <% } %>';
    const error = thrown(() => engine.check(template));
    expect(error.message).toContain('line 4, column 9');
    expect(error.fieldErrors?.[0]?.message).toContain('ThisExpression');
    const violations = error.details?.violations as {
      line: number;
      column: number;
      construct: string;
    }[];
    expect(violations[0]).toMatchObject({ line: 4, column: 9, construct: 'ThisExpression' });
  });

  it('points inside exec tags too', () => {
    const error = thrown(() => engine.check('a\nb <% while (it.x) { %>c<% } %>'));
    expect(error.details?.violations).toEqual([
      expect.objectContaining({ line: 2, column: 6, construct: 'WhileStatement' }),
    ]);
  });

  it('lists every violation, not only the first', () => {
    const error = thrown(() => engine.check('<%= process %> and <%= this %> and <%= it["x"] %>'));
    expect(error.fieldErrors).toHaveLength(3);
    expect(error.message).toContain('(+2 more)');
  });

  it('names the field it checked', () => {
    const error = thrown(() => engine.check('<%= eval %>', 'systemPrompt'));
    expect(error.fieldErrors?.[0]?.path).toBe('systemPrompt');
    expect(error.message.startsWith('systemPrompt:')).toBe(true);
  });
});

describe('the allowed language', () => {
  const render = (template: string, data: Record<string, unknown>) =>
    engine.render(`ok:${template}@1`, template, data);

  it('reads variables, nested properties and array indexes', () => {
    expect(
      render('<%= it.user.name %>/<%= it.items[1] %>/<%= it.user?.missing?.x %>', {
        user: { name: 'Ada' },
        items: ['a', 'b'],
      }),
    ).toBe('Ada/b/');
  });

  it('evaluates literals, comparisons, boolean operators and ternaries', () => {
    const t =
      "<%= it.n > 2 && it.n !== 5 ? 'big' : 'small' %> <%= !it.flag || it.n <= 1 %> <%= it.missing ?? 'dflt' %> <%= -it.n + 1 %> <%= typeof it.n %>";
    expect(render(t, { n: 3, flag: true })).toBe('big false dflt -2 number');
  });

  it('runs if / else if / else blocks', () => {
    const t =
      '<% if (it.n === 1) { %>one<% } else if (it.n === 2) { %>two<% } else { %>many<% } %>';
    expect([1, 2, 3].map((n) => render(t, { n }))).toEqual(['one', 'two', 'many']);
  });

  it('loops over arrays, nested, with loop variables in scope', () => {
    const t =
      '<% for (const row of it.rows) { %>[<% for (const cell of row.cells) { %><%= cell %>;<% } %>]<% } %>';
    expect(render(t, { rows: [{ cells: [1, 2] }, { cells: [3] }] })).toBe('[1;2;][3;]');
  });

  it('provides pure helpers', () => {
    const t =
      "<%= join(it.tags, ' | ') %> <%= upper(it.s) %> <%= lower(it.s) %> <%= trim(it.pad) %> <%= json(it.o) %> <%= length(it.tags) %> <%= defaultTo(it.none, 'd') %> <%= json(it.o, 2) %>";
    expect(render(t, { tags: ['a', 'b'], s: 'MiXed', pad: '  p  ', o: { k: [1] } })).toBe(
      'a | b MIXED mixed p {"k":[1]} 2 d {\n  "k": [\n    1\n  ]\n}',
    );
  });

  it('prints objects as JSON and null/undefined as nothing', () => {
    expect(render('<%= it.o %>|<%= it.n %>|<%= it.u %>', { o: { a: 1 }, n: null })).toBe(
      '{"a":1}||',
    );
  });

  it('keeps text outside tags inert and verbatim (line endings become \\n, as eta does)', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text must look like code
    const text = 'it\'s ${process.exit()} \\ `x` "q" %> \n\n end';
    expect(render(`${text}<%= it.s %>`, { s: '!' })).toBe(`${text}!`);
  });

  it('does not HTML-escape (prompts are not HTML)', () => {
    expect(render('<%= it.s %>', { s: '<b>&"\'</b>' })).toBe('<b>&"\'</b>');
  });

  it('passes every built-in through the same checker', () => {
    for (const t of BUILT_IN_TEMPLATES.values()) {
      expect(() => engine.check(t.template)).not.toThrow();
      if (t.systemPrompt) expect(() => engine.check(t.systemPrompt!, 'systemPrompt')).not.toThrow();
    }
  });
});
