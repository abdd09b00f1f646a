#!/bin/bash
# mip4-mn against the real HA: static MN-HA keys (no AAA); a wrong static key
# (the HA's signed 131 fails the MN's check: dropped, the operation times out);
# a skewed MN clock (133 from the HA, the MN resynchronises from the reply and
# is accepted, for a GBA first registration and for a static node); the HA
# down (retransmissions with back-off, then a timeout).
. "$(dirname "$0")/lib-e2e.sh"
e2e_setup e2e-mn 2
key=00112233445566778899aabbccddeeff
lab_conf_ha <<X
sa "10.23.50.1" { spi = 300 algorithm = "hmac-md5" key = "$key" }
sa "10.23.50.2" { spi = 301 algorithm = "hmac-sha1" key = "$key$key" }
X
e2e_start bsf aaa ha
e2e_wait_peer 1
static=(--static-spi 300 --static-key "$key" --home-addr 10.23.50.1)

e2e_mn_static static "${static[@]}" --reregs 2 -v
it_eq "static key: every step accepted" "0 0 0 0" "$(e2e_outcomes static .code | tr '\n' ' ' | sed 's/ $//')"
e2e_mn_static sha1 --static-spi 301 --static-alg hmac-sha1 --static-key "$key$key" --home-addr 10.23.50.2 --reregs 1
it_eq "static HMAC-SHA1 key: every step accepted" "0 0 0" "$(e2e_outcomes sha1 .code | tr '\n' ' ' | sed 's/ $//')"
it_eq "static keys: no AMR sent" 0 "$(e2e_stat .aaa.sent)"

e2e_mn_static wrong --static-spi 300 --static-key ffeeddccbbaa99887766554433221100 --home-addr 10.23.50.1 \
	--reregs 0 --timeout 200 --retries 1
it_eq "wrong static key: timed out" -1 "$(e2e_outcomes wrong .code)"
it_check "wrong static key: the HA's replies were dropped by the MN" [ "$(e2e_summary wrong .bad_auth)" -ge 1 ]
it_check "wrong static key: the HA said 131" grep -q "home=10.23.50.1 coa=127.0.0.1 code=131" "$IT_DIR/ha.log"

e2e_mn skew_gba --clock-offset -100 --reregs 1 -v
it_eq "GBA node 100 s behind: every step accepted" "0 0 0" "$(e2e_outcomes skew_gba .code | tr '\n' ' ' | sed 's/ $//')"
it_eq "GBA node 100 s behind: one resynchronisation" 1 "$(e2e_summary skew_gba .resyncs)"
it_check "GBA node: resynchronised from an unsigned 133" grep -q "RRP code 133 (identification mismatch, unauthenticated hint)" "$IT_DIR/skew_gba.err"
e2e_mn_static skew_static "${static[@]}" --clock-offset 3600 --reregs 1 -v
it_eq "static node an hour ahead: every step accepted" "0 0 0" "$(e2e_outcomes skew_static .code | tr '\n' ' ' | sed 's/ $//')"
it_eq "static node: one resynchronisation" 1 "$(e2e_summary skew_static .resyncs)"
it_check "static node: resynchronised from a signed 133" grep -q "RRP code 133 (identification mismatch, authenticated)" "$IT_DIR/skew_static.err"

it_stop ha 30
t0=$(date +%s%N)
e2e_mn_static down "${static[@]}" --reregs 0 --no-dereg --timeout 100 --timeout-max 400 --retries 3 -v
ms=$((($(date +%s%N) - t0) / 1000000))
it_eq "HA down: timed out" -1 "$(e2e_outcomes down .code)"
it_eq "HA down: retransmissions" 3 "$(e2e_summary down .retransmits)"
it_eq "HA down: transmissions" 4 "$(grep -c -- '-> HA: RRQ\|no reply, retransmission' "$IT_DIR/down.err" | awk '{print $1}')"
# Back-off 100 + 200 + 400 + 400 (capped) ms.
it_check "HA down: gave up after the back-off schedule ($ms ms, want 1100-3000)" [ "$ms" -ge 1100 -a "$ms" -lt 3000 ]
e2e_check_capture
