import { memo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import { CodeBlock } from './code-block.js';
import { gfmParse } from './gfm.js';
import { highlightCode } from './highlight-code.js';

/**
 * Model answers as markdown, safely. react-markdown builds React elements (no innerHTML
 * anywhere): raw HTML in the text is shown as text, and URLs other than http(s), mailto, irc
 * and xmpp are emptied (its defaultUrlTransform), so `javascript:` links do nothing. Links open
 * in a new tab without access to this page (noopener noreferrer). Images are not loaded: an
 * answer could otherwise send the conversation to any server in an image URL; they are shown
 * as links the reader may follow.
 */
const components: Components = {
  a: ({ href, children }) =>
    href ? (
      <a href={href} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    ) : (
      <span className="dead-link">{children}</span>
    ),
  img: ({ src, alt }) =>
    typeof src === 'string' && src ? (
      <a href={src} target="_blank" rel="noopener noreferrer" className="image-link">
        image: {alt || src}
      </a>
    ) : (
      <span>image: {alt}</span>
    ),
  pre: CodeBlock,
  table: ({ children }) => (
    <div className="table-scroll">
      <table>{children}</table>
    </div>
  ),
};

const rehypePlugins = [highlightCode];
const remarkPlugins = [gfmParse];

function MarkdownView({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown
        remarkPlugins={remarkPlugins}
        rehypePlugins={rehypePlugins}
        components={components}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}

/** Re-renders only when the text changes (earlier turns stay put while one streams). */
export const Markdown = memo(MarkdownView);
export default Markdown;
