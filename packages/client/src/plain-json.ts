/**
 * The gateway's tRPC transformer: the identity. The wire is plain JSON; declaring it (rather than
 * no transformer) keeps tRPC from typing outputs through its `Serialize` mapping, so callers see
 * the procedures' own types. Pass it to tRPC's own links when building a client by hand:
 * `httpLink({ url, transformer: plainJson })`.
 */
export const plainJson = {
  serialize: (value: unknown): unknown => value,
  deserialize: (value: unknown): unknown => value,
};
