/**
 * The files the API docs pages load, by the name they are served under (`/docs/assets/<name>`),
 * and the npm package file each is copied from. The build copies them into `dist/docs-assets/`
 * (with the packages' licences), so the deployed gateway serves them without those packages
 * and without any CDN. Imports nothing: tsup.config.ts reads it too.
 */
export const DOCS_ASSET_FILES: Readonly<Record<string, readonly [pkg: string, file: string]>> = {
  'swagger-ui.css': ['swagger-ui-dist', 'swagger-ui.css'],
  'swagger-ui-bundle.js': ['swagger-ui-dist', 'swagger-ui-bundle.js'],
  'favicon-32x32.png': ['swagger-ui-dist', 'favicon-32x32.png'],
  'redoc.standalone.js': ['redoc', 'bundles/redoc.standalone.js'],
};

/** Copied beside them, not served: the licences the packages ask to keep with their files. */
export const DOCS_LICENSE_FILES: Readonly<Record<string, readonly [pkg: string, file: string]>> = {
  'swagger-ui-dist.LICENSE': ['swagger-ui-dist', 'LICENSE'],
  'swagger-ui-dist.NOTICE': ['swagger-ui-dist', 'NOTICE'],
  'redoc.LICENSE': ['redoc', 'LICENSE'],
};
