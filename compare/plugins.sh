#!/bin/bash
# compare/plugins.sh DIR: strongSwan's eap-aka-3gpp and load-tester plugins,
# which Debian 12 does not ship, built from Debian's own strongswan source
# package into DIR (default build/compare/plugins).  They are LD_PRELOADed into
# Debian's charon-systemd by the lab; nothing under /usr or /etc is touched.
#
# The source comes through apt at run time, with a private deb-src list and
# private lists/archives under DIR/src (the machine's own Debian mirrors, read
# from its deb lines).  Cached: a second run with the same installed
# libstrongswan does nothing.  DIR/build.env records what was built and how long
# the fetch, configure and whole build took.
#
# Exit status: 0 built or cached; 3 impossible here (no source package
# reachable); 1 any other failure (a failed configure or compile is a bug).
set -uo pipefail

DIR=${1:-build/compare/plugins}
mkdir -p "$DIR" || exit 1
DIR=$(cd "$DIR" && pwd)
SRC=$DIR/src
PLUGINS=(libstrongswan-eap-aka-3gpp.so libstrongswan-load-tester.so)

say() { printf 'plugins: %s\n' "$*" >&2; }

bin_version=$(dpkg-query -W -f='${Version}' libstrongswan 2>/dev/null)
[ -n "$bin_version" ] || { say "libstrongswan is not installed"; exit 1; }

cached() {
	local p
	[ -f "$DIR/build.env" ] || return 1
	grep -qx "BIN_VERSION=$bin_version" "$DIR/build.env" || return 1
	for p in "${PLUGINS[@]}"; do [ -s "$DIR/$p" ] || return 1; done
}
if cached; then
	exit 0
fi

rm -rf "$SRC" "$DIR/build.env"
for p in "${PLUGINS[@]}"; do rm -f "$DIR/$p"; done
mkdir -p "$SRC/lists/partial" "$SRC/archives/partial"

# deb-src lines for every mirror and suite the machine's deb lines name.
{
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
			/^[[:space:]]*$/ { if (u != "" && t ~ /deb/) for (i in S) for (j in U) print U[j], S[i], c; u = ""; t = ""; c = ""; delete S; delete U; next }
			/^Types:/ { t = $0 }
			/^URIs:/ { u = $2; for (k = 2; k <= NF; k++) U[k] = $k }
			/^Suites:/ { for (k = 2; k <= NF; k++) S[k] = $k }
			/^Components:/ { c = $2; for (k = 3; k <= NF; k++) c = c " " $k }
			END { if (u != "" && t ~ /deb/) for (i in S) for (j in U) print U[j], S[i], c }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) while ($i !~ /\]$/) i++; if ($2 ~ /^\[/) i++; s = $(i); for (k = i + 1; k <= NF; k++) s = s " " $k; print s }' "$f"
	done
} | sort -u | while read -r uri suite comps; do
	[ -n "$uri" ] && printf 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s %s\n' "$uri" "$suite" "$comps"
done >"$SRC/src.list"
[ -s "$SRC/src.list" ] || { say "no Debian mirror found in /etc/apt"; exit 3; }

APT=(apt-get -q -o Dir::Etc::SourceList="$SRC/src.list" -o Dir::Etc::SourceParts=/nonexistent
	-o Dir::State::Lists="$SRC/lists" -o Dir::Cache::Archives="$SRC/archives"
	-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Sandbox::User=root)

t0=$(date +%s)
if ! "${APT[@]}" update >"$SRC/apt-update.log" 2>&1; then
	tail -n 5 "$SRC/apt-update.log" >&2
	say "apt-get update of the deb-src list failed: source package not reachable"
	exit 3
fi
# The source of the installed version when a mirror still has it, else the
# newest one a mirror serves (a security pool may list a version it no longer
# holds: 404).
mapfile -t versions < <("${APT[@]/apt-get/apt-cache}" showsrc strongswan 2>/dev/null |
	awk '/^Version:/ { print $2 }' | sort -u | sort -r -V)
fetched=
: >"$SRC/apt-source.log"
for v in "$bin_version" "${versions[@]}"; do
	if (cd "$SRC" && "${APT[@]}" source --download-only "strongswan=$v") >>"$SRC/apt-source.log" 2>&1; then
		fetched=$v
		break
	fi
	rm -f "$SRC"/strongswan_*
done
if [ -z "$fetched" ]; then
	tail -n 5 "$SRC/apt-source.log" >&2
	say "apt-get source strongswan failed: source package not reachable"
	exit 3
fi
dsc=$(ls "$SRC"/strongswan_*.dsc 2>/dev/null | head -n 1)
[ -n "$dsc" ] || { say "no .dsc downloaded"; exit 3; }
src_version=$(awk '/^Version:/ { print $2; exit }' "$dsc")
t_fetch=$(($(date +%s) - t0))

(cd "$SRC" && dpkg-source -x --no-check "$(basename "$dsc")" tree) >"$SRC/dpkg-source.log" 2>&1 ||
	{ tail -n 5 "$SRC/dpkg-source.log" >&2; say "dpkg-source -x failed"; exit 1; }

# --enable-mediation as Debian builds it (ME changes ike_sa_t and peer_cfg_t in
# the headers the plugins are compiled against).  configure under dash: it
# runs in a quarter of the time it takes under bash.
cd "$SRC/tree" || exit 1
t1=$(date +%s)
if ! CONFIG_SHELL=/bin/dash /bin/dash ./configure --prefix=/usr --sysconfdir=/etc --libdir=/usr/lib \
	--libexecdir=/usr/lib --enable-mediation --enable-eap-aka --enable-eap-aka-3gpp --enable-load-tester \
	--enable-kernel-libipsec --disable-static --disable-dependency-tracking >"$SRC/configure.log" 2>&1; then
	tail -n 15 "$SRC/configure.log" >&2
	say "configure failed (log $SRC/configure.log)"
	exit 1
fi
t_configure=$(($(date +%s) - t1))
# Only the two plugin modules.  They take libstrongswan's and libcharon's
# symbols from the charon process, as Debian's own plugins do; eap-aka-3gpp
# links Debian's installed libsimaka instead of building one.
if ! make -C src/libcharon/plugins/eap_aka_3gpp libstrongswan-eap-aka-3gpp.la \
	libstrongswan_eap_aka_3gpp_la_LIBADD="libeap_aka_3gpp.la -Wl,-rpath,/usr/lib/ipsec -L/usr/lib/ipsec -l:libsimaka.so.0" \
	libstrongswan_eap_aka_3gpp_la_DEPENDENCIES=libeap_aka_3gpp.la >"$SRC/make.log" 2>&1 ||
	! make -C src/libcharon/plugins/load_tester libstrongswan-load-tester.la >>"$SRC/make.log" 2>&1; then
	tail -n 20 "$SRC/make.log" >&2
	say "building the plugins failed (log $SRC/make.log)"
	exit 1
fi
cp src/libcharon/plugins/eap_aka_3gpp/.libs/libstrongswan-eap-aka-3gpp.so \
	src/libcharon/plugins/load_tester/.libs/libstrongswan-load-tester.so "$DIR/" || exit 1
t_all=$(($(date +%s) - t0))
# Only the two plugins, the logs and the downloaded source package stay.
cd "$DIR" && rm -rf "$SRC/tree"
cat >"$DIR/build.env" <<X
BIN_VERSION=$bin_version
SRC_VERSION=$src_version
FETCH_S=$t_fetch
CONFIGURE_S=$t_configure
BUILD_S=$t_all
BUILT_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
X
say "built ${PLUGINS[*]} from strongswan $src_version (installed $bin_version) in ${t_all} s (fetch ${t_fetch} s)"
