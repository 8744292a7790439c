# sidecar-lifecycle image: the single-file bundle on Node 22 (the supported floor), with tini.
# Most teams do not run this image itself: they copy the bundle into their own Node app image:
#   COPY --from=<registry>/sidecar-lifecycle:<version> /usr/local/bin/sidecar-lifecycle /usr/local/bin/sidecar-lifecycle
# It runs as-is for `fake-envoy`, `wait`, `quit`, `plan` and `wait-for-app-exit` (with Node).

FROM node:22-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY test ./test
RUN npm run build

FROM node:22-bookworm-slim
# tini as PID 1 reaps orphaned grandchildren, which a Node PID 1 cannot do.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/dist/sidecar-lifecycle.mjs /usr/local/bin/sidecar-lifecycle
USER node
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/sidecar-lifecycle"]
CMD ["--help"]
