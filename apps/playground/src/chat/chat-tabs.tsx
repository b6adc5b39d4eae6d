import { follow, PAGES, type PagePath } from '../router.js';

/** Chat, Compare and Embeddings: three views of talking to models, as tabs under one heading. */
export function ChatTabs({ current }: { current: PagePath }) {
  return (
    <nav className="tabs" aria-label="Chat views">
      {PAGES.filter((p) => p.section === '/chat').map((p) => (
        <a
          key={p.path}
          href={p.path}
          aria-current={p.path === current ? 'page' : undefined}
          onClick={(e) => follow(e, p.path)}
        >
          {p.label}
        </a>
      ))}
    </nav>
  );
}
