# syntax=docker/dockerfile:1
# imgslim in a container: reads image files mounted into /work, needs no Docker daemon.
#
#   docker build -t imgslim .
#   docker run --rm -v "$PWD:/work" imgslim check /work/image.tar --policy /work/imgslim.policy.yaml
#   docker run --rm -v "$PWD:/work" imgslim check /work/image.tar --format sarif > imgslim.sarif
#
# Every RUN step is a command CI or the tests already run (.ci/run; test/cli/check-dockerfile.test.ts
# runs the same npm commands in a copy of the build context and the result as a non-root user).
# Pin NODE_IMAGE by digest in your own builds: --build-arg NODE_IMAGE=node:20-bookworm-slim@sha256:…

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# zstd-napi builds its native addon at install when no prebuilt binary can be downloaded;
# imgslim's own (native/isal-inflate.c, gzip through ISA-L) needs libisal-dev.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ libisal-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/imgslim
# .dockerignore lets in only these: the lockfile-pinned manifest, the compiler settings, the sources
# and the bundler's script.
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY native/isal-inflate.c native/build-addon.mjs ./native/
COPY scripts/bundle.mjs ./scripts/
# As .ci/run: install exactly the lockfile (compiling zstd-napi), `install` builds the ISA-L
# addon, and `prepare` builds dist/ and its bundle (dist/bundle/, what bin/imgslim.js runs).
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
# Production dependencies only, keeping the addon compiled above.
RUN npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
# ISA-L's shared library, for the gzip addon.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libisal2 \
 && rm -rf /var/lib/apt/lists/*
# glibc malloc tuned (under 10 % less peak RSS, measured in docs/benchmarks.md; see docs/decisions.md, Memory).
ENV NODE_ENV=production MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /opt/imgslim
# Root-owned and read-only to the user that runs it.
COPY --from=build /opt/imgslim/package.json ./
COPY --from=build /opt/imgslim/bin ./bin
COPY --from=build /opt/imgslim/dist ./dist
COPY --from=build /opt/imgslim/node_modules ./node_modules
COPY --from=build /opt/imgslim/native/build/addon ./native/build/addon
# The node image's unprivileged user (uid 1000). Outputs: redirect stdout, or run with
# --user "$(id -u):$(id -g)" to write files into the mounted directory.
USER node
WORKDIR /work
ENTRYPOINT ["node", "/opt/imgslim/bin/imgslim.js"]
CMD ["--help"]
