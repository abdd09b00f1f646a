/* keygen: RFC 3957 §5 derivation and its identifier rule. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lib/keygen.h"
#include "tests/unit/vectors.h"

TestSuite(keygen, .init = vectors_ctx_setup, .fini = vectors_ctx_teardown);

Test(keygen, rfc3957_vector)
{
	struct vectors_rfc3957 v = vectors_rfc3957();
	uint8_t key[KEYGEN_KEY_LEN];
	cr_assert_eq(v.key.len, KEYGEN_KEY_LEN);
	cr_assert_eq(keygen_derive(vectors_ctx, v.aaa_key.p, v.aaa_key.len, v.nonce.p, v.nonce.len,
	                           v.identifier.p, v.identifier.len, key), 0);
	cr_expect_arr_eq(key, v.key.p, KEYGEN_KEY_LEN);
}

/* RFC-NOTES §7: the worked example's RRQ (NAI present) and AAA key. */
static const char example_rrq[] =
	"01200708c000020ac0000201c6336414e8a3b2c100000001"
	"830f6d6e31406578616d706c652e6f7267"
	"2a01000400001001"
	"24010014000001001c5accbc0acc9997890b01a9b8689a50";

struct example {
	uint8_t rrq[73];
	uint8_t aaa_key[16];
	uint8_t nonce[16];
	struct reg_msg m;
};

static void example(struct example *x, bool with_nai)
{
	vectors_hex(example_rrq, x->rrq, sizeof x->rrq);
	for (int i = 0; i < 16; i++) {
		x->aaa_key[i] = (uint8_t)i;
		x->nonce[i] = (uint8_t)(0xa0 + i);
	}
	memset(&x->m, 0, sizeof x->m);
	x->m.buf = x->rrq;
	x->m.len = sizeof x->rrq;
	x->m.type = REG_TYPE_RRQ;
	memcpy(&x->m.home_addr, x->rrq + 4, 4);
	if (with_nai)
		x->m.nai = (struct reg_bytes){ x->rrq + 26, 15 };
}

Test(keygen, identifier_is_the_nai_when_present)
{
	struct example x;
	example(&x, true);
	struct reg_bytes id = keygen_identifier(&x.m);
	cr_assert_eq(id.p, x.rrq + 26, "a view of the NAI extension's data");
	cr_assert_eq(id.len, 15);
	cr_expect_arr_eq(id.p, "mn1@example.org", 15);

	uint8_t key[KEYGEN_KEY_LEN], want[KEYGEN_KEY_LEN];
	vectors_hex("583596cf138f9e2a397500e76857eb193c00cf38", want, sizeof want);
	cr_assert_eq(keygen_derive(vectors_ctx, x.aaa_key, 16, x.nonce, 16, id.p, id.len, key), 0);
	cr_expect_arr_eq(key, want, sizeof want, "RFC-NOTES §7 MIP-Session-Key");
}

/* Without an NAI the identifier is the 4-octet Home Address field as sent
 * (U11).  Known answer: HMAC-SHA1(000102..0f, a0..af || c000020a), Python hmac. */
Test(keygen, identifier_is_the_home_address_without_nai)
{
	struct example x;
	example(&x, false);
	struct reg_bytes id = keygen_identifier(&x.m);
	cr_assert_eq(id.p, x.rrq + 4, "a view of the Home Address field");
	cr_assert_eq(id.len, 4);
	const uint8_t hoa[4] = { 192, 0, 2, 10 };
	cr_expect_arr_eq(id.p, hoa, 4);

	uint8_t key[KEYGEN_KEY_LEN], want[KEYGEN_KEY_LEN], with_nai[KEYGEN_KEY_LEN];
	vectors_hex("75d7e193000a1ca6d50e90ed5817da927ffce6ae", want, sizeof want);
	cr_assert_eq(keygen_derive(vectors_ctx, x.aaa_key, 16, x.nonce, 16, id.p, id.len, key), 0);
	cr_expect_arr_eq(key, want, sizeof want);
	vectors_hex("583596cf138f9e2a397500e76857eb193c00cf38", with_nai, sizeof with_nai);
	cr_expect_arr_neq(key, with_nai, sizeof key, "the two rules give different keys");
}

Test(keygen, identifier_of_nothing)
{
	struct reg_msg m;
	memset(&m, 0, sizeof m);
	struct reg_bytes id = keygen_identifier(&m);
	cr_expect_null(id.p);
	cr_expect_eq(id.len, 0);
	id = keygen_identifier(NULL);
	cr_expect_null(id.p);
	uint8_t three[3] = { 1, 2, 3 };
	m.buf = three;
	m.len = 3;
	id = keygen_identifier(&m);
	cr_expect_null(id.p, "a buffer too short to hold a Home Address");
}

/* Longest nonce RFC 3957 allows here; known answer from Python hmac. */
Test(keygen, nonce_lengths)
{
	uint8_t aaa_key[16], nonce[REG_NONCE_MAX + 1], key[KEYGEN_KEY_LEN], want[KEYGEN_KEY_LEN];
	for (int i = 0; i < 16; i++)
		aaa_key[i] = (uint8_t)i;
	for (int i = 0; i < (int)sizeof nonce; i++)
		nonce[i] = (uint8_t)(0xa0 + i);
	const uint8_t *nai = (const uint8_t *)"mn1@example.org";
	vectors_hex("929dc44eb695089c9878d39c80310a5c499251ce", want, sizeof want);
	cr_assert_eq(keygen_derive(vectors_ctx, aaa_key, 16, nonce, REG_NONCE_MAX, nai, 15, key), 0);
	cr_expect_arr_eq(key, want, sizeof want);

	const uint8_t zero[KEYGEN_KEY_LEN] = { 0 };
	memset(key, 0xee, sizeof key);
	cr_expect_eq(keygen_derive(vectors_ctx, aaa_key, 16, nonce, REG_NONCE_MIN - 1, nai, 15, key), -1);
	cr_expect_arr_eq(key, zero, sizeof key, "zeroed on failure");
	memset(key, 0xee, sizeof key);
	cr_expect_eq(keygen_derive(vectors_ctx, aaa_key, 16, nonce, REG_NONCE_MAX + 1, nai, 15, key), -1);
	cr_expect_arr_eq(key, zero, sizeof key);
	cr_expect_eq(keygen_derive(vectors_ctx, aaa_key, 16, nonce, 16, nai, 0, key), -1, "empty identifier");
	cr_expect_eq(keygen_derive(vectors_ctx, aaa_key, 0, nonce, 16, nai, 15, key), -1, "empty AAA key");
	cr_expect_eq(keygen_derive(vectors_ctx, aaa_key, 16, NULL, 16, nai, 15, key), -1);
}

/* The rule applied to what the codec parses, both ways. */
Test(keygen, identifier_through_the_parser)
{
	struct example x;
	example(&x, true);
	struct reg_msg m;
	cr_assert_eq(reg_parse_request(x.rrq, sizeof x.rrq, &m), REG_OK);
	struct reg_bytes id = keygen_identifier(&m);
	cr_expect_eq(id.p, x.rrq + 26);
	cr_expect_eq(id.len, 15);

	/* The same fixed part with only an MN-HA authentication extension: no NAI. */
	uint8_t rrq[24 + 6 + 16];
	memcpy(rrq, x.rrq, 24);
	const uint8_t mhae[6] = { REG_EXT_MN_HA_AUTH, 20, 0, 0, 0x10, 0x01 };
	memcpy(rrq + 24, mhae, 6);
	memset(rrq + 30, 0, 16);
	cr_assert_eq(reg_parse_request(rrq, sizeof rrq, &m), REG_OK);
	cr_assert_null(m.nai.p);
	id = keygen_identifier(&m);
	cr_expect_eq(id.p, rrq + 4);
	cr_expect_eq(id.len, 4);
	uint8_t key[KEYGEN_KEY_LEN], want[KEYGEN_KEY_LEN];
	vectors_hex("75d7e193000a1ca6d50e90ed5817da927ffce6ae", want, sizeof want);
	cr_assert_eq(keygen_derive(vectors_ctx, x.aaa_key, 16, x.nonce, 16, id.p, id.len, key), 0);
	cr_expect_arr_eq(key, want, sizeof want);
}
