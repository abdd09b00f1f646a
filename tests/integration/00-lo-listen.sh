#!/bin/bash
# lo_listen.fdx: freeDiameterd listens on 127.0.0.1 only (never the wildcard),
# and a bad address argument stops it from starting.
. "$(dirname "$0")/lib.sh"
it_setup lo-listen

port=$(it_port 20900)
it_fd_conf "$IT_DIR/fd.conf" lo1.lab lab "$port" </dev/null
it_freediameterd fd "$IT_DIR/fd.conf"
it_wait_tcp "$port"
it_eq "listening sockets on port $port" "127.0.0.1:$port" \
	"$(ss -Hltn "sport = :$port" | awk '{print $4}' | sort -u | tr '\n' ' ' | sed 's/ $//')"
it_stop fd
it_eq "freeDiameterd exit status after SIGTERM" 0 "$IT_RC"

sed 's/: "127.0.0.1"/: "localhost-not-numeric"/' "$IT_DIR/fd.conf" >"$IT_DIR/bad.conf"
it_start bad env ${MIP4_PRELOAD:+LD_PRELOAD="$MIP4_PRELOAD"} ASAN_OPTIONS=detect_leaks=0 \
	freeDiameterd -c "$IT_DIR/bad.conf"
it_wait_log bad "returned an error during initialization" 20
it_check "initialisation aborted on a bad address" grep -q "Initiating freeDiameter shutdown" "$IT_DIR/bad.log"
it_check "nothing listening on $port" bash -c "! ss -Hltn 'sport = :$port' | grep -q ."
# Stock freeDiameterd exits 255 here, but under the preloaded ASan runtime its
# shutdown after a failed start can hang: only the refusal is ours to assert.
it_stop bad 5
