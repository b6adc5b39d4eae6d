import { type MouseEvent, useSyncExternalStore } from 'react';

/** A tiny History-API router: the gateway answers every page path with index.html. */
export const PAGES = [
  { path: '/chat', label: 'Chat', section: '/chat' },
  { path: '/compare', label: 'Compare', section: '/chat' },
  { path: '/embeddings', label: 'Embeddings', section: '/chat' },
  { path: '/templates', label: 'Templates', section: '/templates' },
  { path: '/models', label: 'Models', section: '/models' },
  { path: '/usage', label: 'Usage', section: '/usage' },
  { path: '/keys', label: 'Keys', section: '/keys' },
  { path: '/requests', label: 'Requests', section: '/requests' },
  { path: '/reference', label: 'API reference', section: '/reference' },
] as const;

export type PagePath = (typeof PAGES)[number]['path'];

/** The top navigation: one entry per section (Chat holds Chat, Compare and Embeddings). */
export const SECTIONS = PAGES.filter((p) => p.path === p.section);

export const sectionOf = (path: PagePath) => PAGES.find((p) => p.path === path)?.section;

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function navigate(path: string): void {
  if (path === window.location.pathname) return;
  window.history.pushState(null, '', path);
  for (const listener of listeners) listener();
}

/** A link click handled in the page (modified clicks keep the browser's behaviour). */
export function follow(event: MouseEvent<HTMLAnchorElement>, path: string): void {
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(path);
}

/** The current page; unknown paths (and `/`) show the chat. */
export function useCurrentPage(): PagePath {
  const path = useSyncExternalStore(subscribe, () => window.location.pathname);
  return PAGES.find((p) => p.path === path)?.path ?? '/chat';
}
