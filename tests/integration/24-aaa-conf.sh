#!/bin/bash
# aaa_naf refuses a bad configuration: freeDiameterd does not start, and the log
# has one line naming the file, the line and the option.  Key files (a config
# holding static secrets, a bootstrap store) accessible by "other" are refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-aaa.sh"
it_setup aaa-conf

aport=$(it_port 21100)
now=$(date +%s)
store=$IT_DIR/bootstrap.store
aaa_store_add "$store" bsf.lab alice@ims.lab $((now + 86400)) >/dev/null
n=0
refuse() { # DESCRIPTION EXPECTED-LOG-REGEX [MODE]: config from stdin must be refused
	n=$((n + 1))
	local conf=$IT_DIR/bad$n.conf
	cat >"$conf"
	chmod "${3:-600}" "$conf"
	aaa_fd_aaa "$IT_DIR/fd$n.conf" "$aport" "$conf"
	it_start "aaa$n" env ${MIP4_PRELOAD:+LD_PRELOAD="$MIP4_PRELOAD"} ASAN_OPTIONS=detect_leaks=0:detect_odr_violation=0:abort_on_error=1 \
		freeDiameterd -c "$IT_DIR/fd$n.conf"
	# Exited, or (asan flavour) shut down and stuck in exit(): see aaa_stop in lib-aaa.sh.
	it_wait_cmd 30 "freeDiameterd $n gives up" bash -c "! kill -0 $(it_pid "aaa$n") 2>/dev/null ||
		{ [ '$FLAVOUR' = asan ] && grep -q 'freeDiameterd framework is stopping' '$IT_DIR/aaa$n.log'; }"
	# A refusing freeDiameterd that reached its shutdown and sits in exit() (asan)
	# has nothing left to do: a second is enough before SIGKILL.
	it_stop "aaa$n" "$([ "$FLAVOUR" = asan ] && echo 1 || echo 5)"
	it_check "$1: freeDiameterd refuses to start (status $IT_RC)" test "$IT_RC" -ne 0
	local line
	line=$(grep -m1 'ERROR  aaa_naf: ' "$IT_DIR/aaa$n.log" | sed 's/.*ERROR  //')
	it_log "    $line"
	it_check "$1: error line /$2/" grep -Eq "ERROR  aaa_naf: $2" "$IT_DIR/aaa$n.log"
}

refuse "bad NAF FQDN" "$IT_DIR/bad1.conf:1: option 'naf-fqdn': 'not_a name' is not a valid DNS name" <<X
naf-fqdn = "not_a name"
X
refuse "bad Ua id" "$IT_DIR/bad2.conf:2: option 'ua-id': 'ff0000' is not 10 hex digits" <<X
naf-fqdn = "aaa.home.lab"
ua-id = "ff0000"
X
refuse "unknown key source" "$IT_DIR/bad3.conf:3: option 'key-sources': unknown key source 'ldap'" <<X
naf-fqdn = "aaa.home.lab"

key-sources = {"static", "ldap"}
X
refuse "nonce too short" "$IT_DIR/bad4.conf:2: option 'nonce-length': 8 is outside 16..64" <<X
naf-fqdn = "aaa.home.lab"
nonce-length = 8
X
refuse "unknown option" "$IT_DIR/bad5.conf:2: .*bogus" <<X
naf-fqdn = "aaa.home.lab"
bogus = 1
X
refuse "reserved SPI" "$IT_DIR/bad6.conf:4: option 'spi': 7 is reserved" <<X
naf-fqdn = "aaa.home.lab"
key-sources = {"static"}
static "mn@x.lab" {
	spi = 7
	secret = "s"
}
X
refuse "pool first > last" "$IT_DIR/bad7.conf:[0-9]+: section 'pool \"p\"'" <<X
naf-fqdn = "aaa.home.lab"
pool "p" {
	first = "10.0.0.9"
	last = "10.0.0.1"
}
X
refuse "gba-local without a store" "$IT_DIR/bad8.conf:2: option 'key-sources': 'gba-local' is listed" <<X
naf-fqdn = "aaa.home.lab"
key-sources = {"gba-local"}
X
refuse "static secrets readable by other" "$IT_DIR/bad9.conf: holds static MN-AAA secrets but is accessible by other \\(mode 0644\\)" 644 <<X
naf-fqdn = "aaa.home.lab"
key-sources = {"static"}
static "mn@x.lab" {
	spi = 300
	secret = "s"
}
X
chmod 644 "$store"
refuse "bootstrap store readable by other" "$store: gba-local store: .*chmod o-rwx" <<X
naf-fqdn = "aaa.home.lab"
key-sources = {"gba-local"}
gba-local {
	store = "$store"
}
X
chmod 600 "$store"
refuse "transient code not allowed" "$IT_DIR/bad11.conf:3: option 'unavailable-result-code': 2001" <<X
naf-fqdn = "aaa.home.lab"
zn {
	unavailable-result-code = 2001
}
X

# And the same store at 0600 loads.
cat >"$IT_DIR/good.conf" <<X
naf-fqdn = "aaa.home.lab"
key-sources = {"gba-local"}
gba-local {
	store = "$store"
}
X
aaa_fd_aaa "$IT_DIR/fd-good.conf" "$aport" "$IT_DIR/good.conf"
it_freediameterd good "$IT_DIR/fd-good.conf"
it_wait_log good "aaa_naf: ready: 0 static NAI\\(s\\), 1 bootstrap entries"
aaa_stop good
