/* RFC 5944 §5.7.1 timestamp replay protection (see replay.h). */
#include "lib/replay.h"

#define NTP_ONE_SECOND (1ULL << 32)
#define NS_PER_SECOND 1000000000ULL

uint64_t replay_ntp_from_timespec(const struct timespec *ts)
{
	/* NTP seconds wrap in 2036 (era 1); the wire keeps only 32 bits anyway. */
	uint64_t sec = ((uint64_t)(int64_t)ts->tv_sec + REPLAY_NTP_UNIX_OFFSET) & 0xffffffffULL;
	uint64_t frac = ((uint64_t)ts->tv_nsec << 32) / NS_PER_SECOND;
	return sec << 32 | (frac & 0xffffffffULL);
}

uint64_t replay_ntp_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return replay_ntp_from_timespec(&ts);
}

enum replay_verdict replay_check(uint64_t ident, uint64_t now, uint32_t window, uint64_t last)
{
	/* Differences are taken modulo 2^64 and read as signed, so the check
	 * stays right across the NTP era rollover. */
	uint64_t w = window > INT32_MAX ? INT32_MAX : window;
	int64_t span = (int64_t)(w * NTP_ONE_SECOND);
	int64_t skew = (int64_t)(ident - now);
	if (skew > span)
		return REPLAY_TOO_NEW;
	if (skew < -span)
		return REPLAY_TOO_OLD;
	if (last != 0 && (int64_t)(ident - last) <= 0)
		return REPLAY_NOT_NEWER;
	return REPLAY_OK;
}

uint64_t replay_reject_ident(uint64_t request_ident, uint64_t now)
{
	return (now & 0xffffffff00000000ULL) | (request_ident & 0xffffffffULL);
}

const char *replay_verdict_str(enum replay_verdict v)
{
	switch (v) {
	case REPLAY_OK: return "ok";
	case REPLAY_TOO_OLD: return "too-old";
	case REPLAY_TOO_NEW: return "too-new";
	case REPLAY_NOT_NEWER: return "not-newer";
	}
	return "unknown";
}
