#!/bin/bash
# mip4-ha -n on good and bad configurations (bad: exit 1 and ONE line naming the
# file, the line and the option), --help / --version, and startup failures
# (port already bound, world-readable key) with their exit status.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ha.sh"
it_setup ha-config

HA_PORT=$(it_port 22010)

check_bad() { # NAME EXPECTED-REGEX MODE: config from stdin
	local name=$1 re=$2 mode=${3:-600} f="$IT_DIR/$1.conf" out rc
	cat >"$f"
	chmod "$mode" "$f"
	out=$(ha_env "$HA_BIN" -n -f "$f" 2>&1)
	rc=$?
	it_log "$name: $out"
	it_eq "$name: exit status" 1 "$rc"
	it_eq "$name: one line" 1 "$(printf '%s\n' "$out" | wc -l)"
	it_check "$name: names file, line and option (/$re/)" bash -c "printf '%s' \"\$1\" | grep -Eq \"^$f\$2\"" _ "$out" "$re"
}

# The shipped example, with plain TCP (its TLS files do not exist here), and
# with its journal section uncommented.
sed 's/tls = true/tls = false/' conf/mip4-ha.conf >"$IT_DIR/example.conf"
out=$("$HA_BIN" -n -f "$IT_DIR/example.conf" 2>&1)
it_eq "conf/mip4-ha.conf (tls = false) is valid" 0 "$?"
it_eq "-n prints the verdict" "$IT_DIR/example.conf: configuration OK" "$out"
# Its method 2 lines (between the "--- method 2" markers) uncommented.
sed '/--- method 2/,/--- end of method 2/ { /---/! s/^\(\s*\)#/\1/ }' "$IT_DIR/example.conf" >"$IT_DIR/example-m2.conf"
out=$("$HA_BIN" -n -f "$IT_DIR/example-m2.conf" 2>&1)
it_eq "conf/mip4-ha.conf with method 2 (tls = false) is valid" 0 "$?"
it_check "  its zn section and BSF peer are in" grep -Eq '^\s*(zn \{|connect "bsf.example.net")' "$IT_DIR/example-m2.conf"
sed -i '/^#journal {/,/^#}/s/^#//' "$IT_DIR/example.conf"
it_check "the example's journal section is valid" grep -q '^journal {' "$IT_DIR/example.conf"
out=$("$HA_BIN" -n -f "$IT_DIR/example.conf" 2>&1)
it_eq "conf/mip4-ha.conf with its journal: valid" "$IT_DIR/example.conf: configuration OK" "$out"
out=$("$HA_BIN" -n -f conf/mip4-ha.conf 2>&1)
it_eq "shipped example with missing TLS key: exit 1" 1 "$?"
it_check "missing TLS key named with its line" bash -c "printf '%s' \"\$1\" | grep -Eq '^conf/mip4-ha.conf:[0-9]+: section .diameter.: option .tls_key.'" _ "$out"

check_bad port ":3: option 'port': 70000 is outside" <<X
address = "127.0.0.1"
home_networks = {"10.1.0.0/16"}
port = 70000
X
check_bad unknown ":6: no such option 'colour'" <<X
# comment lines do not shift the line numbers
# (libconfuse 3.3 would count each three times)
address = "127.0.0.1"
home_networks = {"10.1.0.0/16"}

colour = "blue"
X
check_bad prefix ":2: option 'home_networks': '10.1.0.0/40'" <<X
address = "127.0.0.1"
home_networks = {"10.1.0.0/40"}
X
check_bad required ": option 'address' is required" <<X
home_networks = {"10.1.0.0/16"}
X
check_bad keyperm ":5: option 'key': refusing a key in a file readable by others" 644 <<X
address = "127.0.0.1"
home_networks = {"10.1.0.0/16"}
sa "10.1.0.5" {
	spi = 300
	key = "$HA_STATIC_KEY"
}
X
check_bad spi ":4: option 'spi': 255 is outside 256" <<X
address = "127.0.0.1"
home_networks = {"10.1.0.0/16"}
sa "10.1.0.5" {
	spi = 255
	key = "$HA_STATIC_KEY"
}
X
check_bad tls ":8: section 'diameter': option 'tls_cert' is required with tls = true" <<X
address = "127.0.0.1"
home_networks = {"10.1.0.0/16"}
diameter {
	identity = "ha.home.lab"
	realm = "home.lab"
	peer = "aaa.home.lab"
	peer_address = "127.0.0.1"
}
X
check_bad journal_dir ":4: option 'directory': 'var/lib/mip4-ha' is not an absolute path" <<X
address = "127.0.0.1"
home_networks = {"10.1.0.0/16"}
journal {
	directory = "var/lib/mip4-ha"
}
X
check_bad journal_sync ":5: option 'sync_interval_ms': 70000 is outside 0..60000" <<X
address = "127.0.0.1"
home_networks = {"10.1.0.0/16"}
journal {
	directory = "/var/lib/mip4-ha"
	sync_interval_ms = 70000
}
X
check_bad host_ip ":7: option 'host_ip_address': '10.1.2' is not an IPv4 address" <<X
address = "127.0.0.1"
home_networks = {"10.1.0.0/16"}
diameter {
	identity = "ha.home.lab"
	realm = "home.lab"
	peer = "aaa.home.lab"
	host_ip_address = "10.1.2"
	peer_address = "127.0.0.1"
	tls = false
}
X
check_bad syntax ":3: " <<X
address = "127.0.0.1"
home_networks = {"10.1.0.0/16"
max_lifetime = 5
X
out=$("$HA_BIN" -n -f "$IT_DIR/none.conf" 2>&1)
it_eq "missing file: exit 1" 1 "$?"
it_eq "missing file: message" "$IT_DIR/none.conf: cannot read: No such file or directory" "$out"

# Options.
"$HA_BIN" --help >"$IT_DIR/help.txt"
it_eq "--help: exit 0" 0 "$?"
for word in -f -n -d --version SIGHUP SIGTERM mip4-ctl "Exit status"; do
	it_check "--help mentions $word" grep -q -- "$word" "$IT_DIR/help.txt"
done
it_check "--version" bash -c "'$HA_BIN' --version | grep -Eq '^mip4-ha [0-9]+\.[0-9]+\.[0-9]+$'"
"$HA_BIN" --bogus >/dev/null 2>&1
it_eq "unknown option: exit 2" 2 "$?"
"$HA_CTL" --help | grep -q metrics
it_eq "mip4-ctl --help" 0 "$?"
"$HA_CTL" -s "$IT_DIR/nothing.sock" stats 2>"$IT_DIR/ctl.err"
it_eq "mip4-ctl without a daemon: exit 1" 1 "$?"
it_check "mip4-ctl names the socket" grep -q "nothing.sock" "$IT_DIR/ctl.err"

# Startup failure: the port is taken.
ha_conf "$IT_DIR/ha.conf" "$HA_PORT" </dev/null
python3 -c "
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', $HA_PORT)); time.sleep(30)" &
blocker=$!
it_wait_udp "$HA_PORT" 10
out=$(ha_env timeout 20 "$HA_BIN" -f "$IT_DIR/ha.conf" 2>&1)
rc=$?
kill "$blocker"; wait "$blocker" 2>/dev/null
it_eq "port in use: exit 3" 3 "$rc"
it_check "port in use: says so" bash -c "printf '%s' \"\$1\" | grep -q 'cannot bind UDP 127.0.0.1:$HA_PORT: Address already in use'" _ "$out"
