#!/bin/bash
# mip4-ctl bindings against 100,000 bindings (restored from a journal written
# by bench_journal): the daemon answers a page at a time (at most 10,000
# bindings per request); mip4-ctl lists them all as one JSON list, or one page
# with --limit/--after; paging through gives every binding exactly once; the
# HA answers other commands while a listing runs; bad arguments are refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-ha.sh"
it_setup ha-ctl-bindings

HA_PORT=$(it_port 22130)
N=100000
"$IT_ROOT/$BUILD/tests/bench/bench_journal" --make "$IT_DIR/journal" "$N" >"$IT_DIR/make.out" || it_fail "bench_journal --make"
{
	printf 'max_bindings = 150000\n'
	printf 'journal {\n\tdirectory = "%s"\n}\n' "$IT_DIR/journal"
} | ha_conf "$IT_DIR/ha.conf" "$HA_PORT"
ha_start ha "$IT_DIR/ha.conf"
it_check "journal: $N bindings restored" grep -q "journal: restored $N bindings, $N security associations" "$IT_DIR/ha.log"
ctl() { "$HA_CTL" -s "$IT_DIR/ctl.sock" "$@"; }

t0=$(date +%s%N)
ctl bindings >"$IT_DIR/all.json" || it_fail "mip4-ctl bindings"
ms=$((($(date +%s%N) - t0) / 1000000))
it_log "all $N bindings listed in $ms ms"
jq -r '.bindings[].home_address' "$IT_DIR/all.json" | sort >"$IT_DIR/all.txt"
it_eq "the whole list: count, entries, entries with their SA" "$N $N $N" \
	"$(jq -r '"\(.count) \(.bindings | length) \([.bindings[] | select(.sa == "aaa" and .spi == 4096)] | length)"' "$IT_DIR/all.json")"
it_eq "the whole list: distinct home addresses" "$N" "$(sort -u "$IT_DIR/all.txt" | wc -l)"
it_eq "one binding per line" $((N + 2)) "$(wc -l <"$IT_DIR/all.json")"

ctl bindings --limit 10 >"$IT_DIR/p1.json" || it_fail "--limit 10"
it_eq "one page: count" 10 "$(jq .count "$IT_DIR/p1.json")"
it_eq "one page: total" "$N" "$(jq .total "$IT_DIR/p1.json")"
it_eq "one page: next = its last binding" "$(jq -r '.bindings[-1].home_address' "$IT_DIR/p1.json")" "$(jq -r .next "$IT_DIR/p1.json")"
it_eq "the first page is the head of the whole list" \
	"$(head -11 "$IT_DIR/all.json" | tail -10 | sed 's/,$//' | jq -r .home_address)" \
	"$(jq -r '.bindings[].home_address' "$IT_DIR/p1.json")"

# Page through by hand, 7000 at a time, while the HA is asked for its stats.
after=
pages=0
: >"$IT_DIR/paged.txt"
while :; do
	ctl bindings --limit 7000 ${after:+--after "$after"} >"$IT_DIR/page.json" || it_fail "page $pages"
	jq -r '.bindings[].home_address' "$IT_DIR/page.json" >>"$IT_DIR/paged.txt"
	pages=$((pages + 1))
	after=$(jq -r '.next // empty' "$IT_DIR/page.json")
	[ -n "$after" ] || break
	[ "$pages" -lt 100 ] || it_fail "paging does not end"
done
it_eq "paging by 7000: pages" $(((N + 6999) / 7000)) "$pages"
it_eq "paging: every binding once" "$N $N" "$(wc -l <"$IT_DIR/paged.txt") $(sort -u "$IT_DIR/paged.txt" | wc -l)"
it_eq "paging: the same bindings as the whole list" "" "$(sort "$IT_DIR/paged.txt" | diff - "$IT_DIR/all.txt" | head -3)"
it_eq "after the last binding: an empty page" \
	'{"bindings":[],"count":0,"total":100000}' "$(ctl bindings --limit 5 --after "$(tail -1 "$IT_DIR/paged.txt")")"

# Other commands are served between the pages of a listing.
it_start lister bash -c "for i in 1 2 3; do '$HA_CTL' -s '$IT_DIR/ctl.sock' bindings >/dev/null || exit 1; done"
slow=0
while kill -0 "$(it_pid lister)" 2>/dev/null; do
	t0=$(date +%s%N)
	ctl stats >/dev/null || it_fail "stats during a listing"
	d=$((($(date +%s%N) - t0) / 1000000))
	[ "$d" -le "$slow" ] || slow=$d
done
it_stop lister
it_eq "listings done" 0 "$IT_RC"
it_log "slowest stats answer while listing: $slow ms"
it_check "stats answered while listing (slowest $slow ms)" [ "$slow" -lt 2000 ]

# Refused arguments.
"$HA_CTL" -s "$IT_DIR/ctl.sock" bindings --limit 0 2>"$IT_DIR/err1"
it_eq "--limit 0: usage error" 2 "$?"
"$HA_CTL" -s "$IT_DIR/ctl.sock" bindings --after 10.1.300.1 2>"$IT_DIR/err2"
it_eq "--after not an address: usage error" 2 "$?"
"$HA_CTL" -s "$IT_DIR/ctl.sock" stats --limit 3 2>"$IT_DIR/err3"
it_eq "--limit with stats: usage error" 2 "$?"
raw() { python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(sys.argv[2].encode()+b"\n"); print(s.makefile().read(), end="")' "$IT_DIR/ctl.sock" "$1"; }
it_eq "the daemon refuses limit 20000" "error: bindings: limit must be 1..10000" "$(raw 'bindings limit 20000')"
it_eq "the daemon refuses an unknown argument" "error: bindings: unknown argument 'sort' (limit N, after ADDRESS)" "$(raw 'bindings sort home')"
it_eq "the daemon answers a bare 'bindings' with its first page" 10000 "$(raw bindings | jq .count)"
it_stop ha 30
it_eq "SIGTERM: exit status" 0 "$IT_RC"
