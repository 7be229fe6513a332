# Clio's image: build in one stage, run from a small distroless one as a non-root user.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# Dependencies first, in a layer of their own: a change to src/ rebuilds only Clio, not every crate.
COPY Cargo.toml Cargo.lock build.rs ./
# The order in which to lay out the code a connected bot runs (see build.rs).
COPY link ./link
RUN mkdir -p src benches \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs \
    && echo 'fn main() {}' > benches/lookup.rs \
    && cargo build --release --locked --bin clio \
    && rm -rf src benches
COPY src ./src
COPY benches ./benches
RUN touch src/main.rs src/lib.rs && cargo build --release --locked --bin clio \
    && mkdir /src/empty

# glibc and nothing else: no shell, no package manager, no curl (the health check is the binary itself).
FROM gcr.io/distroless/cc-debian12:nonroot
WORKDIR /app
COPY --from=build /src/target/release/clio /app/clio
# The data directory, owned by the image's user: a new named volume copies this ownership, so the
# bot can create its database there. (The runtime has no shell to mkdir/chown, hence the copy.)
# A bind-mounted host folder keeps its own owner: `chown 65532:65532` it on the host.
COPY --from=build --chown=65532:65532 /src/empty /data
# The shipped pack and configuration; mount over either to use your own.
COPY knowledge /app/knowledge
COPY config /app/config
ENV CLIO_KNOWLEDGE_DIR=/app/knowledge \
    CLIO_CONFIG=/app/config/clio.toml \
    CLIO_DATA_DIR=/data \
    CLIO_OPS__LISTEN=0.0.0.0:9090
VOLUME ["/data"]
EXPOSE 9090
# distroless "nonroot": a fixed numeric id, so volume permissions can be set on the host.
USER 65532:65532
# Ready, not only alive: the container turns unhealthy when the bot has lost Discord's gateway (or
# has no knowledge loaded), not only when the process hangs.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/app/clio", "healthcheck", "--ready"]
ENTRYPOINT ["/app/clio"]
CMD ["run"]
