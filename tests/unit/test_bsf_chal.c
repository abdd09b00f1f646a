/* bsf_chal: challenges taken once, nonces of RAND || AUTN || random data,
 * expiry in sending order, the bound. */
#include <criterion/criterion.h>
#include <string.h>

#include "gba-lab/bsf_chal.h"

static struct aka_vector vec(uint8_t x)
{
	struct aka_vector v;
	memset(&v, x, sizeof v);
	return v;
}

Test(bsf_chal, take_once)
{
	struct bsf_chal_table *t = bsf_chal_new(4);
	struct aka_vector v = vec(7);
	struct bsf_chal c, got;
	cr_assert(bsf_chal_add(t, "alice", &v, 10.0, &c));
	uint8_t rand[16], autn[16];
	cr_assert(akadigest_nonce_parse(c.nonce, strlen(c.nonce), rand, autn));
	cr_expect_arr_eq(rand, v.rand, 16);
	cr_expect_arr_eq(autn, v.autn, 16);
	cr_expect_eq(strlen(c.opaque), BSF_CHAL_OPAQUE_LEN);
	struct bsf_chal c2;
	cr_assert(bsf_chal_add(t, "alice", &v, 11.0, &c2));
	cr_expect_str_neq(c.nonce, c2.nonce, "server data makes every nonce unique, even for one RAND");
	cr_expect(bsf_chal_take(t, c.nonce, &got));
	cr_expect_str_eq(got.impi, "alice");
	cr_expect_arr_eq(got.v.xres, v.xres, 8);
	cr_expect(got.sent == 10.0);
	cr_expect(!bsf_chal_take(t, c.nonce, &got), "used once");
	cr_expect_eq(bsf_chal_count(t), 1);
	bsf_chal_free(t);
}

Test(bsf_chal, expiry_and_bound)
{
	struct bsf_chal_table *t = bsf_chal_new(3);
	struct aka_vector v = vec(1);
	struct bsf_chal c[4], got;
	for (int i = 0; i < 3; i++)
		cr_assert(bsf_chal_add(t, "u", &v, (double)i, &c[i]));
	cr_expect(!bsf_chal_add(t, "u", &v, 3.0, &c[3]), "full");
	cr_expect(bsf_chal_take(t, c[1].nonce, &got), "taken from the middle");
	cr_expect_eq(bsf_chal_expire(t, 2.0), 1, "sent at 0 dropped");
	cr_expect(!bsf_chal_take(t, c[0].nonce, &got));
	cr_expect(bsf_chal_take(t, c[2].nonce, &got));
	cr_expect_eq(bsf_chal_count(t), 0);
	cr_expect_eq(bsf_chal_expire(t, 100.0), 0);
	bsf_chal_free(t);
}
