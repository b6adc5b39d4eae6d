import { lazy, memo, Suspense } from 'react';

// The markdown parser and highlighter load with the first answer, not with the page.
const Markdown = lazy(() => import('./markdown.js'));

/** An answer rendered as markdown; plain text until the renderer has loaded. */
export const AnswerText = memo(function AnswerText({ text }: { text: string }) {
  return (
    <Suspense fallback={<div className="markdown plain">{text}</div>}>
      <Markdown text={text} />
    </Suspense>
  );
});
