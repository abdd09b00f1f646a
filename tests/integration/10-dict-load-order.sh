#!/bin/bash
# dict_mip4.fdx, dict_zn.fdx and dict_zh.fdx load in the stock freeDiameterd
# together with the stock dictionaries that define some of the same objects
# (dict_mip6i/dict_mip6a: RFC 4004 AVPs; dict_dcca_3gpp: 3GPP vendor, Zn and the
# Zh AVPs 601-626; dict_sip: RFC 4740 AVPs of the same names under vendor 0 and
# its own Multimedia-Auth-Request 286), ours first and ours last, and the
# daemon exits cleanly on SIGTERM each time.  A conflicting definition in ours
# would make fd_dict_new fail and freeDiameterd refuse to start.
. "$(dirname "$0")/lib.sh"
it_setup dict-load-order

stock=(dict_nasreq dict_eap dict_rfc5777 dict_mip6i dict_mip6a dict_dcca dict_dcca_3gpp dict_sip)
ours=("$IT_ROOT/$BUILD/dict/dict_mip4.fdx" "$IT_ROOT/$BUILD/dict/dict_zn.fdx" "$IT_ROOT/$BUILD/dict/dict_zh.fdx")
for f in "${ours[@]}"; do
	it_check "$f built" test -f "$f"
done

run_order() { # NAME PORT EXTENSION...
	local name=$1 port=$2 ext
	shift 2
	for ext in "$@"; do
		printf 'LoadExtension = "%s";\n' "$ext"
	done | it_fd_conf "$IT_DIR/$name.conf" "$name.dict.lab" dict.lab "$port"
	it_log "$name: load order: $(printf '%s ' "${@##*/}")"
	it_freediameterd "$name" "$IT_DIR/$name.conf"
	it_wait_tcp "$port"
	it_check "$name: dict_mip4 initialised" grep -q "Diameter Mobile IPv4 (RFC 4004)' initialized" "$IT_DIR/$name.log"
	it_check "$name: dict_zn initialised" grep -q "3GPP Zn (TS 29.109)' initialized" "$IT_DIR/$name.log"
	it_check "$name: dict_zh initialised" grep -q "3GPP Zh (TS 29.109)' initialized" "$IT_DIR/$name.log"
	for ext in "$@"; do
		it_check "$name: ${ext##*/} loaded" grep -q "Loaded extensions: '$ext'.*loaded" "$IT_DIR/$name.log"
	done
	it_check "$name: no error logged" bash -c "! grep -E ' ERROR | FATAL! ' '$IT_DIR/$name.log' | grep -v 'Initiating freeDiameter shutdown'"
	it_stop "$name" 30
	it_eq "$name: freeDiameterd exit status after SIGTERM" 0 "$IT_RC"
	it_check "$name: port $port closed" bash -c "! ss -Hltn 'sport = :$port' | grep -q ."
}

stock_paths=()
for s in "${stock[@]}"; do stock_paths+=("/usr/lib/freeDiameter/$s.fdx"); done

port=$(it_port 20000)
run_order ours-first "$port" "${ours[@]}" "${stock_paths[@]}"
run_order ours-last $((port + 1)) "${stock_paths[@]}" "${ours[@]}"
# dict_zh, then dict_zn before dict_mip4 with the stock ones in between.
run_order interleaved $((port + 2)) "${ours[2]}" "${stock_paths[@]:0:2}" "${ours[1]}" "${stock_paths[@]:2:3}" \
	"${ours[0]}" "${stock_paths[@]:5}"
