#!/usr/bin/env bash
# Builds the gateway's base image from Debian packages, with no registry and no Docker daemon, and prints the path of
# the image tarball (Docker archive format, as `docker save` writes it) for Jib's `tar://` base.
#
#   image/build-base.sh   # prints e.g. /var/cache/surge/base-1f2e3d4c5b6a.tar, building it if needed; base-image.tar
#                         # beside it links to the newest
#
# What is in it: Debian 12 `debootstrap --variant=minbase` + openjdk-17-jre-headless (with bookworm-security's
# updates), a user `surge` with uid/gid 10001, no apt lists, docs, man pages or device nodes (a container runtime
# brings /dev). Needs root (debootstrap and chroot), debootstrap, umoci and skopeo (Debian packages of those names)
# and Debian's package mirror.
#
# The tarball is cached outside the repository, keyed by this script and the JRE version apt offers, so a second run
# costs nothing and a JRE security update (after `apt-get update`) builds a new one. Cache folder: $SURGE_IMAGE_CACHE
# (default /var/cache/surge). Why a Docker archive and not an OCI one: Jib's `tar://` base reads only Docker archives
# (GoogleContainerTools/jib#2173); umoci builds the OCI layout and skopeo converts it.
set -euo pipefail

SUITE=bookworm
MIRROR=${SURGE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${SURGE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
JRE=openjdk-17-jre-headless
APP_UID=10001
CACHE=${SURGE_IMAGE_CACHE:-/var/cache/surge}

for tool in debootstrap umoci skopeo chroot; do
  command -v "$tool" >/dev/null || { echo "build-base.sh: $tool is missing (apt-get install debootstrap umoci skopeo)" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "build-base.sh: debootstrap needs root" >&2; exit 2; }

jre_version=$(apt-cache policy "$JRE" 2>/dev/null | sed -n 's/^ *Candidate: //p')
key=$( { cat "$0"; echo "$SUITE $MIRROR $SECURITY_MIRROR $JRE=$jre_version"; } | sha256sum | cut -c1-12)
out="$CACHE/base-$key.tar"
# base-image.tar names the newest build, for `mvn -Pimage` run by hand (the profile's default base).
if [ -s "$out" ]; then
  ln -sfn "$(basename "$out")" "$CACHE/base-image.tar"
  echo "$out"
  exit 0
fi

mkdir -p "$CACHE"
work=$(mktemp -d "$CACHE/build-base.XXXXXX")
rootfs="$work/rootfs"
cleanup() {
  for m in proc dev; do mountpoint -q "$rootfs/$m" 2>/dev/null && umount -l "$rootfs/$m"; done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

echo "build-base.sh: debootstrap $SUITE (minbase) into $rootfs" >&2
debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }

# The JRE from the suite plus its security updates. ca-certificates-java's postinst runs java, which needs /proc.
cat >"$rootfs/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY_MIRROR $SUITE-security main
EOF
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
mount -t proc proc "$rootfs/proc"
mount --bind /dev "$rootfs/dev"
echo "build-base.sh: installing $JRE" >&2
chroot "$rootfs" /bin/sh -c "
  set -e
  export DEBIAN_FRONTEND=noninteractive
  apt-get -qq update
  apt-get -qq -y upgrade
  apt-get -qq -y install --no-install-recommends $JRE >/dev/null
  groupadd --gid $APP_UID surge
  useradd --uid $APP_UID --gid $APP_UID --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin surge
  apt-get clean
" >"$work/apt.log" 2>&1 || { tail -20 "$work/apt.log" >&2; exit 1; }
umount "$rootfs/proc" "$rootfs/dev"

# Nothing the container needs at run time: package lists and caches, docs, the host's resolver, device nodes.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
  "$rootfs"/var/log/* "$rootfs"/tmp/* "$rootfs"/etc/resolv.conf "$rootfs"/etc/machine-id
find "$rootfs/dev" -mindepth 1 -delete
chmod 1777 "$rootfs/tmp"

echo "build-base.sh: packing the image" >&2
# umoci: a fresh OCI layout and an empty image, unpacked to a bundle whose root filesystem is swapped for ours, then
# repacked: the whole root filesystem becomes one layer.
(
  cd "$work"
  umoci init --layout oci
  umoci new --image oci:base
  umoci unpack --image oci:base bundle
  rmdir bundle/rootfs && mv rootfs bundle/rootfs
  umoci repack --image oci:base bundle
) >"$work/umoci.log" 2>&1 || { cat "$work/umoci.log" >&2; exit 1; }
umoci config --image "$work/oci:base" --tag base \
  --config.env=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.env=LANG=C.UTF-8 \
  --config.user=$APP_UID:$APP_UID \
  --config.workingdir=/ \
  --author="Surge image/build-base.sh" \
  --history.created_by="image/build-base.sh: debootstrap $SUITE minbase + $JRE $jre_version" \
  >>"$work/umoci.log" 2>&1
umoci gc --layout "$work/oci"
skopeo copy --quiet "oci:$work/oci:base" "docker-archive:$work/base.tar:surge/base:$key"
mv "$work/base.tar" "$out"
find "$CACHE" -maxdepth 1 -name 'base-*.tar' ! -name "$(basename "$out")" ! -name base-image.tar -delete
ln -sfn "$(basename "$out")" "$CACHE/base-image.tar"
echo "$out"
