#!/bin/bash
# The Debian 12 packages only `make compare` (and its short form in make check)
# needs: strongSwan (charon-systemd, swanctl, the extra and standard plugins),
# iperf3, gnuplot, and what building two strongSwan plugins from Debian's
# source package takes.  Installs only what is missing, as root.
#
# Exit status: 0 all present; 1 not root and something missing (the apt-get
# line is printed); 3 apt-get could not install them (no registry reachable).
set -uo pipefail

pkgs=(charon-systemd strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins
      iperf3 gnuplot-nox tshark openssl python3 jq
      gcc make dpkg-dev pkg-config libgmp-dev libssl-dev)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "compare deps: missing packages: ${missing[*]}" >&2
	echo "compare deps: run as root:  apt-get update && DEBIAN_FRONTEND=noninteractive $cmd" >&2
	exit 1
fi
echo "compare deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# No iperf3 server started at boot; tshark capture stays root-only.
printf '%s\n' "iperf3 iperf3/start_daemon boolean false" \
	"wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
if ! apt-get update -qq || ! $cmd -qq; then
	echo "compare deps: apt-get could not install: ${missing[*]}" >&2
	exit 3
fi
