#!/usr/bin/env bash
# Proves that the built image runs as Kubernetes will run it, with no container runtime: its layers are unpacked into
# a root filesystem, which is mounted read-only with a tmpfs on /tmp (the emptyDir of k8s/base) and /proc mounted,
# and the image's own entrypoint, environment and user (uid 10001) are started in it under chroot, in private mount,
# PID and network namespaces (so only loopback exists and the fixed ports 8080/8081 cannot clash with anything).
# Passes when /actuator/health on the management port answers UP; then stops the gateway (SIGTERM, as the kubelet
# does) and expects it to exit.
#
#   image/smoke.sh [gateway/target/jib-image.tar]
#
# Runs the image's default (demo) profile, which needs no outside service: embedded Redis and the back-office
# simulator start inside, on loopback. Needs root, skopeo, umoci, jq, curl, unshare and ip (iproute2).
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-gateway/target/jib-image.tar}
management_port=8081
start_timeout=${SURGE_SMOKE_TIMEOUT:-180}

for tool in skopeo umoci jq curl unshare chroot ip; do
  command -v "$tool" >/dev/null || { echo "smoke.sh: $tool is missing" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "smoke.sh: needs root (chroot and namespaces)" >&2; exit 2; }
[ -s "$image" ] || { echo "smoke.sh: no image at $image (run image/build.sh)" >&2; exit 2; }

work=$(mktemp -d /tmp/surge-smoke.XXXXXX)
# The gateway's whole log stays beside the image, for when the run fails.
log=$(realpath "$(dirname "$image")")/image-smoke.log
trap 'rm -rf --one-file-system "$work"' EXIT

# The image's layers, in order, into bundle/rootfs; bundle/config.json is the OCI runtime config umoci derives from
# the image config (entrypoint, environment, user, working directory).
skopeo copy --quiet "docker-archive:$image" "oci:$work/oci:smoke"
umoci unpack --image "$work/oci:smoke" "$work/bundle" >/dev/null
rootfs="$work/bundle/rootfs"
config="$work/bundle/config.json"
uid=$(jq -r '.process.user.uid' "$config")
gid=$(jq -r '.process.user.gid' "$config")
cwd=$(jq -r '.process.cwd' "$config")
[ "$uid" = 10001 ] && [ "$gid" = 10001 ] || { echo "smoke.sh: image user is $uid:$gid, want 10001:10001" >&2; exit 1; }
mapfile -t args < <(jq -r '.process.args[]' "$config")
mapfile -t env < <(jq -r '.process.env[]' "$config")
# Works before and after the management port became the default (issue 22): ask for it explicitly.
env+=("MANAGEMENT_SERVER_PORT=$management_port")

echo "smoke.sh: starting ${args[*]} as $uid:$gid on a read-only root" >&2
export SMOKE_ROOTFS=$rootfs SMOKE_UID=$uid SMOKE_GID=$gid SMOKE_CWD=$cwd SMOKE_PORT=$management_port \
  SMOKE_TIMEOUT=$start_timeout SMOKE_LOG=$log SMOKE_WORK=$work
# Everything below runs inside the new namespaces; its mounts vanish with them, nothing is left on the host.
timeout --kill-after=10 $((start_timeout + 60)) \
  unshare --mount --propagation private --net --pid --uts --fork \
  /bin/bash -s -- "${args[@]}" -- "${env[@]}" <<'INSIDE'
set -euo pipefail
args=(); while [ "$1" != -- ]; do args+=("$1"); shift; done; shift
env=("$@")
ip link set lo up
# Mount points a runtime would create in the unpacked copy (not in the image) before the root turns read-only.
touch "$SMOKE_ROOTFS/etc/hosts" "$SMOKE_ROOTFS/etc/resolv.conf"
mount --bind "$SMOKE_ROOTFS" "$SMOKE_ROOTFS"
mount -o remount,bind,ro "$SMOKE_ROOTFS"
mount -t proc proc "$SMOKE_ROOTFS/proc"   # this PID namespace's: the gateway sees itself and nothing of the host
mount -t tmpfs -o mode=1777,size=512m tmpfs "$SMOKE_ROOTFS/tmp"
mkdir -p "$SMOKE_WORK/dev" && mount -t tmpfs -o mode=755 tmpfs "$SMOKE_WORK/dev"
for dev in null zero random urandom; do
  touch "$SMOKE_WORK/dev/$dev" && mount --bind "/dev/$dev" "$SMOKE_WORK/dev/$dev"
done
mount --rbind "$SMOKE_WORK/dev" "$SMOKE_ROOTFS/dev"
# What a container runtime gives every container: a hostname, /etc/hosts and /etc/resolv.conf (no name server
# answers in this namespace; the gateway resolves no names in the demo profile).
hostname surge-smoke
mkdir -p "$SMOKE_WORK/etc" && mount -t tmpfs -o mode=755 tmpfs "$SMOKE_WORK/etc"
printf '127.0.0.1 localhost\n127.0.0.1 surge-smoke\n' >"$SMOKE_WORK/etc/hosts"
printf 'nameserver 127.0.0.1\n' >"$SMOKE_WORK/etc/resolv.conf"
for f in hosts resolv.conf; do mount --bind "$SMOKE_WORK/etc/$f" "$SMOKE_ROOTFS/etc/$f"; done
if touch "$SMOKE_ROOTFS/smoke-write-test" 2>/dev/null; then echo "smoke.sh: the root is writable" >&2; exit 1; fi

chroot --userspec="$SMOKE_UID:$SMOKE_GID" --groups="$SMOKE_GID" "$SMOKE_ROOTFS" \
  /usr/bin/env -i "${env[@]}" /bin/sh -c 'cd "$0" && exec "$@"' "$SMOKE_CWD" "${args[@]}" >"$SMOKE_LOG" 2>&1 &
pid=$!
fail() { echo "smoke.sh: $1; the gateway's log ($SMOKE_LOG) ends:" >&2; tail -40 "$SMOKE_LOG" >&2; kill -KILL "$pid" 2>/dev/null; exit 1; }

started=$SECONDS
until body=$(curl -fsS --max-time 2 "http://127.0.0.1:$SMOKE_PORT/actuator/health" 2>/dev/null) \
    && [[ $body == *'"status":"UP"'* ]]; do
  kill -0 "$pid" 2>/dev/null || fail "the gateway exited"
  (( SECONDS - started < SMOKE_TIMEOUT )) || fail "no UP from /actuator/health within ${SMOKE_TIMEOUT}s"
  sleep 1
done
echo "smoke.sh: /actuator/health on :$SMOKE_PORT answered UP after $((SECONDS - started))s: $body" >&2
# chroot, env and sh each exec the next, so $pid is the JVM itself.
java_uid=$(awk '/^Uid:/ {print $2}' "$SMOKE_ROOTFS/proc/$pid/status")
[ "$java_uid" = "$SMOKE_UID" ] || fail "java runs as uid $java_uid"

# As the kubelet does after preStop: SIGTERM, then up to the rest of terminationGracePeriodSeconds (k8s/base: 40 s).
kill -TERM "$pid"
stopping=$SECONDS
while kill -0 "$pid" 2>/dev/null; do
  (( SECONDS - stopping < 30 )) || fail "the gateway did not stop within 30 s of SIGTERM"
  sleep 0.5
done
echo "smoke.sh: stopped $((SECONDS - stopping)) s after SIGTERM" >&2
INSIDE
echo "smoke.sh: OK"
