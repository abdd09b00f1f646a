/* bsf_btable: one session per IMPI, lookups by B-TID, expiry, the bound. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "gba-lab/bsf_btable.h"

static struct bootstrap_entry entry(const char *impi, uint8_t r, int64_t expiry)
{
	struct bootstrap_entry e;
	memset(&e, 0, sizeof e);
	memset(e.rand, r, sizeof e.rand);
	memset(e.ks, r ^ 0x5a, sizeof e.ks);
	cr_assert_gt(gba_btid_format(e.rand, "bsf.lab", e.btid, sizeof e.btid), 0);
	snprintf(e.impi, sizeof e.impi, "%s", impi);
	e.expiry = expiry;
	return e;
}

Test(bsf_btable, one_session_per_impi)
{
	struct bsf_btable *t = bsf_btable_new(10);
	cr_assert_not_null(t);
	struct bootstrap_entry a1 = entry("alice", 1, 1000), a2 = entry("alice", 2, 1000), b = entry("bob", 3, 1000), got;
	cr_expect_eq(bsf_btable_put(t, &a1, 0), BSF_BTABLE_ADDED);
	cr_expect_eq(bsf_btable_put(t, &b, 0), BSF_BTABLE_ADDED);
	cr_expect_eq(bsf_btable_get(t, a1.btid, strlen(a1.btid), 10, &got), BSF_BTABLE_FOUND);
	cr_expect_str_eq(got.impi, "alice");
	cr_expect_arr_eq(got.ks, a1.ks, 32);
	cr_expect_eq(bsf_btable_put(t, &a2, 0), BSF_BTABLE_REPLACED, "a re-bootstrap replaces the session");
	cr_expect_eq(bsf_btable_get(t, a1.btid, strlen(a1.btid), 10, &got), BSF_BTABLE_ABSENT, "old B-TID gone");
	cr_expect_eq(bsf_btable_get(t, a2.btid, strlen(a2.btid), 10, &got), BSF_BTABLE_FOUND);
	cr_expect_eq(bsf_btable_count(t), 2);
	/* The same B-TID (the same RAND) for another IMPI takes it over. */
	struct bootstrap_entry c = entry("carol", 3, 1000);
	cr_expect_eq(bsf_btable_put(t, &c, 0), BSF_BTABLE_REPLACED);
	cr_expect_eq(bsf_btable_get(t, b.btid, strlen(b.btid), 10, &got), BSF_BTABLE_FOUND);
	cr_expect_str_eq(got.impi, "carol");
	cr_expect_eq(bsf_btable_count(t), 2);
	cr_expect_eq(bsf_btable_get(t, b.btid, strlen(b.btid) - 1, 10, &got), BSF_BTABLE_ABSENT, "exact B-TID only");
	bsf_btable_free(t);
}

Test(bsf_btable, expiry_and_bound)
{
	struct bsf_btable *t = bsf_btable_new(3);
	struct bootstrap_entry got;
	char name[16];
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof name, "u%d", i);
		struct bootstrap_entry e = entry(name, (uint8_t)(10 + i), i == 0 ? 100 : 1000);
		cr_expect_eq(bsf_btable_put(t, &e, 0), BSF_BTABLE_ADDED);
	}
	struct bootstrap_entry x = entry("x", 20, 1000);
	cr_expect_eq(bsf_btable_put(t, &x, 50), BSF_BTABLE_FULL, "nothing expired yet");
	cr_expect_eq(bsf_btable_put(t, &x, 100), BSF_BTABLE_ADDED, "the expired one made room");
	struct bootstrap_entry e0 = entry("u0", 10, 100);
	cr_expect_eq(bsf_btable_get(t, e0.btid, strlen(e0.btid), 100, &got), BSF_BTABLE_ABSENT);
	struct bootstrap_entry e1 = entry("u1", 11, 1000);
	cr_expect_eq(bsf_btable_get(t, e1.btid, strlen(e1.btid), 1000, &got), BSF_BTABLE_EXPIRED,
	             "at its expiry a session is refused");
	cr_expect_eq(bsf_btable_count(t), 2);
	cr_expect_eq(bsf_btable_purge(t, 1000), 2);
	cr_expect_eq(bsf_btable_count(t), 0);
	bsf_btable_free(t);
}
