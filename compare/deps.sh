#!/bin/bash
# The Debian 12 packages only `make compare` (and its short form in make check)
# needs: strongSwan (charon-systemd, swanctl, the extra and standard plugins),
# iperf3, gnuplot, and what building two strongSwan plugins from Debian's
# source package takes; installed by tools/deps.sh, only what is missing.
#
# Exit status: 0 all present; 1 not root and something missing (the apt-get
# line is printed); 3 apt-get could not install them (no registry reachable).
cd "$(dirname "$0")/.." || exit 1
tools/deps.sh charon-systemd strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins \
	iperf3 gnuplot-nox tshark openssl python3 jq gcc make dpkg-dev pkg-config libgmp-dev libssl-dev
case $? in
0) exit 0 ;;
1) exit 1 ;;
*) echo "compare deps: apt-get could not install them" >&2; exit 3 ;;
esac
