# drdrill with every tool it drives, from Debian bookworm's packages, for CI runners and anyone without
# the tools at hand. Runs as root, in the folder mounted at /work:
#   docker build -t drdrill .
#   docker run --rm -v "$PWD:/work" drdrill run scenarios/seed
#   docker run --rm -v "$PWD:/work" drdrill init --data /work/data   # a first scenario for your data
# The local and ssh targets work inside; the lab and vm targets need Docker or qemu and are for the host.
#
# NODE_IMAGE is any Node 20.11+ on Debian bookworm; the default is the public one. Debian 12's own
# nodejs is 18, below drdrill's engines, so a bookworm base alone will not do. Where no container
# registry is reachable (drdrill's own tests), build a base locally and name it here:
# test/helpers/root-image.ts copies the host's node and npm into the debootstrapped base the lab image
# starts from (drdrill/bookworm-minbase), and passes the host's Debian mirror as DEBIAN_MIRROR, since
# that base has no apt sources of its own. With the default base, the mirror arguments are not needed.
ARG NODE_IMAGE=node:20-bookworm-slim

# drdrill as npm packs it (the package's files list: dist/, bin, ci/ recipes and templates, scenarios),
# with its runtime dependencies. The npm ci layer is cached until package-lock.json changes.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
COPY . .
RUN set -eu; \
    npm run build; \
    npm pack --ignore-scripts --pack-destination /tmp >/dev/null; \
    mkdir -p /opt/drdrill; \
    tar -xzf /tmp/drdrill-*.tgz -C /opt/drdrill --strip-components=1; \
    npm prune --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error; \
    cp -a node_modules /opt/drdrill/node_modules

# The tools (what `ci/setup.sh tools` installs on a host), tini, so the tools' orphans are reaped, and curl
# (the gate's baseline from GitLab's API).
FROM ${NODE_IMAGE} AS tools
# Mirrors, when given, are used in this stage only: the final stage copies the finished tree, so neither
# they nor the build arguments stay in the image or its history.
ARG DEBIAN_MIRROR=
ARG DEBIAN_SECURITY_MIRROR=
ENV DEBIAN_FRONTEND=noninteractive
RUN set -eu; \
    if [ -n "$DEBIAN_MIRROR" ]; then \
      printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s bookworm-security main\n' \
        "$DEBIAN_MIRROR" "$DEBIAN_MIRROR" "${DEBIAN_SECURITY_MIRROR:-${DEBIAN_MIRROR%/}-security}" \
        > /etc/apt/sources.list.d/drdrill-build.list; \
    fi; \
    apt-get update -qq; \
    apt-get install -y -qq --no-install-recommends \
      duplicity gnupg restic borgbackup zstd tar attr lsyncd rsync openssh-client python3-paramiko \
      nftables python3 procps tini ca-certificates curl >/dev/null; \
    apt-get clean; \
    rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /etc/apt/sources.list.d/drdrill-build.list \
      /var/log/apt /var/log/dpkg.log

FROM scratch
COPY --from=tools / /
COPY --from=build /opt/drdrill /opt/drdrill
# drdrill, and the CI templates' gate (ci/templates/drdrill-gate.sh) calling it, on PATH.
RUN ln -s /opt/drdrill/bin/drdrill.js /usr/local/bin/drdrill && \
    ln -s /opt/drdrill/ci/templates/drdrill-gate.sh /usr/local/bin/drdrill-gate
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 \
    DRDRILL=drdrill
LABEL org.opencontainers.image.title="drdrill" \
      org.opencontainers.image.description="Disaster-recovery drills as code, with duplicity, restic, borg and tar+zstd"
WORKDIR /work
ENTRYPOINT ["/usr/bin/tini", "--", "drdrill"]
CMD ["--help"]
