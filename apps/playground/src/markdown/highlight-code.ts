import type { Element, ElementContent, Root, RootContent } from 'hast';
import { createLowlight } from 'lowlight';
import { ALIASES, LANGUAGES } from './languages.js';

const lowlight = createLowlight(LANGUAGES);
lowlight.registerAlias(ALIASES);

/** `language-ts` on a fence's <code> → `ts`. */
function languageOf(code: Element): string | undefined {
  const classes = code.properties.className;
  const list = Array.isArray(classes) ? classes : [];
  for (const c of list) {
    const match = /^language-(.+)$/.exec(String(c));
    if (match) return match[1];
  }
  return undefined;
}

const textOf = (nodes: ElementContent[]): string =>
  nodes
    .map((n) => (n.type === 'text' ? n.value : n.type === 'element' ? textOf(n.children) : ''))
    .join('');

function visit(node: Root | RootContent, parent: Element | undefined): void {
  if (node.type !== 'root' && node.type !== 'element') return;
  if (node.type === 'element' && node.tagName === 'code' && parent?.tagName === 'pre') {
    const language = languageOf(node);
    if (!language || !lowlight.registered(language)) return; // shown as plain text
    const tree = lowlight.highlight(language, textOf(node.children));
    node.children = tree.children as ElementContent[];
    node.properties.className = ['hljs', `language-${language}`];
    return;
  }
  for (const child of node.children) visit(child, node.type === 'element' ? node : undefined);
}

/**
 * A rehype plugin: fenced code in one of LANGUAGES is highlighted with lowlight (highlight.js
 * grammars as hast, so React renders the spans: no HTML strings). No language guessing. Written
 * here rather than taken from rehype-highlight, whose default import of lowlight's 37 common
 * grammars cannot be tree-shaken (~70 kB gzipped).
 */
export function highlightCode() {
  return (tree: Root) => visit(tree, undefined);
}
