# Helpers shared by the mip4-ha integration tests (30-39); source after lib.sh.
#
#   ha_conf FILE PORT          HA config on 127.0.0.1:PORT (mode 0600); stdin appended
#   ha_start NAME CONF         start mip4-ha, wait for its "ready:" line
#   ha_ctl NAME CMD            mip4-ctl against NAME's control socket
#   ha_stat NAME PATH          one value of `mip4-ctl stats` (PATH like aaa.sent)
#   rrq OUT ARGS...            run rrq.py against $HA_PORT, output in $IT_DIR/OUT.out
#   rrq_field OUT FIELD        FIELD= of the first reply line of OUT
#   ha_aaa_start NAME PORT [TLSDIR]  freeDiameterd + aaa_naf (static key source) on PORT

HA_BIN="$IT_ROOT/$BUILD/mip4-ha/mip4-ha"
HA_CTL="$IT_ROOT/$BUILD/tools/mip4-ctl"
HA_RRQ="$IT_ROOT/tests/integration/rrq.py"
HA_NAI=mn1@home.lab
HA_AAA_KEY=000102030405060708090a0b0c0d0e0f
HA_STATIC_KEY=00112233445566778899aabbccddeeff
# The asan build reports leaks of our process at exit.  Two libraries leave
# allocations behind that are not ours to free: GnuTLS keeps the certificate
# list freeDiameter imports for its own check (gnutls_x509_crt_list_import2),
# and libfdcore a few objects at shutdown.  Everything else must be clean.
# ha_env CMD...: exec CMD with those settings (so only in a subshell or
# through it_start: the PID it_start records is then the daemon's own).
ha_lsan_supp() {
	local supp="$IT_DIR/lsan-ha.supp"
	[ -f "$supp" ] || printf 'leak:gnutls_x509_crt_list_import2\nleak:libfdcore.so\nleak:libfdproto.so\n' >"$supp"
	echo "$supp"
}
ha_env() {
	ASAN_OPTIONS=abort_on_error=1 LSAN_OPTIONS=suppressions="$(ha_lsan_supp)" exec "$@"
}

ha_conf() {
	local file=$1 port=$2
	(
		umask 077
		{
			printf 'address = "127.0.0.1"\nport = %s\nhome_networks = {"10.1.0.0/16"}\n' "$port"
			printf 'max_lifetime = 600\ncontrol_socket = "%s/ctl.sock"\n' "$IT_DIR"
			[ -t 0 ] || cat
		} >"$file"
	)
}

ha_start() {
	local name=$1 conf=$2
	it_start "$name" ha_env "$HA_BIN" -f "$conf"
	it_wait_log "$name" 'notice: ready:' 60
}

ha_ctl() { "$HA_CTL" -s "$IT_DIR/ctl.sock" "$2"; }

ha_stat() {
	ha_ctl "$1" stats | python3 -c '
import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    v = v.get(k, 0) if isinstance(v, dict) else 0
print(v)' "$2"
}

rrq() {
	local out=$1; shift
	timeout 30 python3 "$HA_RRQ" --port "$HA_PORT" "$@" >"$IT_DIR/$out.out" 2>&1
	local rc=$?
	sed 's/^/    rrq: /' "$IT_DIR/$out.out"
	return $rc
}

rrq_field() {
	grep -E '^code=' "$IT_DIR/$1.out" | head -1 | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1
}

# ha_aaa_start NAME PORT [TLSDIR]: the AAA knows $HA_NAI with MN-AAA SPI 256 and
# key $HA_AAA_KEY, and assigns home addresses from 10.1.5.10-20.  Peers *.home.lab are accepted (ALLOW_IPSEC: also plain TCP).
ha_aaa_start() {
	local name=$1 port=$2 tls=${3:-}
	(
		umask 077
		cat >"$IT_DIR/$name-naf.conf" <<X
naf-fqdn = "aaa.home.lab"
key-sources = {"static"}
key-lifetime = 3600
registration-lifetime = 600
static "$HA_NAI" {
	spi = 256
	secret-hex = "$HA_AAA_KEY"
}
pool "home" {
	first = "10.1.5.10"
	last = "10.1.5.20"
}
X
	)
	printf 'ALLOW_IPSEC *.home.lab\n' >"$IT_DIR/$name-acl.conf"
	it_fd_conf "$IT_DIR/$name.conf" aaa.home.lab home.lab "$port" $tls <<X
LoadExtension = "$IT_ROOT/$BUILD/dict/dict_mip4.fdx";
LoadExtension = "$IT_ROOT/$BUILD/dict/dict_zn.fdx";
LoadExtension = "$IT_ROOT/$BUILD/aaa-naf/aaa_naf.fdx" : "$IT_DIR/$name-naf.conf";
LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "$IT_DIR/$name-acl.conf";
X
	it_freediameterd "$name" "$IT_DIR/$name.conf"
}

# ha_diameter_section AAA-PORT [TLSDIR]: the HA's diameter section for that AAA
# (AMR timeout $HA_AMR_TIMEOUT_MS, default 1500 ms).
ha_diameter_section() {
	local port=$1 tls=${2:-}
	printf 'diameter {\n\tidentity = "ha.home.lab"\n\trealm = "home.lab"\n\tpeer = "aaa.home.lab"\n'
	printf '\tpeer_address = "127.0.0.1"\n\ttimeout_ms = %s\n\treconnect_interval = 1\n' "${HA_AMR_TIMEOUT_MS:-1500}"
	if [ -n "$tls" ]; then
		printf '\tpeer_port = %s\n\ttls = true\n\ttls_cert = "%s/ha.home.lab.pem"\n' $((port + 1)) "$tls"
		printf '\ttls_key = "%s/ha.home.lab.key"\n\ttls_ca = "%s/ca.pem"\n' "$tls" "$tls"
	else
		printf '\tpeer_port = %s\n\ttls = false\n' "$port"
	fi
	printf '}\n'
}
