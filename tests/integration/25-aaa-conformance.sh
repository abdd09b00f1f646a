#!/bin/bash
# aaa_naf against the RFC texts the issue-14 review found it breaking:
#  - SPIs 0-255 are reserved (RFC 5944 §1.6): an MN-AAA SPI there (CHAP_SPI 2
#    aside, RFC 4721) or a KeyGen Request asking for an MN SPI there gets 5004
#    DIAMETER_INVALID_AVP_VALUE with Failed-AVP and an Error-Message;
#  - the AMA is acceptable to a strict RFC 4004 peer (tests/peers/strict4004.py,
#    which discards a message with an M-bit AVP its dictionary lacks, RFC 6733
#    §4.1): MIP-MN-HA-SPI (491, RFC 5778) is left out unless mn-ha-spi-avp = true,
#    and then the same peer discards the answer.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-aaa.sh"
it_setup aaa-conformance

aport=$(it_port 21200)
cport=$(it_port 21210)
bport=$(it_port 21220)
now=$(date +%s)
store=$IT_DIR/bootstrap.store
b1=$(aaa_store_add "$store" bsf.lab alice@ims.lab $((now + 86400)))
strict_key=00112233445566778899aabbccddeeff

naf_conf() { # FILE MN-HA-SPI-AVP
	cat >"$1" <<X
naf-fqdn = "$AAA_NAF_FQDN"
ua-id = "$AAA_UA"
key-sources = {"static", "gba-local"}
home-agent-address = "127.0.0.1"
mn-ha-spi-avp = $2
static "strict@home.lab" {
	spi = 300
	secret-hex = "$strict_key"
}
gba-local {
	store = "$store"
}
X
	chmod 600 "$1"
}
naf_conf "$IT_DIR/aaa-naf.conf" false
aaa_fd_aaa "$IT_DIR/aaa.conf" "$aport" "$IT_DIR/aaa-naf.conf"
aaa_fd_client "$IT_DIR/client.conf" "$cport" "$aport"
it_freediameterd aaa "$IT_DIR/aaa.conf"
it_wait_log aaa "aaa_naf: ready"

gba() { aaa_client "$1" --store "$store" --naf-fqdn "$AAA_NAF_FQDN" --ua-id "$AAA_UA" --btid "$b1" --home-addr 10.1.0.60 "${@:2}"; }

# Reserved SPIs.
gba spi100 --spi 100
it_eq "MN-AAA SPI 100: Result-Code" 5004 "$(aaa_field "$IT_DIR/spi100.out" 0 rc)"
it_eq "MN-AAA SPI 100: Failed-AVP is MIP-MN-AAA-Auth" 322 "$(aaa_field "$IT_DIR/spi100.out" 0 failed)"
it_eq "MN-AAA SPI 100: Error-Message" "MIP-MN-AAA-SPI 100 is reserved (0-255; only CHAP_SPI 2 is defined)" \
	"$(aaa_err "$IT_DIR/spi100.out" 0)"
it_eq "MN-AAA SPI 100: no key handed out" 0 "$(aaa_field "$IT_DIR/spi100.out" 0 ha_mn_msa)"
gba spi255 --spi 255
it_eq "MN-AAA SPI 255: Result-Code" 5004 "$(aaa_field "$IT_DIR/spi255.out" 0 rc)"
gba spi0 --spi 0
it_eq "MN-AAA SPI 0: Result-Code" 5004 "$(aaa_field "$IT_DIR/spi0.out" 0 rc)"
gba chap --spi 2
it_eq "MN-AAA SPI 2 (CHAP_SPI, RFC 4721): served" 2001 "$(aaa_field "$IT_DIR/chap.out" 0 rc)"
gba spi256 --spi 256
it_eq "MN-AAA SPI 256: served" 2001 "$(aaa_field "$IT_DIR/spi256.out" 0 rc)"
gba mnspi --mn-spi 100
it_eq "KeyGen Request MN SPI 100: Result-Code" 5004 "$(aaa_field "$IT_DIR/mnspi.out" 0 rc)"
it_eq "KeyGen Request MN SPI 100: Failed-AVP is MIP-Reg-Request" 320 "$(aaa_field "$IT_DIR/mnspi.out" 0 failed)"
it_eq "KeyGen Request MN SPI 100: Error-Message" "the MN SPI 100 of the MN-HA KeyGen Request is reserved (0-255)" \
	"$(aaa_err "$IT_DIR/mnspi.out" 0)"

# The AMA by default: no MIP-MN-HA-SPI, acceptable to a strict RFC 4004 peer.
gba plain
it_eq "default AMA: MIP-MN-HA-SPI left out" - "$(aaa_field "$IT_DIR/plain.out" 0 mn_ha_spi)"
it_eq "default AMA: the key still matches the MN's derivation" yes "$(aaa_field "$IT_DIR/plain.out" 0 keymatch)"
strict() { # NAME PORT
	timeout 30 python3 tests/peers/strict4004.py --port "$2" --nai strict@home.lab --key "$strict_key" \
		>"$IT_DIR/$1.out" 2>&1
	STRICT_RC=$?
	sed 's/^/    strict4004: /' "$IT_DIR/$1.out"
}
strict strict "$aport"
it_eq "strict RFC 4004 peer: answer accepted" 0 "$STRICT_RC"
it_check "strict RFC 4004 peer: 2001 with both MSAs" grep -q '^accepted result=2001 .*mn_to_ha_msa=345,346,335 ha_to_mn_msa=345,346,343' "$IT_DIR/strict.out"
aaa_stop aaa

# mn-ha-spi-avp = true: 491 with the M bit, as RFC 5778 defines it; the strict
# peer discards that answer (what the independent stack did).
naf_conf "$IT_DIR/aaa-naf-491.conf" true
aaa_fd_aaa "$IT_DIR/aaa491.conf" "$bport" "$IT_DIR/aaa-naf-491.conf"
aaa_fd_client "$IT_DIR/client.conf" "$cport" "$bport"
it_freediameterd aaa491 "$IT_DIR/aaa491.conf"
it_wait_log aaa491 "aaa_naf: ready"
gba with491
it_eq "mn-ha-spi-avp = true: MIP-MN-HA-SPI = the MN SPI of the KeyGen Request" 4096 "$(aaa_field "$IT_DIR/with491.out" 0 mn_ha_spi)"
strict strict491 "$bport"
it_eq "strict RFC 4004 peer with 491 in the AMA: answer discarded" 3 "$STRICT_RC"
it_check "strict RFC 4004 peer: names 491 inside MIP-MN-to-HA-MSA" grep -q '^discarded unknown-mbit-avp=491 path=331/491' "$IT_DIR/strict491.out"
aaa_stop aaa491
