#!/bin/bash
# aaa_naf with the zn key source when the BSF cannot help: down (no peer),
# slow (answers after the Zn timeout), lossy (drops every BIR), refusing our NAF
# (5402).  The AMR is answered quickly with the configured transient code, the
# AAA keeps serving, and every Diameter message of the run (AMR/AMA and BIR/BIA,
# plain TCP here) decodes in tshark without malformed or unknown AVPs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-aaa.sh"
it_setup aaa-zn-unavailable

aport=$(it_port 21050)
bport=$(it_port 21060)
cport=$(it_port 21070)
now=$(date +%s)
store=$IT_DIR/bsf.store
b1=$(aaa_store_add "$store" bsf.lab alice@ims.lab $((now + 86400)))
b2=$(aaa_store_add "$store" bsf.lab bob@ims.lab $((now + 86400)))
b3=$(aaa_store_add "$store" bsf.lab carol@ims.lab $((now + 86400)))
b4=$(aaa_store_add "$store" bsf.lab dave@ims.lab $((now + 86400)))

cat >"$IT_DIR/aaa-naf.conf" <<X
naf-fqdn = "$AAA_NAF_FQDN"
key-sources = {"zn"}
home-agent-address = "127.0.0.1"
zn {
	timeout-ms = 1000
	unavailable-result-code = 3002
}
pool "lab" {
	first = "10.77.2.1"
	last = "10.77.2.100"
}
X
# The BSF is a plain-TCP peer here so that tshark can read the Zn messages.
bsf_conf() { # DELAY DROP ALLOW
	cat >"$IT_DIR/bsf-lab.conf" <<X
store = "$store"
naf-allow = {"$3"}
delay-ms = $1
drop-percent = $2
X
	printf 'ALLOW_IPSEC *.home.lab\n' >"$IT_DIR/acl-bsf.conf"
	it_fd_conf "$IT_DIR/bsf.conf" bsf.bsf.lab bsf.lab "$bport" <<X
LoadExtension = "$IT_ROOT/$BUILD/dict/dict_zn.fdx";
LoadExtension = "$IT_ROOT/$BUILD/gba-lab/bsf_lab.fdx" : "$IT_DIR/bsf-lab.conf";
LoadExtension = "/usr/lib/freeDiameter/acl_wl.fdx" : "$IT_DIR/acl-bsf.conf";
X
}
aaa_fd_aaa "$IT_DIR/aaa.conf" "$aport" "$IT_DIR/aaa-naf.conf" "" \
	"ConnectPeer = \"bsf.bsf.lab\" { ConnectTo = \"127.0.0.1\"; Port = $bport; No_TLS; };"
aaa_fd_client "$IT_DIR/client.conf" "$cport" "$aport"
have_tshark=0
if command -v dumpcap >/dev/null && command -v tshark >/dev/null; then
	have_tshark=1
	it_capture cap "$IT_DIR/diameter.pcapng" "tcp port $aport or tcp port $bport"
fi
it_freediameterd aaa "$IT_DIR/aaa.conf"
it_wait_log aaa "aaa_naf: ready"

gba() { aaa_client "$1" --store "$store" --naf-fqdn "$AAA_NAF_FQDN" "${@:2}"; }
ms_of() { aaa_field "$IT_DIR/$1.out" "$2" latency_ms; }
within() { awk -v l="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(l >= lo && l <= hi) }'; }

# 1. BSF down: no route to the BSF realm, transient answer at once.
gba down --btid "$b1"
it_eq "BSF down: Result-Code" 3002 "$(aaa_field "$IT_DIR/down.out" 0 rc)"
it_eq "BSF down: E bit" 1 "$(aaa_field "$IT_DIR/down.out" 0 ebit)"
it_check "BSF down: Error-Message names the key source" grep -q 'err="key source unavailable: BSF answered 3002"' "$IT_DIR/down.out"
it_check "BSF down: answered within the Zn timeout ($(ms_of down 0) ms)" within "$(ms_of down 0)" 0 1500

# 2. BSF slow (2 s > 1 s Zn timeout): transient answer after ~1 s, never a hang.
bsf_conf 2000 0 "$AAA_NAF_FQDN:$AAA_UA"
it_freediameterd bsf "$IT_DIR/bsf.conf"
aaa_wait_bsf_peer 1
gba slow --btid "$b1" -n 3 -w 3
it_eq "BSF slow: 3 answers" 3 "$(aaa_summary "$IT_DIR/slow.out" answered)"
it_eq "BSF slow: all transient 3002" 3 "$(grep -c ' rc=3002 ' "$IT_DIR/slow.out")"
it_check "BSF slow: Error-Message says timeout" grep -q 'err="key source unavailable: BSF did not answer in time"' "$IT_DIR/slow.out"
it_check "BSF slow: bounded by the Zn timeout ($(ms_of slow 0) ms)" within "$(ms_of slow 0)" 900 2500
it_eq "BSF slow: coalesced into one BIR" 1 "$(aaa_birs)"
# Not cached as a refusal: once the BSF has answered (late), a new AMR asks again.
it_wait_log bsf "BIR #1 .*: 2001"
gba slow2 --btid "$b1"
it_eq "after a timeout the AAA asks again" 2 "$(aaa_birs)"
aaa_stop bsf

# 3. BSF dropping every BIR: transient answer after the Zn timeout.
bsf_conf 0 100 "$AAA_NAF_FQDN:$AAA_UA"
it_freediameterd bsf "$IT_DIR/bsf.conf"
aaa_wait_bsf_peer 2
gba drop --btid "$b2"
it_eq "BSF dropping: Result-Code" 3002 "$(aaa_field "$IT_DIR/drop.out" 0 rc)"
it_check "BSF dropping: bounded by the Zn timeout ($(ms_of drop 0) ms)" within "$(ms_of drop 0)" 900 2500
it_check "the BSF did drop it" grep -q "BIR #1 .*: dropped" "$IT_DIR/bsf.log"
aaa_stop bsf

# 4. BSF that does not know our NAF: 5402 → 4001 (permanent, not transient).
bsf_conf 0 0 "other-naf.home.lab:$AAA_UA"
it_freediameterd bsf "$IT_DIR/bsf.conf"
aaa_wait_bsf_peer 3
gba notallowed --btid "$b3"
it_eq "NAF not allowed: Result-Code" 4001 "$(aaa_field "$IT_DIR/notallowed.out" 0 rc)"
it_eq "NAF not allowed: Error-Message" "authentication rejected: BSF answered 5402" "$(aaa_err "$IT_DIR/notallowed.out" 0)"
aaa_stop bsf

# 5. Healthy BSF: everything works again on the same AAA.
bsf_conf 0 0 "$AAA_NAF_FQDN:$AAA_UA"
it_freediameterd bsf "$IT_DIR/bsf.conf"
aaa_wait_bsf_peer 4
gba healthy --btid "$b4"
it_eq "BSF back: Result-Code" 2001 "$(aaa_field "$IT_DIR/healthy.out" 0 rc)"
it_eq "BSF back: key matches" yes "$(aaa_field "$IT_DIR/healthy.out" 0 keymatch)"

aaa_stop aaa
aaa_stop bsf

if [ "$have_tshark" = 1 ]; then
	it_stop cap
	td() { tshark -r "$IT_DIR/diameter.pcapng" -d "tcp.port==$aport,diameter" -d "tcp.port==$bport,diameter" "$@" 2>/dev/null; }
	# Several messages may share a frame: count (command, R flag) pairs.
	pairs() { td -Y diameter -T fields -E aggregator=' ' -e diameter.cmd.code -e diameter.flags.request |
		awk -F'\t' '{ n = split($1, c, " "); split($2, r, " "); for (i = 1; i <= n; i++) print c[i], r[i] }'; }
	pairs >"$IT_DIR/pairs.txt"
	cnt() { grep -c "^$1 $2\$" "$IT_DIR/pairs.txt"; }
	n_amr=$(cnt 260 1); n_ama=$(cnt 260 0); n_bir=$(cnt 310 1); n_bia=$(cnt 310 0)
	it_check "tshark decodes AMR/AMA ($n_amr/$n_ama)" test "$n_amr" -eq 8 -a "$n_ama" -eq 8
	it_check "tshark decodes BIR/BIA ($n_bir/$n_bia)" test "$n_bir" -ge 4 -a "$n_bia" -ge 3
	it_eq "no malformed Diameter packet" 0 "$(td -Y '_ws.malformed' | wc -l)"
	it_eq "no unknown AVP" 0 "$(td -V -Y diameter | grep -c 'AVP: Unknown')"
	it_check "the AMA carries MIP-Session-Key and MIP-nonce" bash -c \
		"tshark -r '$IT_DIR/diameter.pcapng' -d 'tcp.port==$aport,diameter' -V -Y 'diameter.cmd.code == 260' 2>/dev/null | grep -q 'MIP-Session-Key' && tshark -r '$IT_DIR/diameter.pcapng' -d 'tcp.port==$aport,diameter' -V -Y 'diameter.cmd.code == 260' 2>/dev/null | grep -qi 'MIP-nonce'"
else
	it_log "tshark/dumpcap not installed: capture checks skipped"
fi
