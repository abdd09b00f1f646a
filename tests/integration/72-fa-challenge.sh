#!/bin/bash
# RFC 4721 challenges and the MN-FA association at fa1, then a home agent that
# does not answer: mip4-mn registers answering the advertised challenge under
# its MN-FA authenticator; rrq.py (an independent client) gets 105 without a
# challenge, 106 for a challenge used before, 104 for a made-up one and for one
# advertised three advertisements ago, 0 for the one the last reply gave it,
# 67 with a wrong MN-FA key; every reply to the node carries a new challenge
# and a valid MN-FA authenticator.  The HA stopped with SIGSTOP: 78 after
# registration-timeout; the HA gone: the ICMP port unreachable becomes 82.
# tshark: the challenge and MN-FA authenticator on the visited link, neither in
# what is relayed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ha.sh"
. "$(dirname "$0")/lib-fa.sh"
it_setup fa-challenge
fa_lab_setup

fa_ha_conf "$IT_DIR/ha.conf"
fa_fa_conf "$IT_DIR/fa1.conf" v1 <<X
challenges = true
challenge-length = 8
challenge-window = 2
registration-timeout = 2
mn "$FA_HOME" {
	spi = 500
	key = "$FA_MN_FA_KEY"
}
X
fa_capture cap fa1 "$IT_DIR/fa1.pcapng" v1 up0
fa_start_ha ha "$IT_DIR/ha.conf"
fa_start_fa fa1 fa1 "$IT_DIR/fa1.conf"

fa_mn reg --reregs 1 --no-dereg --fa-spi 500 --fa-key "$FA_MN_FA_KEY" || it_fail "mip4-mn with challenges failed"
it_eq "mip4-mn answers the challenges" "initial:0:$FA1_COA rereg:0:$FA1_COA" "$(fa_mn_outcomes reg)"
it_eq "no challenge refused" 0 "$(fa_stat fa1 'denied' | jq 'length')"

gap() { sleep 1.1; } # RFC 5944 §3.7.2: one denial a second per node
F=(--fa-key "$FA_MN_FA_KEY")
fa_rrq missing "${F[@]}" || it_fail "no reply"
it_eq "no challenge: 105" 105 "$(fa_field missing code)"
it_eq "denial signed with MN-FA" ok "$(fa_field missing fa_auth)"
it_check "denial carries a new challenge" test -n "$(fa_field missing challenge)"
fa_rrq advert --challenge advert "${F[@]}" || it_fail "no reply"
it_eq "advertised challenge: accepted" 0 "$(fa_field advert code)"
it_eq "reply signed by the HA" ok "$(fa_field advert auth)"
it_eq "reply signed with MN-FA" ok "$(fa_field advert fa_auth)"
fa_rrq replay --challenge last "${F[@]}" || it_fail "no reply"
it_eq "the same challenge again: 106 stale" 106 "$(fa_field replay code)"
gap
fa_rrq reply --challenge reply "${F[@]}" || it_fail "no reply"
it_eq "the challenge of the last reply: accepted" 0 "$(fa_field reply code)"
fa_rrq madeup --challenge 0102030405060708 "${F[@]}" || it_fail "no reply"
it_eq "a made-up challenge: 104 unknown" 104 "$(fa_field madeup code)"
old=$(fa_ns mn python3 -c "
import sys; sys.path.insert(0, '$IT_ROOT/tests/integration')
import rrq; print(rrq.advert_challenge('br0', 5).hex())")
it_wait_cmd 10 "three more advertisements" bash -c "[ \"\$('$HA_CTL' -s '$IT_DIR/fa1.sock' stats | jq .advertisements)\" -ge \$(( $(fa_stat fa1 advertisements) + 3 )) ]"
fa_rrq old --challenge "$old" "${F[@]}" || it_fail "no reply"
it_eq "a challenge advertised three advertisements ago (window 2): 104" 104 "$(fa_field old code)"
gap
fa_rrq wrongkey --challenge reply --fa-key 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b || it_fail "no reply"
it_eq "wrong MN-FA key: 67" 67 "$(fa_field wrongkey code)"
it_eq "FA denials counted" "1 1 2 1" \
	"$(fa_stat fa1 denied.105) $(fa_stat fa1 denied.106) $(fa_stat fa1 denied.104) $(fa_stat fa1 denied.67)"

# The home agent silent, then gone.
it_signal ha STOP
fa_mn silent --reregs 0 --no-dereg --fa-spi 500 --fa-key "$FA_MN_FA_KEY" --timeout 5000
it_eq "HA silent: 78" "initial:78:$FA1_COA" "$(fa_mn_outcomes silent)"
rtt=$(jq -r 'select(.phase == "initial") | .rtt_us' "$IT_DIR/silent.json")
it_check "78 after registration-timeout, 2 s, checked each second ($rtt us)" test "$rtt" -ge 2000000 -a "$rtt" -le 4500000
it_eq "FA timeouts counted" 1 "$(fa_stat fa1 timeouts)"
it_signal ha CONT
it_stop ha 10
fa_mn gone --reregs 0 --no-dereg --fa-spi 500 --fa-key "$FA_MN_FA_KEY" --timeout 5000
it_eq "HA gone: ICMP port unreachable → 82" "initial:82:$FA1_COA" "$(fa_mn_outcomes gone)"
it_eq "FA ICMP errors counted" 1 "$(fa_stat fa1 icmp_errors)"

it_stop fa1 10
it_eq "mip4-fa SIGTERM: exit status" 0 "$IT_RC"
it_stop cap

ts() { tshark -r "$IT_DIR/fa1.pcapng" -d udp.port==434,mip "$@" 2>>"$IT_DIR/tshark.err"; }
count() { ts -Y "$1" -T fields -e frame.number | wc -l; }
it_eq "no malformed Mobile IP packet" 0 "$(count 'mip && _ws.malformed')"
it_eq "every request from the node answers a challenge, but the one that got 105" 1 \
	"$(count "mip.type == 1 && ip.src == $FA_HOME && !(mip.ext.type == 132)")"
it_eq "every request from the node carries an MN-FA authenticator" 0 \
	"$(count "mip.type == 1 && ip.src == $FA_HOME && !(mip.ext.type == 33)")"
relayed="mip.type == 1 && ip.src == $FA1_COA && ip.dst == $FA_HA_ADDR"
it_check "requests were relayed" test "$(count "$relayed")" -ge 5
it_eq "relayed requests keep neither challenge nor MN-FA authenticator (RFC 5944 §3.7.2.2)" 0 \
	"$(count "$relayed && (mip.ext.type == 33 || mip.ext.type == 132)")"
to_node="mip.type == 3 && ip.src == $FA1_COA && ip.dst == $FA_HOME"
it_eq "every reply to the node carries a new challenge and MN-FA authentication" 0 \
	"$(count "$to_node && !(mip.ext.type == 132 && mip.ext.type == 33)")"
