# Processes of the comparison lab, each started in the background and stopped
# by its PID (never by name).  Sourced by compare/compare.sh.
#
#   proc_start NAME LOG CMD...   start CMD (output appended to LOG); CMD must exec
#                                down to the real program (ip netns exec, env and
#                                setsid all do) so that $! is its PID
#   proc_pid NAME / proc_alive NAME
#   proc_stop NAME [TIMEOUT]     SIGTERM, wait up to TIMEOUT s (10), then SIGKILL
#   proc_stop_all                every process still recorded (the EXIT trap)
#   cap_start NAME NS IFACE FILTER FILE / cap_stop NAME   a dumpcap capture

declare -A PROC_PIDS=()

proc_start() {
	local name=$1 log=$2; shift 2
	"$@" >>"$log" 2>&1 </dev/null &
	PROC_PIDS[$name]=$!
}

proc_pid() { echo "${PROC_PIDS[$1]:-}"; }

proc_alive() {
	local pid=${PROC_PIDS[$1]:-}
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

proc_stop() {
	local name=$1 timeout=${2:-10} pid i
	pid=${PROC_PIDS[$name]:-}
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < timeout * 20; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "compare: $name (pid $pid) ignored SIGTERM for ${timeout}s: SIGKILL" >&2
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
	unset "PROC_PIDS[$name]"
}

proc_stop_all() {
	local name
	for name in "${!PROC_PIDS[@]}"; do
		proc_stop "$name" 5
	done
}

# Sum of a process's threads' run time in ns (/proc/PID/task/*/schedstat).
proc_cpu_ns() {
	local pid=$1 s=0 a rest f
	for f in /proc/"$pid"/task/*/schedstat; do
		read -r a rest <"$f" 2>/dev/null && s=$((s + a))
	done
	echo "$s"
}

cap_start() {
	local name=$1 ns=$2 iface=$3 filter=$4 file=$5 i
	rm -f "$file"
	proc_start "$name" "$file.log" ip netns exec "$ns" dumpcap -q -i "$iface" -f "$filter" -w "$file"
	for ((i = 0; i < 200; i++)); do
		[ -s "$file" ] && return 0
		proc_alive "$name" || break
		sleep 0.05
	done
	cat "$file.log" >&2
	echo "compare: capture $name on $iface did not start" >&2
	return 1
}

# dumpcap writes what it has on SIGTERM; a short pause first lets the last
# packets of the operation reach it.
cap_stop() {
	sleep 0.3
	proc_stop "$1" 10
}
