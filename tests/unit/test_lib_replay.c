/* replay: NTP timestamps and the RFC 5944 §5.7.1 window. */
#include <criterion/criterion.h>
#include <string.h>

#include "lib/replay.h"

#define SEC (1ULL << 32)

Test(replay, ntp_from_timespec)
{
	struct timespec ts = { 0, 0 };
	cr_expect_eq(replay_ntp_from_timespec(&ts), REPLAY_NTP_UNIX_OFFSET << 32);
	ts = (struct timespec){ 1, 500000000 };
	cr_expect_eq(replay_ntp_from_timespec(&ts), (REPLAY_NTP_UNIX_OFFSET + 1) << 32 | 0x80000000ULL);
	ts = (struct timespec){ 0, 999999999 };
	uint64_t t = replay_ntp_from_timespec(&ts);
	cr_expect_eq(t >> 32, REPLAY_NTP_UNIX_OFFSET, "a fraction never carries into the seconds");
	cr_expect_gt(t & 0xffffffffULL, 0xfffffff0ULL);
	/* RFC-NOTES §7 Identification e8a3b2c1 = 2023-09-07T02:24:01Z, Unix 1694053441. */
	ts = (struct timespec){ 1694053441, 0 };
	cr_expect_eq(replay_ntp_from_timespec(&ts) >> 32, 0xe8a3b2c1ULL);
	/* NTP era 1 starts on 2036-02-07T06:28:16Z: seconds wrap to 0. */
	ts = (struct timespec){ (time_t)(SEC - REPLAY_NTP_UNIX_OFFSET), 0 };
	cr_expect_eq(replay_ntp_from_timespec(&ts), 0);
}

Test(replay, ntp_now)
{
	time_t before = time(NULL);
	uint64_t now = replay_ntp_now();
	time_t after = time(NULL);
	uint64_t lo = ((uint64_t)before + REPLAY_NTP_UNIX_OFFSET) & 0xffffffffULL;
	uint64_t hi = ((uint64_t)after + REPLAY_NTP_UNIX_OFFSET) & 0xffffffffULL;
	cr_expect(now >> 32 >= lo && now >> 32 <= hi, "NTP seconds %llu outside [%llu, %llu]",
	          (unsigned long long)(now >> 32), (unsigned long long)lo, (unsigned long long)hi);
}

static void window_cases(uint64_t now)
{
	const uint32_t w = REPLAY_DEFAULT_WINDOW;
	cr_expect_eq(replay_check(now, now, w, 0), REPLAY_OK);
	cr_expect_eq(replay_check(now + w * SEC, now, w, 0), REPLAY_OK, "at the window's edge");
	cr_expect_eq(replay_check(now + w * SEC + 1, now, w, 0), REPLAY_TOO_NEW);
	cr_expect_eq(replay_check(now - w * SEC, now, w, 0), REPLAY_OK);
	cr_expect_eq(replay_check(now - w * SEC - 1, now, w, 0), REPLAY_TOO_OLD);
	cr_expect_eq(replay_check(now + 1000 * SEC, now, w, 0), REPLAY_TOO_NEW);
	cr_expect_eq(replay_check(now - 1000 * SEC, now, w, 0), REPLAY_TOO_OLD);
	cr_expect_eq(replay_check(now + SEC / 2, now, w, now), REPLAY_OK, "newer than last");
	cr_expect_eq(replay_check(now, now, w, now), REPLAY_NOT_NEWER, "equal to last");
	cr_expect_eq(replay_check(now, now, w, now + 1), REPLAY_NOT_NEWER, "older than last");
	cr_expect_eq(replay_check(now + 1, now, w, now), REPLAY_OK, "one fraction unit newer");
	cr_expect_eq(replay_check(now - 2 * SEC, now, w, now - 3 * SEC), REPLAY_OK);
	cr_expect_eq(replay_check(now - 3 * SEC, now, w, now - 2 * SEC), REPLAY_NOT_NEWER);
	cr_expect_eq(replay_check(now - w * SEC - 1, now, w, now - 100 * SEC), REPLAY_TOO_OLD,
	             "the window is checked first");
	cr_expect_eq(replay_check(now + SEC, now, 0, 0), REPLAY_TOO_NEW, "window 0: only now itself");
	cr_expect_eq(replay_check(now, now, 0, 0), REPLAY_OK);
}

Test(replay, window)
{
	window_cases((REPLAY_NTP_UNIX_OFFSET + 1800000000ULL) << 32 | 0x12345678);
}

/* Near the NTP era boundary plain unsigned comparisons would be wrong. */
Test(replay, era_wraparound)
{
	window_cases(0xffffffff00000000ULL + 0x800000ULL);  /* last second of era 0 */
	window_cases(0x0000000100000000ULL);                 /* one second into era 1 */
	window_cases(SEC / 2);                               /* the window straddles the wrap */
	uint64_t now = 0xfffffffe80000000ULL;               /* 1.5 s before the wrap */
	uint64_t ident = now + 3 * SEC;                      /* wraps to a small value */
	cr_expect_lt(ident, now);
	cr_expect_eq(replay_check(ident, now, 7, now), REPLAY_OK);
	cr_expect_eq(replay_check(now, now, 7, ident), REPLAY_NOT_NEWER);
	cr_expect_eq(replay_check(ident, now, 2, 0), REPLAY_TOO_NEW);
}

Test(replay, huge_window)
{
	uint64_t now = 5 * SEC;
	cr_expect_eq(replay_check(now + 1000000 * SEC, now, UINT32_MAX, 0), REPLAY_OK);
	cr_expect_eq(replay_check(now - 1000000 * SEC, now, UINT32_MAX, 0), REPLAY_OK);
}

Test(replay, reject_ident)
{
	cr_expect_eq(replay_reject_ident(0x1111111122223333ULL, 0xe8a3b2c1deadbeefULL), 0xe8a3b2c122223333ULL);
	cr_expect_eq(replay_reject_ident(0xffffffffffffffffULL, 0), 0x00000000ffffffffULL);
}

Test(replay, verdict_names)
{
	const enum replay_verdict all[] = { REPLAY_OK, REPLAY_TOO_OLD, REPLAY_TOO_NEW, REPLAY_NOT_NEWER };
	for (size_t i = 0; i < 4; i++)
		for (size_t j = 0; j < i; j++)
			cr_expect_str_neq(replay_verdict_str(all[i]), replay_verdict_str(all[j]));
	cr_expect_str_eq(replay_verdict_str(REPLAY_OK), "ok");
	cr_expect_str_eq(replay_verdict_str(REPLAY_NOT_NEWER), "not-newer");
}
