# secretscan in a container: docker build -t secretscan .
#   docker run --rm -v "$PWD:/src" secretscan                 (history of the repository in $PWD)
#   docker run --rm -v "$PWD:/src" secretscan scan --no-ignore
# The first stage builds the Debian package (tests off); the second installs it on
# bookworm-slim, so the image holds exactly what `dpkg -i secretscan_*.deb` would install.

FROM debian:bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends cmake ninja-build g++ pkg-config git ca-certificates gettext \
      dpkg-dev file wamerican libgit2-dev libre2-dev libcli11-dev libyaml-cpp-dev nlohmann-json3-dev libtomlplusplus-dev libdeflate-dev libjemalloc-dev libmbedtls-dev libsqlite3-dev \
      libhyperscan-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/secretscan
COPY . .
RUN cmake -S . -B /tmp/build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSECRETSCAN_BUILD_TESTS=OFF \
 && cmake --build /tmp/build \
 && cd /tmp/build && cpack -G DEB \
 && cp secretscan_*_amd64.deb /tmp/secretscan.deb

FROM debian:bookworm-slim
COPY --from=build /tmp/secretscan.deb /tmp/secretscan.deb
# git refuses a repository owned by another user; the mounted folder usually is.
RUN apt-get update \
 && apt-get install -y --no-install-recommends /tmp/secretscan.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/secretscan.deb \
 && git config --system --add safe.directory '*' \
 && useradd --create-home --uid 10001 scanner
USER scanner
WORKDIR /src
ENTRYPOINT ["secretscan"]
CMD ["history"]
