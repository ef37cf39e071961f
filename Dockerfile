# syntax=docker/dockerfile:1
# Multi-stage build of the `crm` binary: a Rust builder and a small non-root Debian runtime.
#   docker build -t crm .
#   docker run -p 8080:8080 -v crm-data:/data -e CRM_ADMIN_EMAIL=... -e CRM_ADMIN_PASSWORD=... crm
# PostgreSQL instead of the embedded SQLite file: -e DATABASE_URL=postgres://user:pass@host/crm

FROM rust:1.95-slim-bookworm AS builder
WORKDIR /src
COPY . .
# BuildKit cache mounts keep the registry and the target dir between builds; the binary is copied
# out of the cached target dir because the mount is gone in the next step.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin crm \
    && cp target/release/crm /usr/local/bin/crm

FROM debian:bookworm-slim
# ca-certificates: TLS to PostgreSQL and SMTP servers. Not version-pinned: Debian replaces the
# package in place on security updates, so a pinned version stops resolving.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 crm \
    && useradd --system --uid 10001 --gid crm --home-dir /data --no-create-home --shell /usr/sbin/nologin crm \
    && mkdir -p /data \
    && chown crm:crm /data
COPY --from=builder /usr/local/bin/crm /usr/local/bin/crm
# Settings are read from config/default.toml under the working directory; the file is read-only
# for the service user, which only writes the SQLite database and crm-secret.key beside it.
COPY config/default.toml /data/config/default.toml
WORKDIR /data
# Numeric so runtimes that check runAsNonRoot (Kubernetes) can verify it without /etc/passwd.
USER 10001:10001
ENV CRM__SERVER__HOST=0.0.0.0
EXPOSE 8080
# No HEALTHCHECK: the image has no HTTP client. Orchestrators should probe GET /health/live and
# GET /health/ready on port 8080 themselves.
ENTRYPOINT ["/usr/local/bin/crm"]
CMD ["serve"]
