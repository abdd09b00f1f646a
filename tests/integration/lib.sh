# Shared helpers for the integration tests; source it from a test script:
#
#   . "$(dirname "$0")/lib.sh"
#   it_setup my-test              # work dir $IT_DIR, cleanup trap
#   port=$(it_port 21000)         # 21000, or 21500 in the asan flavour
#   it_fd_conf "$IT_DIR/aaa.conf" aaa.lab lab "$port" <<'X'
#   LoadExtension = "build/dict/dict_mip4.fdx";
#   X
#   it_freediameterd aaa "$IT_DIR/aaa.conf"     # starts it, waits until it is up
#   it_check "AMR answered" grep -q 'rc=2001' "$IT_DIR/client.log"
#   it_stop aaa                   # SIGTERM, bounded wait; exit status in $IT_RC
#
# Every process started with it_start is stopped by PID when the script exits,
# whatever the outcome.  Only loopback addresses are ever used.

set -uo pipefail

BUILD=${BUILD:-build}
FLAVOUR=${FLAVOUR:-normal}
MIP4_PRELOAD=${MIP4_PRELOAD:-}
IT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
declare -A IT_PIDS=()
IT_NETNS=()
IT_RC=0
IT_CHECKS=0

it_log() { printf '%s %s\n' "$(date +%H:%M:%S.%3N)" "$*"; }

it_fail() {
	it_log "FAIL: $*"
	exit 1
}

# it_setup NAME: fresh work directory $IT_DIR and the cleanup trap.
it_setup() {
	IT_NAME=$1
	IT_DIR="$IT_ROOT/build/it/$FLAVOUR-$IT_NAME"
	rm -rf "$IT_DIR"
	mkdir -p "$IT_DIR"
	cd "$IT_ROOT" || exit 1
	trap it_cleanup EXIT
	trap 'exit 130' INT TERM
	it_log "test $IT_NAME ($FLAVOUR), work dir $IT_DIR"
}

it_cleanup() {
	local rc=$? name
	for name in "${!IT_PIDS[@]}"; do
		it_stop "$name" 5 >/dev/null 2>&1
	done
	for name in "${IT_NETNS[@]}"; do
		ip netns del "$name" 2>/dev/null
	done
	if [ "$rc" -eq 0 ]; then
		it_log "PASS: $IT_NAME ($IT_CHECKS checks)"
	else
		it_log "logs kept in $IT_DIR"
	fi
	exit "$rc"
}

# it_netns PREFIX: a network namespace PREFIX-<pid> with only loopback (up), its
# name in $IT_NS; deleted when the script exits, whatever the outcome, after the
# processes started in it are stopped.  Fails (never skips) without the right
# to create one.
it_netns() {
	IT_NS="$1-$$"
	ip netns add "$IT_NS" 2>"$IT_DIR/netns.err" || it_fail "cannot create network namespace $IT_NS: $(cat "$IT_DIR/netns.err")"
	IT_NETNS+=("$IT_NS")
	ip -n "$IT_NS" link set lo up || it_fail "cannot bring up lo in $IT_NS"
}

# it_port BASE: BASE in the normal flavour, BASE+500 in the asan flavour.
it_port() {
	if [ "$FLAVOUR" = asan ]; then echo $(($1 + 500)); else echo "$1"; fi
}

# it_start NAME CMD...: run CMD in the background, output to $IT_DIR/NAME.log.
it_start() {
	local name=$1; shift
	[ -z "${IT_PIDS[$name]:-}" ] || it_fail "it_start: $name is already running"
	"$@" >>"$IT_DIR/$name.log" 2>&1 &
	IT_PIDS[$name]=$!
	it_log "started $name (pid $!): $*"
}

it_pid() { echo "${IT_PIDS[$1]:-}"; }

it_running() {
	local pid=${IT_PIDS[$1]:-}
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# it_stop NAME [TIMEOUT]: SIGTERM, wait up to TIMEOUT s (default 15), then SIGKILL.
# Sets IT_RC to the exit status (137 after SIGKILL) and returns 0.
it_stop() {
	local name=$1 timeout=${2:-15} pid i
	pid=${IT_PIDS[$name]:-}
	[ -n "$pid" ] || { IT_RC=0; return 0; }
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < timeout * 20; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		it_log "$name (pid $pid) ignored SIGTERM for ${timeout}s: SIGKILL"
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	IT_RC=$?
	unset "IT_PIDS[$name]"
	it_log "stopped $name (pid $pid), exit status $IT_RC"
	return 0
}

# it_stop_fd NAME: it_stop for a stock freeDiameterd.  Known and unrelated to
# our extensions: in the asan flavour it (libasan preloaded) can hang inside
# exit() after a complete shutdown when it had a TLS connection or a
# ConnectPeer it could not reach (glibc's locale lock found corrupted in a
# p11-kit destructor; reproduced with no extension of ours loaded).  That hang
# is reported, not failed (IT_RC 0); everything before it (the shutdown, our
# fini) must still have happened.
it_stop_fd() {
	it_stop "$1" "$([ "$FLAVOUR" = asan ] && echo 5 || echo 30)"
	if [ "$FLAVOUR" = asan ] && [ "$IT_RC" = 137 ] && grep -q 'freeDiameterd framework is stopping' "$IT_DIR/$1.log"; then
		it_log "note: $1 hung in exit() after its shutdown (stock freeDiameterd + LD_PRELOAD libasan, see it_stop_fd)"
		IT_RC=0
	fi
	return 0
}

# it_kill NAME: SIGKILL at once (a crash, as far as peers can tell).
it_kill() {
	local pid=${IT_PIDS[$1]:-}
	[ -n "$pid" ] || return 0
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "IT_PIDS[$1]"
	it_log "killed $1 (pid $pid)"
}

# it_signal NAME SIG: send a signal (HUP, USR1...) to a started process.
it_signal() { kill -"$2" "${IT_PIDS[$1]}"; }

# it_wait_cmd TIMEOUT DESCRIPTION CMD...: poll CMD every 50 ms until it succeeds.
it_wait_cmd() {
	local timeout=$1 what=$2 i; shift 2
	for ((i = 0; i < timeout * 20; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	it_fail "timed out after ${timeout}s waiting for: $what"
}

# it_wait_log NAME REGEX [TIMEOUT]: wait until NAME's log matches (grep -E).
# Fails at once if the process has exited without printing it.
it_wait_log() {
	local name=$1 re=$2 timeout=${3:-30} i log="$IT_DIR/$1.log"
	for ((i = 0; i < timeout * 20; i++)); do
		grep -Eq -- "$re" "$log" 2>/dev/null && return 0
		if [ -n "${IT_PIDS[$name]:-}" ] && ! kill -0 "${IT_PIDS[$name]}" 2>/dev/null; then
			grep -Eq -- "$re" "$log" 2>/dev/null && return 0
			tail -n 20 "$log" | sed 's/^/    | /'
			it_fail "$name exited before logging /$re/"
		fi
		sleep 0.05
	done
	tail -n 20 "$log" | sed 's/^/    | /'
	it_fail "timed out after ${timeout}s waiting for /$re/ in $name.log"
}

# it_count_log NAME REGEX: number of matching lines in NAME's log.
it_count_log() { grep -Ec -- "$2" "$IT_DIR/$1.log" 2>/dev/null || true; }

it_tcp_listening() { ss -Hltn "sport = :$1" | grep -q .; }
it_udp_bound() { ss -Hlun "sport = :$1" | grep -q .; }

# it_wait_tcp PORT [TIMEOUT] / it_wait_udp PORT [TIMEOUT]
it_wait_tcp() { it_wait_cmd "${2:-30}" "TCP port $1 listening" it_tcp_listening "$1"; }
it_wait_udp() { it_wait_cmd "${2:-30}" "UDP port $1 bound" it_udp_bound "$1"; }

# it_check DESCRIPTION CMD...: one assertion.
it_check() {
	local what=$1; shift
	IT_CHECKS=$((IT_CHECKS + 1))
	if "$@"; then
		it_log "ok - $what"
	else
		it_fail "$what (command: $*)"
	fi
}

# it_eq DESCRIPTION EXPECTED ACTUAL
it_eq() {
	IT_CHECKS=$((IT_CHECKS + 1))
	if [ "$2" = "$3" ]; then
		it_log "ok - $1 ($3)"
	else
		it_fail "$1: expected '$2', got '$3'"
	fi
}

# it_pki DIR IDENTITY...: throwaway CA and certificates (conf/lab-pki.sh).
it_pki() { "$IT_ROOT/conf/lab-pki.sh" "$@" || it_fail "lab PKI failed"; }

# it_fd_conf FILE IDENTITY REALM PORT [TLSDIR]: a freeDiameter config listening on
# 127.0.0.1:PORT only (lo_listen.fdx), no SCTP, no IPv6.  Without TLSDIR: plain TCP
# only (SecPort = 0).  With TLSDIR (from it_pki): TLS on PORT+1 with
# TLSDIR/IDENTITY.pem/.key and TLSDIR/ca.pem.  Lines read from stdin (when it is
# not a terminal) are appended: extensions, ConnectPeer, ...
it_fd_conf() {
	local file=$1 id=$2 realm=$3 port=$4 tls=${5:-}
	{
		printf 'Identity = "%s";\nRealm = "%s";\nPort = %s;\n' "$id" "$realm" "$port"
		printf 'No_SCTP;\nNo_IPv6;\nTcTimer = 2;\n'
		if [ -n "$tls" ]; then
			printf 'SecPort = %s;\n' $((port + 1))
			printf 'TLS_Cred = "%s/%s.pem", "%s/%s.key";\nTLS_CA = "%s/ca.pem";\n' \
				"$tls" "$id" "$tls" "$id" "$tls"
		else
			printf 'SecPort = 0;\n'
		fi
		printf 'LoadExtension = "%s/%s/tools/lo_listen.fdx" : "127.0.0.1";\n' "$IT_ROOT" "$BUILD"
		[ -t 0 ] || cat
	} >"$file"
}

# it_freediameterd NAME CONF: start the stock daemon (with libasan preloaded in
# the asan flavour, since it loads our instrumented extensions) and wait until
# it has started.
it_freediameterd() {
	local name=$1 conf=$2
	it_start "$name" env ${MIP4_PRELOAD:+LD_PRELOAD="$MIP4_PRELOAD"} \
		ASAN_OPTIONS=detect_leaks=0:detect_odr_violation=0:abort_on_error=1 freeDiameterd -c "$conf"
	it_wait_log "$name" 'freeDiameterd daemon initialized' 30
}

# The project's Wireshark dissector for registration messages (tools/wireshark):
# tshark -X lua_script:"$IT_MIP4_LUA" -d udp.port==PORT,mip4 decodes every RRQ
# and RRP, RFC 3957 extensions included; damage shows as mip4.malformed.
IT_MIP4_LUA=$IT_ROOT/tools/wireshark/mip4-gba.lua
# Wireshark expert severity of a warning (PI_WARN): what our dissector flags, and
# what Lua errors and malformed packets are; below it (chat, note) are protocol
# remarks such as "Possible traceroute" on a low TTL, not decoding problems.
IT_TS_WARN=6291456

# it_capture NAME FILE FILTER: capture loopback traffic matching the BPF FILTER
# into FILE until it_stop NAME.
it_capture() {
	it_start "$1" dumpcap -q -i lo -f "$3" -w "$2"
	it_wait_cmd 15 "capture $1 started" test -s "$2"
}
