# memtop's image: Debian 12. The build stage installs exactly the packages
# scripts/setup.sh installs (scripts/setup.sh --print-packages; the test
# tests/lint/dockerfile.sh checks the two lists agree), the runtime stage
# the shared libraries the binary needs. Build it on a machine with docker
# or buildah:
#   docker build -t REGISTRY/memtop:0.1.0 . && docker push REGISTRY/memtop:0.1.0
# then see deploy/kubernetes/ and README.md ("Running memtop in a cluster").

FROM debian:12-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
	autoconf automake libtool pkg-config gcc make libncurses-dev \
	libproc2-dev libjansson-dev libcmocka-dev libwslay-dev \
	libmicrohttpd-dev nettle-dev zlib1g-dev libsqlite3-dev \
	libcurl4-openssl-dev \
    && rm -rf /var/lib/apt/lists/*
COPY . /src
WORKDIR /src/build
RUN cd /src && autoreconf -fi && cd /src/build \
    && ../configure -q --prefix=/usr/local \
    && make -j"$(nproc)" memtop \
    && make install-binPROGRAMS install-dist_themesDATA DESTDIR=/out

FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
	libc6 libtinfo6 libncursesw6 libproc2-0 libjansson4 libwslay1 \
	libmicrohttpd12 libnettle8 zlib1g libsqlite3-0 \
	libcurl4 \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ /
# the dashboard in `kubectl debug node/...` gets no TERM from kubectl
ENV TERM=xterm-256color
EXPOSE 9852
ENTRYPOINT ["/usr/local/bin/memtop"]
CMD ["--serve", ":9852", "--host-root", "/host", "--cgroup-root", "/host/sys/fs/cgroup"]
