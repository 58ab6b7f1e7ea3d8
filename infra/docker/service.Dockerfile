# syntax=docker/dockerfile:1.7
#
# One Dockerfile for every deployable workspace package (the four services and the CLI).
#
#   docker build -f infra/docker/service.Dockerfile --build-arg PACKAGE=@tradewatch/ingest -t tradewatch-ingest .
#
# The build context is the repository root (see .dockerignore). Stages:
#   base       node + the pinned pnpm (root package.json "packageManager")
#   manifests  every package.json of the workspace, found by a script, so a new package needs no edit here
#   deps       pnpm fetch (lockfile only) + offline install: cached until the lockfile or a manifest changes
#   build      sources, `tsc -b` through project references for PACKAGE and its workspace deps, then
#              `pnpm deploy --prod --legacy` into /out: PACKAGE's `files` (dist, and data/ for the domain
#              package) + production node_modules with the workspace deps copied in (no symlinks out of /out)
#   runtime    a clean node image: /out as /app, non-root, no pnpm, no corepack, no npm

ARG NODE_IMAGE=node:22-alpine
ARG PNPM_VERSION=12.4.2

FROM ${NODE_IMAGE} AS base
ARG PNPM_VERSION
ENV CI=true
# pnpm 12 ships a native binary per platform (@pnpm/exe.linux-x64-musl on alpine) through an
# install script, so install it with npm rather than corepack.
RUN npm install --global --no-fund --no-audit "pnpm@${PNPM_VERSION}" \
 && pnpm --version | grep -qx "${PNPM_VERSION}"
WORKDIR /repo

FROM base AS manifests
COPY . /src
# Keep only the workspace's package.json files, at their paths.
RUN mkdir /manifests \
 && cd /src \
 && find . \( -name node_modules -o -name dist -o -name .git \) -prune -o -name package.json -type f -print \
    | tar -cf - -T - | tar -xf - -C /manifests

FROM base AS deps
# `pnpm fetch` needs only the lockfile: this layer is rebuilt only when the lockfile changes. The
# store stays in the (build-only) layer rather than a cache mount, so the `--offline` steps below
# never find it pruned while this layer is cached.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN pnpm fetch --store-dir /pnpm/store
COPY --from=manifests /manifests/ ./
RUN pnpm install --frozen-lockfile --offline --store-dir /pnpm/store

FROM deps AS build
# The workspace package to build and deploy, e.g. @tradewatch/ingest or @tradewatch/cli.
ARG PACKAGE
RUN test -n "${PACKAGE}" || { echo "build with --build-arg PACKAGE=@tradewatch/<name>" >&2; exit 1; }
COPY . .
# `--filter-prod PACKAGE...` = the package and the workspace packages it depends on through
# `dependencies` (not devDependencies: @tradewatch/db <-> @tradewatch/test-support is a dev cycle that
# `--filter` rejects with ERR_PNPM_TASK_CYCLE), in topological order; each runs its own `tsc -b`.
# One at a time, so two `tsc -b` never write the same referenced project at once.
RUN pnpm --filter-prod "${PACKAGE}..." --workspace-concurrency=1 run build
# --legacy: the non-legacy deploy re-checks the lockfile against registry metadata (not offline).
RUN pnpm --filter "${PACKAGE}" deploy --prod --legacy --offline --store-dir /pnpm/store /out \
 && test -f /out/dist/main.js

FROM ${NODE_IMAGE} AS runtime
# Nothing at run time installs packages: drop npm, npx, corepack and yarn from the image.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /opt/yarn* \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg
ENV NODE_ENV=production \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /out /app
USER node
# Compose overrides PORT per service and adds a healthcheck on /healthz; PID 1 is compose's `init: true`.
CMD ["node", "dist/main.js"]
