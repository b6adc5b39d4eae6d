/**
 * What `pull` accepts on the embedded engine: an http(s) URL of a .gguf file, or a Hugging Face
 * reference `hf:<owner>/<repo>[@<revision>]/<path/to/file.gguf>` (→ the repo's `resolve` URL).
 * A fragment can carry `sha256=<hex>` (checked after download) and `name=<model name>`.
 */
import { badRequest } from '../../errors.js';
import { canonicalModelName, GGUF_EXTENSION } from './model-names.js';

export interface PullRef {
  url: string;
  /** File name inside MODELS_DIR. */
  fileName: string;
  /** Model name the file will be served as. */
  modelName: string;
  /** Expected lowercase hex sha256, when the ref carried one. */
  sha256?: string;
}

const FIELD = 'name';
const SAFE_STEM = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

function invalid(message: string): never {
  throw badRequest([{ path: FIELD, message }]);
}

function huggingFaceUrl(spec: string): string {
  const match = /^([^/@\s]+)\/([^/@\s]+)(?:@([^/\s]+))?\/(.+)$/.exec(spec);
  if (!match) invalid('hf: references look like hf:<owner>/<repo>[@<revision>]/<file>.gguf');
  const [, owner, repo, revision, path] = match;
  const encodedPath = (path ?? '').split('/').map(encodeURIComponent).join('/');
  return `https://huggingface.co/${owner}/${repo}/resolve/${encodeURIComponent(revision ?? 'main')}/${encodedPath}`;
}

export function parsePullRef(ref: string): PullRef {
  const text = ref.trim();
  const hashAt = text.indexOf('#');
  const base = hashAt >= 0 ? text.slice(0, hashAt) : text;
  const fragment = new URLSearchParams(hashAt >= 0 ? text.slice(hashAt + 1) : '');

  let url: URL;
  if (/^hf:/i.test(base)) {
    url = new URL(huggingFaceUrl(base.slice(3)));
  } else if (/^https?:\/\//i.test(base)) {
    try {
      url = new URL(base);
    } catch {
      invalid('is not a valid URL');
    }
  } else {
    invalid(
      'the embedded engine pulls GGUF files by http(s) URL or hf:<owner>/<repo>/<file>.gguf, not registry names',
    );
  }

  const lastSegment = decodeURIComponent(url.pathname.split('/').at(-1) ?? '');
  if (!lastSegment.toLowerCase().endsWith(GGUF_EXTENSION)) invalid('must point at a .gguf file');
  const nameParam = fragment.get('name');
  const stem = nameParam ?? lastSegment.slice(0, -GGUF_EXTENSION.length);
  if (!SAFE_STEM.test(stem) || stem.includes('..')) {
    invalid(`"${stem}" is not a usable model name (letters, digits, . _ : -)`);
  }
  const pull: PullRef = {
    url: url.toString(),
    fileName: `${stem.replace(/:latest$/i, '')}${GGUF_EXTENSION}`,
    modelName: canonicalModelName(stem),
  };
  const sha256 = fragment.get('sha256');
  if (sha256 !== null) {
    if (!/^[0-9a-f]{64}$/i.test(sha256)) invalid('sha256 must be 64 hex digits');
    pull.sha256 = sha256.toLowerCase();
  }
  return pull;
}
