import { useSyncExternalStore } from 'react';

/** A tiny History-API router: the gateway answers every page path with index.html. */
export const PAGES = [
  { path: '/chat', label: 'Chat' },
  { path: '/templates', label: 'Templates' },
  { path: '/models', label: 'Models' },
  { path: '/usage', label: 'Usage' },
  { path: '/reference', label: 'API reference' },
] as const;

export type PagePath = (typeof PAGES)[number]['path'];

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

/** The current page; unknown paths (and `/`) show the chat. */
export function useCurrentPage(): PagePath {
  const path = useSyncExternalStore(subscribe, () => window.location.pathname);
  return PAGES.find((p) => p.path === path)?.path ?? '/chat';
}
