import { lazy, Suspense } from 'react';
import { useApiKey } from './api/api-key.js';
import { ApiProvider } from './api/api-provider.js';
import { useAuthRequired } from './api/auth-required.js';
import { ChatPage } from './chat/chat-page.js';
import { ComparePage } from './compare/compare-page.js';
import { EmbeddingsPage } from './embeddings/embeddings-page.js';
import { KeysPage } from './keys/keys-page.js';
import { ModelsPage } from './models/models-page.js';
import { ReferencePage } from './reference/reference-page.js';
import { RequestsPage } from './requests/requests-page.js';
import { follow, type PagePath, SECTIONS, sectionOf, useCurrentPage } from './router.js';
import { ApiKeyForm } from './ui/api-key-form.js';
import { UsagePage } from './usage/usage-page.js';

// The template editor brings the template engine (eta, acorn, zod): loaded with its page only.
const TemplatesPage = lazy(() =>
  import('./templates/templates-page.js').then((m) => ({ default: m.TemplatesPage })),
);

const VIEWS: Record<PagePath, React.ComponentType> = {
  '/chat': ChatPage,
  '/compare': ComparePage,
  '/embeddings': EmbeddingsPage,
  '/templates': TemplatesPage,
  '/models': ModelsPage,
  '/usage': UsagePage,
  '/keys': KeysPage,
  '/requests': RequestsPage,
  '/reference': ReferencePage,
};

export function App() {
  const [apiKey, setApiKey] = useApiKey();
  const authRequired = useAuthRequired();
  const page = useCurrentPage();
  const section = sectionOf(page);
  const View = VIEWS[page];
  return (
    <ApiProvider apiKey={apiKey}>
      <header className="top">
        <span className="brand">intelliCore LLM Gateway</span>
        <nav aria-label="Pages">
          {SECTIONS.map((p) => (
            <a
              key={p.path}
              href={p.path}
              aria-current={p.section === section ? 'page' : undefined}
              onClick={(e) => follow(e, p.path)}
            >
              {p.label}
            </a>
          ))}
        </nav>
        <ApiKeyForm apiKey={apiKey} onChange={setApiKey} />
      </header>
      <main>
        {authRequired === undefined ? (
          <p>Loading…</p>
        ) : authRequired && !apiKey && page !== '/reference' ? (
          <p className="notice" role="status">
            This gateway needs an API key: enter yours at the top of the page.
          </p>
        ) : (
          <Suspense fallback={<p>Loading…</p>}>
            <View />
          </Suspense>
        )}
      </main>
    </ApiProvider>
  );
}
