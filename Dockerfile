# syntax=docker/dockerfile:1

# Build stage: the same `npm ci` and `npm run build` that CI runs. better-sqlite3 compiles its
# native module from source when no prebuilt binary can be downloaded, hence python3, make and g++.
FROM node:20-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY routes ./routes
# Also bundles the softphone (src/client/phone) into dist/public with esbuild.
RUN npm run build && npm prune --omit=dev

# Runtime stage: production dependencies and the compiled server only, as an unprivileged user.
FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_PATH=/data/switchboard.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Twilio's API spec (the part the sandbox serves), read at run time from the package root.
COPY --from=build /app/src/sandbox/twilio-api-v2010.json ./src/sandbox/
# The CLI: docker exec <container> node bin/switchboard check-config
COPY bin ./bin
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node is PID 1 here and handles SIGTERM itself (graceful shutdown in src/server.ts). The heap
# flags are those of `npm start`: they keep the server under ~100 MB under load (see README).
CMD ["node", "--max-old-space-size=128", "--max-semi-space-size=4", "dist/src/server.js"]
