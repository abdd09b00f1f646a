# Helpers shared by the aaa-naf integration tests (20-aaa-*.sh); source after lib.sh.
#
#   aaa_store_add FILE DOMAIN IMPI EXPIRY   append a fresh bootstrap, print its B-TID
#   aaa_fd AAA|BSF|CLIENT ...               freeDiameter configs (see each function)
#   aaa_client NAME ARGS...                 run amrclient against the AAA, output in $IT_DIR/NAME.out
#   aaa_field FILE SEQ FIELD                value of FIELD= on the answer line of request SEQ

AAA_NAF_FQDN=aaa.home.lab
AAA_UA=ff00000001
AAA_CLIENT_BIN="$IT_ROOT/$BUILD/tests/amrclient/amrclient"

# A random RAND and Ks; B-TID = base64(RAND)@DOMAIN.  The store is mode 0600.
aaa_store_add() {
	local file=$1 domain=$2 impi=$3 expiry=$4 rand ks btid
	rand=$(openssl rand -hex 16)
	ks=$(openssl rand -hex 32)
	btid="$(printf '%s' "$rand" | xxd -r -p | base64)@$domain"
	(umask 077; printf '%s %s %s %s %s\n' "$btid" "$impi" "$rand" "$ks" "$expiry" >>"$file")
	chmod 600 "$file"
	echo "$btid"
}

# aaa_store_bulk FILE N EXPIRY: a store of N fresh bootstraps (B-TID @bsf.lab,
# IMPI userI@ims.lab) in one pass (one openssl call per entry would take minutes).
aaa_store_bulk() {
	python3 - "$1" "$2" "$3" <<'PY'
import base64, os, sys
path, n, exp = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
    for i in range(n):
        r = os.urandom(16)
        f.write("%s@bsf.lab user%d@ims.lab %s %s %s\n" % (base64.b64encode(r).decode(), i, r.hex(), os.urandom(32).hex(), exp))
PY
}

# aaa_fd_aaa FILE PORT AAA-CONF [TLSDIR] [EXTRA...]: the AAA's freeDiameterd config.
# Clients are accepted through acl_wl (ALLOW_IPSEC = plain TCP peers allowed).
aaa_fd_aaa() {
	local file=$1 port=$2 conf=$3 tls=${4:-}; shift 4 || shift $#
	printf 'ALLOW_IPSEC *.home.lab\n' >"$IT_DIR/acl-aaa.conf"
	it_fd_conf "$file" aaa.home.lab home.lab "$port" $tls <<X
LoadExtension = "$IT_ROOT/$BUILD/dict/dict_mip4.fdx";
LoadExtension = "$IT_ROOT/$BUILD/dict/dict_zn.fdx";
LoadExtension = "$IT_ROOT/$BUILD/aaa-naf/aaa_naf.fdx" : "$conf";
LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "$IT_DIR/acl-aaa.conf";
LoadExtension = "/usr/lib/freeDiameter/dbg_msg_dumps.fdx" : "0x1111";
$(printf '%s\n' "$@")
X
}

# aaa_fd_client FILE PORT AAA-PORT [TLSDIR]: the amrclient's config; with TLSDIR it
# connects with TLS to AAA-PORT+1 (the AAA's SecPort).
aaa_fd_client() {
	local file=$1 port=$2 aport=$3 tls=${4:-}
	if [ -n "$tls" ]; then
		it_fd_conf "$file" client.home.lab home.lab "$port" "$tls" <<X
ConnectPeer = "aaa.home.lab" { ConnectTo = "127.0.0.1"; Port = $((aport + 1)); };
X
	else
		it_fd_conf "$file" client.home.lab home.lab "$port" <<X
ConnectPeer = "aaa.home.lab" { ConnectTo = "127.0.0.1"; Port = $aport; No_TLS; };
X
	fi
}

# aaa_client NAME ARGS...: run amrclient to completion (bounded), output in NAME.out.
aaa_client() {
	local name=$1; shift
	timeout 120 env ${MIP4_PRELOAD:+ASAN_OPTIONS=detect_leaks=0} "$AAA_CLIENT_BIN" \
		-c "$IT_DIR/client.conf" -r home.lab -p aaa.home.lab "$@" >"$IT_DIR/$name.out" 2>"$IT_DIR/$name.err"
	local rc=$?
	sed 's/^/    /' "$IT_DIR/$name.out" | cut -c1-400
	grep -v 'shutdown sequence' "$IT_DIR/$name.err" | head -5 | sed 's/^/    stderr: /'
	return $rc
}

# aaa_field FILE SEQ FIELD: FIELD's value on the "amr seq=SEQ" line.
aaa_field() {
	grep -E "^amr seq=$2 " "$1" | head -1 | tr ' ' '\n' | sed -n "s/^$3=//p" | head -1
}

# aaa_err FILE SEQ: the Error-Message (may contain blanks).
aaa_err() {
	grep -E "^amr seq=$2 " "$1" | head -1 | sed -n 's/.* err="\([^"]*\)".*/\1/p'
}

# aaa_summary FILE FIELD
aaa_summary() {
	grep '^summary ' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# aaa_fd_bsf FILE PORT BSF-CONF TLSDIR: the lab BSF's freeDiameterd config
# (identity bsf.bsf.lab, realm bsf.lab = the B-TID domain), NAFs accepted over
# TLS; in the ASan flavour over plain TCP too (see aaa_bsf_connect).
aaa_fd_bsf() {
	local file=$1 port=$2 conf=$3 tls=$4
	if [ "$FLAVOUR" = asan ]; then
		printf 'ALLOW_IPSEC *.home.lab\n' >"$IT_DIR/acl-bsf.conf"
	else
		printf '*.home.lab\n' >"$IT_DIR/acl-bsf.conf"
	fi
	it_fd_conf "$file" bsf.bsf.lab bsf.lab "$port" "$tls" <<X
LoadExtension = "$IT_ROOT/$BUILD/dict/dict_zn.fdx";
LoadExtension = "$IT_ROOT/$BUILD/gba-lab/bsf_lab.fdx" : "$conf";
LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "$IT_DIR/acl-bsf.conf";
X
}

# aaa_bsf_connect BSF-PORT: the AAA's ConnectPeer line for the lab BSF: TLS
# (its SecPort, BSF-PORT+1), except in the ASan flavour, where libfdcore 1.2.1's
# TLS teardown (fd_cnx_destroy -> gnutls_bye, or a DPR sent while the other side
# tears down) writes through a buffer GnuTLS has freed and ASan aborts the
# stock freeDiameterd (see README, Tests).
aaa_bsf_connect() {
	if [ "$FLAVOUR" = asan ]; then
		printf 'ConnectPeer = "bsf.bsf.lab" { ConnectTo = "127.0.0.1"; Port = %s; No_TLS; };\n' "$1"
	else
		printf 'ConnectPeer = "bsf.bsf.lab" { ConnectTo = "127.0.0.1"; Port = %s; };\n' "$(($1 + 1))"
	fi
}

# aaa_birs: BIRs the lab BSF has logged so far.
aaa_birs() { it_count_log bsf 'bsf_lab: BIR #'; }

# aaa_wait_bsf_peer [N]: the AAA has opened its BSF connection N times (default 1).
aaa_bsf_opens_ge() { [ "$(it_count_log aaa "-> 'STATE_OPEN'[[:space:]]+'bsf.bsf.lab'")" -ge "$1" ]; }
aaa_wait_bsf_peer() { it_wait_cmd 30 "AAA connection #${1:-1} to the BSF open" aaa_bsf_opens_ge "${1:-1}"; }

# aaa_stop NAME: stop a freeDiameterd (it_stop_fd: the asan flavour's known
# hang in exit() is reported, not failed), assert a clean exit and no
# sanitizer report.
aaa_stop() {
	it_stop_fd "$1"
	it_eq "$1 exit status" 0 "$IT_RC"
	it_check "no sanitizer report from $1" bash -c "! grep -q 'ERROR: AddressSanitizer\|runtime error:' '$IT_DIR/$1.log'"
}
