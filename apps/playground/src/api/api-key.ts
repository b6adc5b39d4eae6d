import { useCallback, useSyncExternalStore } from 'react';

/**
 * The API key lives in sessionStorage only: it survives a reload of this tab, never reaches
 * localStorage, cookies or the URL, and is gone when the tab closes.
 */
const STORAGE_KEY = 'intellicore.apiKey';
const listeners = new Set<() => void>();

function read(): string {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return ''; // storage disabled: the key lives for this page only
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useApiKey(): [string, (key: string) => void] {
  const key = useSyncExternalStore(subscribe, read, () => '');
  const setKey = useCallback((next: string) => {
    try {
      if (next) sessionStorage.setItem(STORAGE_KEY, next);
      else sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // ignore: see read()
    }
    for (const listener of listeners) listener();
  }, []);
  return [key, setKey];
}
