/**
 * The HTML of `/docs` (Swagger UI) and `/redoc` (ReDoc), and the small scripts that start them
 * (files of their own, so the pages need no inline script under their Content-Security-Policy).
 * Both read `/openapi.json`; nothing is loaded from outside the gateway.
 */

const TITLE = 'intelliCore LLM Gateway REST API';

function page(title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
${head}
</head>
<body>
${body}
</body>
</html>
`;
}

export const SWAGGER_PAGE = page(
  `${TITLE} · Swagger UI`,
  '<link rel="stylesheet" href="/docs/assets/swagger-ui.css">',
  `<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-init.js"></script>`,
);

export const REDOC_PAGE = page(
  `${TITLE} · ReDoc`,
  '<style>body { margin: 0; padding: 0; }</style>',
  `<div id="redoc"></div>
<script type="module" src="/docs/assets/redoc-init.js"></script>`,
);

/** validatorUrl null: Swagger UI would otherwise ask validator.swagger.io about the document. */
export const SWAGGER_INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  displayRequestDuration: true,
});
`;

/** Telemetry off: the docs page must not call anyone. */
export const REDOC_INIT = `import { init } from '/docs/assets/redoc.standalone.js';
init('/openapi.json', { disableTelemetry: true }, document.getElementById('redoc'));
`;

/** Pages run only the gateway's own scripts; the UIs inject styles, hence 'unsafe-inline'. */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');
