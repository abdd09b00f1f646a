#!/bin/bash
# The demo's flow as an assertion: one mobile node registers through the HA, the
# AAA/NAF and the BSF over TLS (RRQ with MN-AAA keyed by Ks_NAF → AMR → BIR/BIA →
# AMA → RRP with the RFC 3957 KeyGen Reply, checked by the MN with the key it
# derives), re-registers without the AAA (the HA's AMR counter does not move),
# deregisters (binding gone); no log holds the bootstrap key.
. "$(dirname "$0")/lib-e2e.sh"
e2e_setup e2e-demo 1
e2e_start bsf aaa ha
e2e_wait_peer 1

cat >"$IT_DIR/step.sh" <<X
#!/bin/bash
"$LAB_CTLBIN" -s "$LAB_CTL" stats >"$IT_DIR/stats-\$MIP4_MN_PHASE.json" &&
"$LAB_CTLBIN" -s "$LAB_CTL" bindings >"$IT_DIR/bindings-\$MIP4_MN_PHASE.json"
X
chmod +x "$IT_DIR/step.sh"
e2e_mn mn -v --reregs 1 --step-cmd "$IT_DIR/step.sh"
it_eq "mip4-mn exit status" 0 "$E2E_RC"
it_eq "phases and codes" "initial 0 rereg 0 dereg 0" "$(e2e_outcomes mn '"\(.phase) \(.code)"' | tr '\n' ' ' | sed 's/ $//')"
btid=$(awk '{print $1}' "$LAB_MN_STORE")
it_eq "NAI is the B-TID" "$btid" "$(e2e_outcomes mn .nai | sort -u)"
home=$(e2e_outcomes mn 'select(.phase == "initial") | .home')
it_check "home address $home assigned from the pool" bash -c "[[ '$home' == 10.23.* ]]"
it_eq "one new key, reported as a fingerprint" 1 "$(e2e_outcomes mn '.key_fp // empty' | wc -l)"
it_check "transcript: KeyGen Reply verified with the derived key" grep -q "reply authenticator verified with it" "$IT_DIR/mn.err"

s=$IT_DIR/stats-initial.json
it_eq "after the first registration: AMRs sent" 1 "$(jq -r .aaa.sent "$s")"
it_eq "after the first registration: AMA 2001" 1 "$(jq -r '.aaa.result_codes["2001"]' "$s")"
it_eq "after the first registration: bindings" 1 "$(jq -r .bindings_active "$s")"
b=$IT_DIR/bindings-initial.json
it_eq "binding home address" "$home" "$(jq -r '.bindings[0].home_address' "$b")"
it_eq "binding care-of address" 127.0.0.1 "$(jq -r '.bindings[0].care_of_address' "$b")"
it_eq "binding SA algorithm (RFC 3957 key)" hmac-sha1 "$(jq -r '.bindings[0].algorithm' "$b")"
it_eq "binding SA SPI (the MN SPI)" 4096 "$(jq -r '.bindings[0].spi' "$b")"

s=$IT_DIR/stats-rereg.json
it_eq "after the re-registration: AMRs sent (unchanged: no AAA)" 1 "$(jq -r .aaa.sent "$s")"
it_eq "after the re-registration: served locally" 1 "$(jq -r .registrations_local "$s")"
it_eq "after the deregistration: bindings" 0 "$(jq -r .count "$IT_DIR/bindings-dereg.json")"
it_eq "after the deregistration: AMRs sent" 1 "$(jq -r .aaa.sent "$IT_DIR/stats-dereg.json")"

it_eq "BSF: one BIR, answered 2001" 1 "$(e2e_count_fixed bsf "bsf_lab: BIR #1 B-TID $btid NAF-Id 6161612e6c61622e6578616d706c65ff00000001: 2001")"
it_eq "AAA: one AMR received from the HA" 1 "$(it_count_log aaa "RCV from 'ha.lab.example': .*2/260 f:RP")"
it_eq "AAA: one AMA sent to the HA" 1 "$(it_count_log aaa "SND to 'ha.lab.example': 'AA-Mobile-Node-Answer'")"
if [ "$LAB_TLS" = 1 ]; then
	it_check "HA: AAA connection over TLS" grep -q "AAA over TLS" "$IT_DIR/ha.log"
	it_check "AAA: BSF connection over TLS" grep -q "CONNECTED TO 'bsf.lab.example' (TCP,TLS" "$IT_DIR/aaa.log"
fi
ks=$(awk '{print $4}' "$LAB_MN_STORE")
it_check "no log holds Ks" bash -c "! grep -qi '$ks' '$IT_DIR'/*.log '$IT_DIR'/mn.*"

# mip4-mn's command line: --help names every long option; a bad one is a
# one-line error with exit status 2.
"$LAB_MN" --help >"$IT_DIR/help.txt"
it_eq "mip4-mn --help exit status" 0 "$?"
missing=$(grep -oE '^\s*\{"[a-z-]+",' mip4-mn/opts.c | grep -oE '[a-z-]+' |
	while read -r o; do grep -q -- "--$o\b" "$IT_DIR/help.txt" || echo "$o"; done)
it_eq "options missing from --help" "" "$missing"
"$LAB_MN" --rate fast --store x 2>"$IT_DIR/bad.txt"
it_eq "bad argument: exit status" 2 "$?"
it_eq "bad argument: one line" 1 "$(wc -l <"$IT_DIR/bad.txt")"

for n in ha aaa bsf; do
	it_stop "$n" 30
	it_eq "$n exit status after SIGTERM" 0 "$IT_RC"
done
e2e_check_capture
