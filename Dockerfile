# syntax=docker/dockerfile:1
# The Signalbox gateway image: the package's compiled dist/ on Node 24 LTS (Debian slim), its
# production dependencies only, running as an unprivileged user under tini. Build from the
# repository root: `docker build -t signalbox .` (deploy/compose.yaml does). docs/deploy.md.
ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: compile src/ to dist/ exactly as `npm pack` does --------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `node` devDependency's install script would download a second Node; the
# image already is Node 24, so the build runs with the image's node rather than through npm.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN node scripts/build-dist.ts

# --- runtime -------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# tini as PID 1 forwards SIGTERM/SIGINT to Node and reaps zombies; Node then shuts down cleanly
# (readiness off, in-flight requests finished, ledger flushed) instead of being killed at the
# end of the grace period.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin/signalbox.js ./bin/signalbox.js
# The ledger journal (and PGlite, when no SIGNALBOX_DATABASE_URL is given) live in /data.
RUN mkdir /data && chown 1000:1000 /data
# The base image's `node` user, by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
ENV HOST=0.0.0.0 \
    PORT=8787 \
    SIGNALBOX_DATA_DIR=/data
EXPOSE 8787
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8787) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
# --max-semi-space-size=16: V8's young generation capped at 2 × 16 MB instead of the 2 × 64 MB
# it grows to on a large host; about 100 MB less RSS under load for no measurable CPU
# (docs/performance.md "Memory and start-up").
CMD ["node", "--max-semi-space-size=16", "bin/signalbox.js", "serve"]
