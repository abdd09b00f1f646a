#!/bin/bash
# Install the Debian 12 packages the build, tests and demo need: only the missing ones.
# As root: apt-get installs them (non-interactive). Otherwise: print the command and fail.
#   tools/deps.sh [PACKAGE...]   the given packages instead (compare/deps.sh)
set -euo pipefail

pkgs=(libfreediameter-dev freediameterd freediameter-extensions libevent-dev libconfuse-dev
      libssl-dev libcriterion-dev pkg-config python3 tshark clang libclang-rt-14-dev libsystemd-dev
      openssl iproute2 procps jq libmnl-dev)
[ $# -eq 0 ] || pkgs=("$@")

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run as root:  apt-get update && DEBIAN_FRONTEND=noninteractive $cmd" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture, iperf3 whether to start a
# server at boot; answer before they are installed.
printf '%s\n' "wireshark-common wireshark-common/install-setuid boolean false" \
	"iperf3 iperf3/start_daemon boolean false" | debconf-set-selections
apt-get update -qq
$cmd -qq
