import { type ComponentProps, isValidElement, useRef, useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

/** The language of a fenced block, from the `language-*` class of its <code>. */
function languageOf(children: unknown): string | undefined {
  if (!isValidElement<{ className?: string }>(children)) return undefined;
  return /(?:^|\s)language-([\w+#-]+)/.exec(children.props.className ?? '')?.[1];
}

/** Copies with the Clipboard API; falls back to a selection + execCommand (plain http pages). */
async function copyText(text: string, pre: HTMLElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const selection = window.getSelection();
    const range = document.createRange();
    range.selectNodeContents(pre);
    selection?.removeAllRanges();
    selection?.addRange(range);
    const ok = document.execCommand('copy');
    selection?.removeAllRanges();
    return ok;
  }
}

/** A fenced code block: its language, a Copy button, and the (highlighted) code. */
export function CodeBlock({ children }: ComponentProps<'pre'> & { node?: unknown }) {
  const pre = useRef<HTMLPreElement>(null);
  const [state, setState] = useState<CopyState>('idle');
  const language = languageOf(children);
  const copy = async () => {
    if (!pre.current) return;
    const ok = await copyText(pre.current.textContent ?? '', pre.current);
    setState(ok ? 'copied' : 'failed');
    window.setTimeout(() => setState('idle'), 2000);
  };
  return (
    <div className="code-block">
      <div className="code-head">
        <span className="code-lang">{language ?? 'text'}</span>
        <button type="button" className="small" onClick={copy} aria-label="Copy code">
          {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
        </button>
      </div>
      <pre ref={pre}>{children}</pre>
    </div>
  );
}
