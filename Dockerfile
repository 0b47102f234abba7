# syntax=docker/dockerfile:1
# PlatformLens images, built from this repository without writing into it (docker compose builds
# them; nothing is bind-mounted for the build, so no root-owned dist/ or node_modules/ appear in
# your checkout and a Mac's own node_modules keep their native binaries).
#
#   target grafana: Grafana with the PlatformLens app (frontend + backend for the image's
#                   architecture) and the datasource, plugin and alerting provisioning
#   target cli:     the platformlens command (migrate, demo, demo --live, import, query, …)
#
# The RUN commands of the build stages are the ones CI runs on every change
# (internal/stack/stack_test.go checks they stay the same): `npm ci`, `npm run build`,
# `go run github.com/magefile/mage -v build:linux…` and `go build ./cmd/platformlens`.

ARG GRAFANA_VERSION=12.4.0

# --- frontend: webpack build of the app and the nested datasource into /src/dist -------------
FROM node:20-bookworm AS frontend
WORKDIR /src
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 CI=true
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY .config ./.config
COPY .cprc.json .prettierrc.js eslint.config.mjs tsconfig.json webpack.config.ts README.md CHANGELOG.md LICENSE ./
COPY dashboards ./dashboards
COPY src ./src
RUN npm run build

# --- backend: the datasource executable for the target architecture, and the CLI -------------
FROM golang:1.26 AS backend
ARG TARGETARCH
WORKDIR /src
ENV GOFLAGS=-buildvcs=false CGO_ENABLED=0
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
# package.json: the SDK's build stamps its version into the executable's build info.
COPY Magefile.go package.json ./
COPY src/plugin.json ./src/plugin.json
COPY src/datasource/plugin.json ./src/datasource/plugin.json
COPY internal ./internal
COPY pkg ./pkg
COPY cmd ./cmd
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    if [ "$TARGETARCH" = "arm64" ]; then target=build:linuxARM64; else target=build:linux; fi; \
    go run github.com/magefile/mage -v "$target"
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -tags arrow_json_stdlib -o /out/platformlens ./cmd/platformlens

# --- cli: the platformlens command --------------------------------------------------------------
FROM debian:bookworm-slim AS cli
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/*
COPY --from=backend /out/platformlens /usr/local/bin/platformlens
USER 65532:65532
WORKDIR /tmp
ENTRYPOINT ["platformlens"]
CMD ["help"]

# --- grafana: Grafana with the app installed and provisioned -----------------------------------
FROM grafana/grafana:${GRAFANA_VERSION} AS grafana
# Plugins live outside /var/lib/grafana, which compose keeps in a volume: a rebuilt image must not
# be shadowed by the plugin files an older image left in that volume.
ENV GF_PATHS_PLUGINS=/usr/share/grafana/platformlens-plugins
COPY --from=frontend /src/dist /usr/share/grafana/platformlens-plugins/platformlens-analytics-app
COPY --from=backend /src/dist/datasource/ /usr/share/grafana/platformlens-plugins/platformlens-analytics-app/datasource/
# Dashboards come with the app (src/plugin.json "includes"): no dashboard file provider here, so
# every uid exists once. The alert rules and contact points read their settings from the env.
COPY provisioning/datasources /etc/grafana/provisioning/datasources
COPY provisioning/plugins /etc/grafana/provisioning/plugins
COPY provisioning/alerting /etc/grafana/provisioning/alerting
