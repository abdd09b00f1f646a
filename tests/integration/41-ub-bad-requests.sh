#!/bin/bash
# The BSF against bad Ub requests (tests/integration/ubreq.py builds them by
# hand): every one gets its HTTP status and nothing is kept -- no header, not
# Digest, unparsable, two Authorization headers (400), PUT (405), another path
# (404), oversized headers (431), a realm not the BSF's (403, no MAR), an
# unknown IMPI (403), a wrong response (403, the challenge is gone: the same
# nonce again gets a fresh challenge), directives that do not match the
# challenge (400), a replayed successful request (401 and a new challenge), a
# right answer after the nonce timed out (401 stale=TRUE, then 200), and a
# USIM with the wrong K (MAC failure: the network is not authentic; 403).
LAB_TLS=0
LAB_UB_EXTRA="nonce-timeout = 2"
. "$(dirname "$0")/lib-ub.sh"
ub_setup ub-bad-requests 2
ub_start hss bsf
req() { python3 "$IT_ROOT/tests/integration/ubreq.py" 127.0.0.1 "$LAB_UB_PORT" "$@" 2>>"$IT_DIR/ubreq.err"; }
status() { req "$@" | awk '{print $2}' | tr '\n' ' ' | sed 's/ $//'; }
impi=mn000000@ims.lab.example realm=$LAB_BSF_DOMAIN
mars() { it_count_log hss 'hss_lab: MAR #'; }

it_eq "no Authorization header" 400 "$(status no-header)"
it_check "... explained in the log" grep -q "400 (no Authorization header: the first request carries Digest username=IMPI" "$IT_DIR/bsf.log"
it_eq "Basic instead of Digest" 400 "$(status basic)"
it_eq "unparsable Digest" 400 "$(status garbage)"
it_check "... with the parser's reason" grep -q "400 (Authorization is not a Digest credential (syntax))" "$IT_DIR/bsf.log"
it_eq "two Authorization headers" 400 "$(status two-headers)"
it_eq "PUT" 405 "$(status put)"
it_eq "another path" 404 "$(status other-path)"
it_eq "16 KiB of headers: 431 (RFC 6585)" 431 "$(status oversized)"
it_eq "nothing so far reached the HSS" 0 "$(mars)"

it_eq "a realm not the BSF's" 403 "$(status initial "$impi" other.example)"
it_eq "... no MAR for it" 0 "$(mars)"
it_eq "an unknown IMPI" 403 "$(status initial nobody@ims.lab.example "$realm")"
it_eq "... the HSS said so" 1 "$(it_count_log hss 'MAR #1 IMPI nobody@ims.lab.example: 5001 \(unknown IMPI\)')"

req wrong-response "$impi" "$realm" >"$IT_DIR/wrong.txt"
it_eq "wrong response: 401, 403, then the same nonce gets a new challenge" "401 403 401" "$(awk '{print $2}' "$IT_DIR/wrong.txt" | tr '\n' ' ' | sed 's/ $//')"
n1=$(sed -n 1p "$IT_DIR/wrong.txt" | grep -o 'nonce=.*') n3=$(sed -n 3p "$IT_DIR/wrong.txt" | grep -o 'nonce=.*')
it_check "... a different nonce the third time" [ -n "$n1" ] && [ "$n1" != "$n3" ]
it_check "... logged as a user authentication failure" grep -q "IMPI $impi: 403 (wrong response: user authentication failed (challenge dropped))" "$IT_DIR/bsf.log"
it_check "... and the used nonce as unknown" grep -q "IMPI $impi: 401 (unknown or already used nonce: challenge sent)" "$IT_DIR/bsf.log"
for d in qop uri opaque algorithm nc; do
	it_eq "challenge answered with a wrong $d" "401 400" "$(status bad-directive "$impi" "$realm" "$d")"
done

# Stale: the answer comes after nonce-timeout (2 s) and before the BSF forgets
# the challenge (two timeouts): 1 s of margin either way on a loaded machine.
ub_mn stale --impi "$impi" --ub-answer-delay 3000 -v
it_eq "late right answer: stale=TRUE challenge, then 200" "200 2 1" "$(ub_runs stale '"\(.status) \(.challenges) \(.stale)"')"
it_check "BSF: right response to a stale nonce" grep -q "IMPI $impi: 401 (right response to a stale nonce: challenge sent with stale=TRUE)" "$IT_DIR/bsf.log"

# Replay of the request that got the 200.
authz=$(grep -B2 'Ub <- BSF: 200' "$IT_DIR/stale.err" | grep -o 'Authorization: Digest .*' | tail -1 | sed 's/^Authorization: //')
it_check "the successful Authorization found in the transcript" [ -n "$authz" ]
it_eq "replayed: a new challenge, no 200" 401 "$(status replay "$authz")"
it_eq "... logged as an unknown or used nonce" 2 "$(it_count_log bsf "IMPI $impi: 401 \(unknown or already used nonce")"

# A USIM whose K is not the HSS's: AUTN's MAC fails, the node says so.
(umask 077; sed "1s/k=[0-9a-f]*/k=000102030405060708090a0b0c0d0e0f/" "$LAB_SUBS_MN" | head -1 >"$IT_DIR/wrongk.subs")
"$LAB_MN" --ub-only --subscriber "$IT_DIR/wrongk.subs" --bsf "$(lab_ub_url)" --bsf-address 127.0.0.1 --json -v \
	>"$IT_DIR/wrongk.json" 2>"$IT_DIR/wrongk.err"
it_eq "wrong K: mip4-mn exit status" 1 "$?"
it_eq "wrong K: MAC failure reported, answered 403" "true 403" "$(jq -r 'select(.summary | not) | "\(.mac_failure) \(.status)"' "$IT_DIR/wrongk.json")"
it_check "wrong K: the reason" grep -q "network authentication failed (AUTN's MAC-A is wrong" "$IT_DIR/wrongk.err"

it_check "no 5xx at all" bash -c "! grep -qE 'bsf_lab: Ub #[0-9]+ .*: 5[0-9][0-9] ' '$IT_DIR/bsf.log'"
it_stop_fd bsf
it_eq "BSF exit status" 0 "$IT_RC"
it_check "nothing kept: one bootstrap in all (the stale run's)" grep -qE "bsf_lab: Ub: [0-9]+ requests, 1 bootstraps" "$IT_DIR/bsf.log"
