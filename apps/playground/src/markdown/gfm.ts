import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';

/**
 * GitHub-flavoured markdown (tables, task lists, strikethrough, autolinks, footnotes) for
 * parsing only: what remark-gfm does minus its markdown serializer, which a renderer never
 * uses and which would add ~10 kB gzipped.
 */
export function gfmParse(this: { data(): unknown }) {
  const data = this.data() as {
    micromarkExtensions?: unknown[];
    fromMarkdownExtensions?: unknown[];
  };
  data.micromarkExtensions = [...(data.micromarkExtensions ?? []), gfm()];
  data.fromMarkdownExtensions = [...(data.fromMarkdownExtensions ?? []), gfmFromMarkdown()];
}
