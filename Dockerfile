# A small image running veilgate as a non-root user.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY patterns ./patterns
COPY benches ./benches
RUN cargo build --release --locked --bin veilgate

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin veilgate
COPY --from=build /src/target/release/veilgate /usr/local/bin/veilgate
COPY patterns /etc/veilgate/patterns
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/veilgate"]
CMD ["--help"]
