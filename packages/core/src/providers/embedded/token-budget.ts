/**
 * num_predict counted by us. node-llama-cpp checks maxTokens only after a token whose text is
 * complete: when the last allowed token ends inside a UTF-8 sequence, the engine samples one
 * more before it stops (measured: 17 of 40 seeds at num_predict 2 on the demo model). So the
 * text of the chunks the engine hands over passes only for the tokens within the budget, and
 * the engine is stopped (without an error) as soon as the budget is spent.
 */
import type { LlamaModel, Token } from 'node-llama-cpp';

/** Tokens kept as context for detokenizing a cut chunk (leading-space rules of tokenizers). */
const CONTEXT_TOKENS = 16;

export class TokenBudget {
  /** Tokens handed over within the budget. */
  used = 0;
  private recent: Token[] = [];
  private readonly stopper = new AbortController();

  /**
   * @param max tokens allowed (undefined: no limit)
   * @param callerSignal the run's own signal: its abort stops the engine too
   */
  constructor(
    private readonly model: LlamaModel,
    readonly max: number | undefined,
    callerSignal: AbortSignal,
  ) {
    if (callerSignal.aborted) this.stopper.abort();
    else callerSignal.addEventListener('abort', () => this.stopper.abort(), { once: true });
  }

  /** For the engine (with `stopOnAbortSignal`): aborted by the caller or once the budget is spent. */
  get signal(): AbortSignal {
    return this.stopper.signal;
  }

  get spent(): boolean {
    return this.max !== undefined && this.used >= this.max;
  }

  /** The text of a chunk of tokens, cut to the tokens still within the budget ('' past it). */
  take(tokens: readonly Token[], text: string): string {
    const left = this.max === undefined ? tokens.length : this.max - this.used;
    if (left <= 0) return '';
    const taken = tokens.length <= left ? tokens : tokens.slice(0, left);
    const result = taken === tokens ? text : this.model.detokenize(taken, false, this.recent);
    this.used += taken.length;
    this.recent = [...this.recent, ...taken].slice(-CONTEXT_TOKENS);
    if (this.spent) this.stopper.abort();
    return result;
  }
}
