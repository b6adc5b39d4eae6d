import type { ChatSettings, Exchange } from './conversation.js';
import { DEFAULT_SETTINGS } from './conversation.js';

/**
 * The conversation and its settings survive a reload in localStorage (this browser, this
 * origin). The API key never goes there (sessionStorage only). At most MAX_EXCHANGES are kept.
 */
export const STORAGE_KEY = 'intellicore.chat.v1';
const MAX_EXCHANGES = 200;

export interface StoredChat {
  settings: ChatSettings;
  exchanges: Exchange[];
}

const isExchange = (e: unknown): e is Exchange => {
  const x = e as Exchange | null;
  return (
    typeof x?.id === 'string' &&
    typeof x.question === 'string' &&
    typeof x.answer?.content === 'string' &&
    typeof x.answer.status === 'string'
  );
};

/** What was stored, or a fresh chat when nothing (or nothing readable) was. */
export function parseStoredChat(text: string | null): StoredChat {
  try {
    const raw = JSON.parse(text ?? 'null') as Partial<StoredChat> | null;
    const exchanges = (Array.isArray(raw?.exchanges) ? raw.exchanges : [])
      .filter(isExchange)
      // A page closed mid-answer: that answer was cut off.
      .map((e) =>
        e.answer.status === 'streaming' ? { ...e, answer: { ...e.answer, status: 'stopped' } } : e,
      ) as Exchange[];
    return { settings: { ...DEFAULT_SETTINGS, ...(raw?.settings ?? {}) }, exchanges };
  } catch {
    return { settings: DEFAULT_SETTINGS, exchanges: [] };
  }
}

export function loadChat(): StoredChat {
  try {
    return parseStoredChat(localStorage.getItem(STORAGE_KEY));
  } catch {
    return parseStoredChat(null); // storage disabled
  }
}

export function saveChat(chat: StoredChat): void {
  try {
    const exchanges = chat.exchanges.slice(-MAX_EXCHANGES);
    if (exchanges.length === 0 && chat.settings === DEFAULT_SETTINGS) {
      localStorage.removeItem(STORAGE_KEY);
    } else {
      localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...chat, exchanges }));
    }
  } catch {
    // Full or disabled storage: the conversation lives on in this page.
  }
}
