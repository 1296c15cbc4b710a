#!/usr/bin/env bash
# The gateway's container image in one command, with no Docker daemon and no registry:
#
#   image/build.sh        # -> gateway/target/jib-image.tar (Docker archive: `docker load`, `podman load`, or
#                         #    `skopeo copy docker-archive:gateway/target/jib-image.tar docker://REGISTRY/surge/gateway:TAG`)
#
# It builds (or reuses) the Debian base with image/build-base.sh (root, debootstrap, umoci, skopeo), then runs Jib's
# buildTar through the gateway's `image` Maven profile. Extra arguments go to Maven, e.g. -o (offline) or
# -Djib.to.image=REGISTRY/surge/gateway:TAG. Without root or those tools, use a registry base instead:
#   mvn -B -Pimage -pl gateway -am package -DskipTests -Djib.from.image=REGISTRY/JRE17-IMAGE
set -euo pipefail
cd "$(dirname "$0")/.."
base=$(image/build-base.sh)
mvn -B -q -Pimage -pl gateway -am package -DskipTests "-Dimage.from=tar://$base" "$@"
ls -l gateway/target/jib-image.tar
