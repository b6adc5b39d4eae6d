/** Bounds of one render: loop iterations, output characters, wall time. */
export interface RenderLimits {
  maxIterations: number;
  maxOutputChars: number;
  timeoutMs: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = {
  maxIterations: 10_000,
  maxOutputChars: 256 * 1024,
  timeoutMs: 250,
};

export type RenderLimitKind = 'iterations' | 'output' | 'time' | 'loop';

/** Thrown inside a render when a bound is hit; the renderer turns it into TEMPLATE_INVALID. */
export class RenderLimitError extends Error {
  constructor(
    readonly limit: RenderLimitKind,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Per-render accounting. Every `for…of` of a checked template iterates through `loop`, so
 * nested loops cannot multiply beyond the iteration cap, and output and time are checked on
 * every iteration (straight-line code is linear in its input, so it is checked once at the end).
 */
export class RenderBudget {
  private iterations = 0;
  private readonly deadline: number;

  constructor(readonly limits: RenderLimits) {
    this.deadline = Date.now() + limits.timeoutMs;
  }

  *loop(value: unknown, outputLength: () => number): Generator<unknown> {
    if (!Array.isArray(value)) {
      throw new RenderLimitError('loop', `for…of needs an array, got ${describeValue(value)}`);
    }
    for (let i = 0; i < value.length; i++) {
      this.tick(outputLength());
      yield value[i];
    }
  }

  tick(outputLength: number): void {
    this.iterations++;
    if (this.iterations > this.limits.maxIterations) {
      throw new RenderLimitError(
        'iterations',
        `more than ${this.limits.maxIterations} loop iterations`,
      );
    }
    this.checkOutput(outputLength);
    if (Date.now() > this.deadline) {
      throw new RenderLimitError('time', `rendering took longer than ${this.limits.timeoutMs} ms`);
    }
  }

  checkOutput(length: number): void {
    if (length > this.limits.maxOutputChars) {
      throw new RenderLimitError(
        'output',
        `output longer than ${this.limits.maxOutputChars} characters`,
      );
    }
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
