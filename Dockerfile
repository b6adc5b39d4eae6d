# syntax=docker/dockerfile:1.7
# Multi-stage image for @intellicore/llm-gateway.
#   build   : installs the whole workspace from the lockfile, builds the gateway and its workspace deps,
#             then `pnpm deploy` copies the gateway with only its production dependencies to /out.
#   runtime : node + /out, running as the unprivileged `node` user.
# Build from the repository root: `docker build -t intellicore/llm-gateway .`

ARG NODE_IMAGE=node:20-bookworm-slim
ARG PNPM_VERSION=10.34.8

FROM ${NODE_IMAGE} AS build
ARG PNPM_VERSION
ENV CI=true
# Native addons (better-sqlite3) fall back to a source build when no prebuilt binary matches.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ca-certificates python3 make g++ \
  && rm -rf /var/lib/apt/lists/* \
  && npm install -g "pnpm@${PNPM_VERSION}"
WORKDIR /repo
# Dependencies first, keyed on the lockfile only, so source edits do not refetch packages.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile --offline
RUN pnpm exec turbo run build --filter=@intellicore/llm-gateway... --filter=@intellicore/playground
# pnpm 10 deploys non-injected workspaces only with --legacy; workspace deps are copied by their
# "files" (dist), devDependencies (testkit, test clients) are left out.
RUN pnpm --filter @intellicore/llm-gateway --prod deploy --legacy /out

FROM ${NODE_IMAGE} AS runtime
# Writable state lives in /data (a volume): the default SQLite store and the embedded engine's
# GGUF files. The app itself (/app) stays read-only for the runtime user.
ENV NODE_ENV=production \
  PORT=8001 \
  HOST=0.0.0.0 \
  DATABASE_URL=/data/gateway.db \
  MODELS_DIR=/data/models \
  PLAYGROUND_DIR=/app/playground
WORKDIR /app
COPY --from=build /out ./
# The web UI (static files) the gateway serves at `/`.
COPY --from=build /repo/apps/playground/dist ./playground
RUN mkdir -p /data/models && chown -R node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8001
# Liveness only (/healthz): readiness (/readyz) depends on upstreams and is for load balancers.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8001) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM starts the gateway's graceful shutdown; give streams time to finish before SIGKILL.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
