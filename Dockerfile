# The notes service ("notas-iv") image. Build it from the repository root:
#   docker build -t notas-iv .
# On a machine that cannot pull node:22-alpine, pass a local base image:
#   npm run base-image && docker build --build-arg NODE_IMAGE=berth-node-base:local -t notas-iv .

# The base image is an argument so that offline machines can use a locally made one.
# node:22-alpine is small (about 50 MB) and has everything the service needs.
ARG NODE_IMAGE=node:22-alpine

# ---- Stage 1: production dependencies only ----------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
# Copy only the dependency manifests first: this layer and the install below stay
# cached until package.json or the lockfile change, not on every source edit.
COPY service/package.json service/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- Stage 2: compile the TypeScript sources ------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Same trick: all dependencies (the compiler included) are installed before the sources arrive.
COPY service/package.json service/package-lock.json ./
RUN npm ci --no-audit --no-fund
# Now the sources; an edit here rebuilds only from this line on. The build only transpiles
# (esbuild, well under a second): type checking is the test suite's job (`npm test`), so a
# source edit costs the image as little as possible.
COPY service/tsconfig.json ./
COPY service/src ./src
RUN npm run build

# ---- Stage 3: the runtime image -------------------------------------------------------
FROM ${NODE_IMAGE}
LABEL org.opencontainers.image.title="notas-iv" \
      org.opencontainers.image.description="The notes service from the Berth tutorial"
ENV NODE_ENV=production \
    PORT=5000 \
    DATA_DIR=/data
WORKDIR /app
# Notes live in a volume owned by the unprivileged node user.
RUN mkdir -p /data && chown node:node /data
COPY --from=prod-deps /app/node_modules ./node_modules
COPY service/package.json ./
COPY --from=build /app/dist ./dist
# The port the service listens on by default; platforms such as Heroku and Azure set PORT.
EXPOSE $PORT
VOLUME /data
USER node
# The health check uses node itself, so no curl or wget is needed in the image.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD ["node", "dist/healthcheck.js"]
# Exec form: node is PID 1's child-free process and receives SIGTERM directly,
# so `docker stop` shuts the service down gracefully instead of waiting 10 s.
CMD ["node", "dist/server.js"]
