# Fleetward's container image. Two stages: the build (dev dependencies, the AssemblyScript runtime, tsc) and the
# runtime (a production install only: `npm ci --omit=dev`, as test/app/production-install.test.ts does in CI, where
# no container engine runs). The runtime stage copies exactly what that test's install holds
# (test/deploy/dockerfile.test.ts keeps the two lists equal).
#
#   docker build -t fleetward .
#   docker run --read-only --tmpfs /tmp -p 3000:3000 --env-file .env fleetward
#
# Runs as the unprivileged `node` user (uid 1000), writes nothing to disk at run time (so --read-only works; give
# it a /tmp for Node's own temporary files), and has no
# HEALTHCHECK: Kubernetes probes /healthz and /readyz (deploy/kubernetes). `node` is PID 1 and handles SIGTERM itself:
# it stops accepting, lets in-flight deliveries finish, then exits (docs/deployment.md).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY bin ./bin
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/build/runtime.wasm ./build/runtime.wasm
COPY policies ./policies
COPY data ./data
COPY bin ./bin
COPY app.yml ./app.yml
USER node
EXPOSE 3000
CMD ["node", "dist/src/app/server.js"]
