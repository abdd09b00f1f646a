#!/bin/bash
# Foreign-agent care-of mode with the AAA (RFC 4004 §1.2, §5; RFC 3957), the
# AAA and home agent halves: amrclient plays the foreign agent (its AMR carries
# a Registration Request as an MN sends it through an FA: care-of address of the
# FA, FA challenge, MN-HA and MN-FA KeyGen Requests, MN-AAA keyed with Ks_NAF of
# a GBA bootstrap), the AAA/NAF verifies it, derives the MN-HA and MN-FA keys
# (two nonces), makes an FA-HA key and sends a HAR to mip4-ha, which answers the
# HAA with its Registration Reply.  Checked as the MN and the FA would: the reply
# verifies with the MN-HA key derived from its KeyGen Reply and with the FA-HA
# key of the AMA, and the MN-FA key of the AMA is the one the MN derives from
# MIP-MN-to-FA-MSA's nonce.  Then the failures: the HA denies (4005, its reply
# relayed unchanged, nothing installed), the HA is not connected (4006), the
# MN-AAA authenticator is wrong (4001, no HAR), the home agent is unknown to
# the AAA (5012).  tshark decodes every
# AMR/AMA/HAR/HAA (plain TCP) with no malformed or unknown AVP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-aaa.sh"
. "$(dirname "$0")/lib-ha.sh"
it_setup fa-aaa

aport=$(it_port 22200)
cport=$(it_port 22210)
HA_PORT=$(it_port 22220)
now=$(date +%s)
store=$IT_DIR/bootstrap.store
b1=$(aaa_store_add "$store" bsf.lab alice@ims.lab $((now + 86400)))
(
	umask 077
	cat >"$IT_DIR/aaa-naf.conf" <<X
naf-fqdn = "$AAA_NAF_FQDN"
key-sources = {"gba-local"}
gba-local {
	store = "$store"
}
pool "lab" {
	first = "10.1.7.1"
	last = "10.1.7.10"
}
home-agent "ha.home.lab" {
	address = "127.0.0.1"
}
home-agent "ha2.home.lab" {
	address = "127.0.0.9"
}
har-timeout-ms = 2000
fa-ha-spi = 777
X
)
aaa_fd_aaa "$IT_DIR/aaa.conf" "$aport" "$IT_DIR/aaa-naf.conf" ""
aaa_fd_client "$IT_DIR/client.conf" "$cport" "$aport"
have_tshark=0
if command -v dumpcap >/dev/null && command -v tshark >/dev/null; then
	have_tshark=1
	it_capture cap "$IT_DIR/diameter.pcapng" "tcp port $aport"
else
	it_log "note: no dumpcap/tshark: the Diameter decode checks are skipped"
fi
it_freediameterd aaa "$IT_DIR/aaa.conf"
it_wait_log aaa "aaa_naf: ready"
{
	printf 'log_level = "debug"\n'
	ha_diameter_section "$aport"
} | ha_conf "$IT_DIR/ha.conf" "$HA_PORT"
ha_start ha "$IT_DIR/ha.conf"
it_wait_log aaa "-> 'STATE_OPEN'[[:space:]]+'ha.home.lab'" 30

# hs FIELD...: the HA's counters, one value per line (jq: quicker than python here).
hs() { local f; f=$(printf '.%s // 0, ' "$@"); ha_ctl ha stats | jq -r "${f%, }"; }
# fa_client NAME ARGS...: amrclient as the foreign agent; its answer line is
# what counts (its own exit, libfdproto's shutdown, is not under test).
fa_client() {
	aaa_client "$@"
	grep -q '^amr seq=0 ' "$IT_DIR/$1.out" || it_fail "$1: no answer from the AAA"
}

FA=(--store "$store" --naf-fqdn "$AAA_NAF_FQDN" --btid "$b1" --ha-addr 127.0.0.1 --coa 192.0.2.44 --mn-spi 4096)

# The happy path.
fa_client ok "${FA[@]}" --home-addr 10.1.0.44 -C fa-mode
o=$IT_DIR/ok.out
it_eq "AMA Result-Code" 2001 "$(aaa_field "$o" 0 rc)"
it_eq "AMA carries the home agent's reply" 1 "$(aaa_field "$o" 0 reg_reply)"
it_eq "reply code" 0 "$(aaa_field "$o" 0 rrp_code)"
it_eq "reply verifies with the MN-HA key the MN derives from its KeyGen Reply (SPI 4096)" yes "$(aaa_field "$o" 0 rrp_mn_ha)"
it_eq "reply carries an FA-HA authenticator that verifies with MIP-FA-to-HA-MSA's key and SPI" yes "$(aaa_field "$o" 0 rrp_fa_ha)"
it_eq "MIP-FA-to-MN-MSA's key (SPI 4097) is the MN-FA key the MN derives from MIP-MN-to-FA-MSA's nonce" yes "$(aaa_field "$o" 0 mn_fa_key)"
it_eq "no MN-HA key in the AMA (the FA must not know it)" 0 "$(aaa_field "$o" 0 ha_mn_msa)"
it_eq "MIP-Mobile-Node-Address" 10.1.0.44 "$(aaa_field "$o" 0 mnaddr)"
it_eq "MIP-Home-Agent-Address" 127.0.0.1 "$(aaa_field "$o" 0 haaddr)"
it_eq "MIP-MSA-Lifetime" 3600 "$(aaa_field "$o" 0 msa_life)"
it_eq "HA: one HAR served, counted as a registration through the AAA, no AMR of its own, one SA" "1 1 0 1" \
	"$(hs har_requests registrations_aaa aaa.sent sas_active | xargs)"
it_eq "HA: binding to the FA's care-of address" 192.0.2.44 "$(ha_ctl ha bindings | jq -r '.bindings[0].care_of_address')"
it_check "HA logs the outcome via=har" grep -Fq "info: registration mn=$b1 home=10.1.0.44 coa=192.0.2.44 code=0 lifetime=600 via=har" "$IT_DIR/ha.log"

# The HA denies (home address outside its home networks): HAA and AMA 4005,
# the reply relayed, nothing installed at the HA.
fa_client denied "${FA[@]}" --home-addr 10.9.0.1 -C fa-mode
o=$IT_DIR/denied.out
it_eq "HA denial: AMA 4005 (MIP_REPLY_FAILURE)" 4005 "$(aaa_field "$o" 0 rc)"
it_eq "HA denial: the HA's reply is in the AMA" 1 "$(aaa_field "$o" 0 reg_reply)"
it_eq "HA denial: reply code 129 (administratively prohibited)" 129 "$(aaa_field "$o" 0 rrp_code)"
it_eq "HA denial: no keys for the FA" 0 "$(aaa_field "$o" 0 fa_ha_msa)"
it_eq "HA denial: nothing installed (bindings, SAs: the first node's only)" "1 1" "$(hs bindings_active sas_active | xargs)"

# A home agent the AAA knows but that is not connected: 4006.
fa_client gone "${FA[@]}" --ha-addr 127.0.0.9 --home-addr 10.1.0.45 -C fa-mode
it_eq "HA not connected: AMA 4006 (HA_NOT_AVAILABLE)" 4006 "$(aaa_field "$IT_DIR/gone.out" 0 rc)"
err=$(aaa_err "$IT_DIR/gone.out" 0)
it_check "… with an Error-Message naming it ($err)" test "${err/ha2.home.lab/}" != "$err"

# A wrong MN-AAA authenticator: 4001, no HAR.
fa_client wrong "${FA[@]}" --home-addr 10.1.0.47 -C fa-wrong-key
it_eq "wrong MN-AAA authenticator: AMA 4001" 4001 "$(aaa_field "$IT_DIR/wrong.out" 0 rc)"
it_eq "… without keys or reply" "0 0" "$(aaa_field "$IT_DIR/wrong.out" 0 fa_ha_msa) $(aaa_field "$IT_DIR/wrong.out" 0 reg_reply)"

# A home agent the AAA does not know: 5012, no HAR.
fa_client unknown "${FA[@]}" --ha-addr 127.0.0.7 --home-addr 10.1.0.46 -C fa-mode
it_eq "unknown HA: AMA 5012" 5012 "$(aaa_field "$IT_DIR/unknown.out" 0 rc)"
it_eq "HARs served in all: the accepted and the denied one" 2 "$(hs har_requests)"

it_stop ha 20
it_eq "mip4-ha SIGTERM: exit status" 0 "$IT_RC"
aaa_stop aaa
it_check "no Ks_NAF-derived key material in the logs: nothing at debug looks like a MIP-Session-Key dump" \
	bash -c "! grep -qi 'Session-Key' '$IT_DIR/ha.log'"
if [ "$have_tshark" = 1 ]; then
	it_stop cap
	td() { tshark -r "$IT_DIR/diameter.pcapng" -d "tcp.port==$aport,diameter" "$@" 2>/dev/null; }
	it_eq "no malformed Diameter packet, no expert error" 0 \
		"$(td -Y 'diameter && (_ws.malformed || _ws.expert.severity == error)' | wc -l)"
	it_eq "no unknown AVP" 0 "$(td -V -Y diameter | grep -c 'AVP: Unknown')"
	# One line per message with the named AVPs (the diameter,avp tap).
	td -q -z diameter,avp,260,Result-Code,MIP-FA-to-MN-MSA,MIP-MN-to-FA-MSA,MIP-FA-to-HA-MSA,MIP-HA-to-MN-MSA \
		-z diameter,avp,262,Result-Code,MIP-HA-to-FA-MSA,MIP-HA-to-MN-MSA,MIP-MN-to-HA-MSA,MIP-Reg-Reply \
		>"$IT_DIR/tap.txt"
	# msgs PATTERN...: messages (tap lines) matching every PATTERN.
	msgs() {
		local f="$IT_DIR/tap.txt" p n=0
		cp "$f" "$IT_DIR/tap.sel"
		for p in "$@"; do grep -E -- "$p" "$IT_DIR/tap.sel" >"$IT_DIR/tap.tmp"; mv "$IT_DIR/tap.tmp" "$IT_DIR/tap.sel"; done
		n=$(wc -l <"$IT_DIR/tap.sel")
		echo "$n"
	}
	amr="is_request='1' cmd='260'" ama="is_request='0' cmd='260'" har="is_request='1' cmd='262'" haa="is_request='0' cmd='262'"
	it_eq "AMRs, AMAs, HARs (only to the connected HA), HAAs" "5 5 2 2" "$(msgs "$amr") $(msgs "$ama") $(msgs "$har") $(msgs "$haa")"
	it_eq "HARs with MIP-MN-to-HA-MSA, MIP-HA-to-MN-MSA, MIP-HA-to-FA-MSA" 2 \
		"$(msgs "$har" "MIP-MN-to-HA-MSA=" "MIP-HA-to-MN-MSA=" "MIP-HA-to-FA-MSA=")"
	it_eq "HAAs with MIP-Reg-Reply: 2001 and 4005" "1 1" \
		"$(msgs "$haa" "Result-Code='2001'" "MIP-Reg-Reply=") $(msgs "$haa" "Result-Code='4005'" "MIP-Reg-Reply=")"
	it_eq "AMA 2001 with MIP-FA-to-MN-MSA, MIP-MN-to-FA-MSA, MIP-FA-to-HA-MSA" 1 \
		"$(msgs "$ama" "Result-Code='2001'" "MIP-FA-to-MN-MSA=" "MIP-MN-to-FA-MSA=" "MIP-FA-to-HA-MSA=")"
	it_eq "no AMA carries MIP-HA-to-MN-MSA (the MN-HA key is for the HA only)" 0 "$(msgs "$ama" "MIP-HA-to-MN-MSA=")"
	it_eq "AMAs 4005, 4006 and 4001" "1 1 1" \
		"$(msgs "$ama" "Result-Code='4005'") $(msgs "$ama" "Result-Code='4006'") $(msgs "$ama" "Result-Code='4001'")"
fi
