import type { Options } from 'tsup';

type TsupPlugin = NonNullable<Options['plugins']>[number];

// Escapes what charset 'ascii' leaves: esbuild keeps doc comments on object and class members
// verbatim, and one `…` there is enough.
const escapeComments: TsupPlugin = {
  name: 'one-byte-source',
  renderChunk(code) {
    if (!/[\u0100-\uffff]/.test(code)) return;
    return {
      code: code.replace(
        /[\u0100-\uffff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      ),
    };
  },
};

/**
 * Bundles whose source V8 can keep as a one-byte string. Node keeps every module's source for the
 * process's life (Function.prototype.toString); a single character above U+00FF makes the whole
 * bundle a two-byte string, twice its size (~0.5 MB of the idle gateway for core and gateway).
 * esbuild escapes strings, templates and regexes itself; the plugin escapes the comments it keeps.
 */
export const oneByteSource: Pick<Options, 'esbuildOptions' | 'plugins'> = {
  esbuildOptions(options) {
    options.charset = 'ascii';
  },
  plugins: [escapeComments],
};
