/* akadigest: nonce = base64(RAND || AUTN || server data), auts = base64(AUTS). */
#include <criterion/criterion.h>
#include <string.h>

#include "lib/akadigest.h"
#include "tests/unit/vectors.h"

/* The nonce of the AKAv1 cross-check vector (tests/data/digest.json) is
 * TS 35.208 set 1's RAND, its AUTN, and 16 octets 00..0f. */
Test(akadigest, nonce_of_set1)
{
	struct vectors_digest v = vectors_digest(2);
	struct vectors_milenage_set s = vectors_milenage_set(0);
	uint8_t autn[16], sd[16], rand[16], autn2[16];
	for (int i = 0; i < 6; i++)
		autn[i] = s.sqn.p[i] ^ s.f5.p[i];
	memcpy(autn + 6, s.amf.p, 2);
	memcpy(autn + 8, s.f1.p, 8);
	for (int i = 0; i < 16; i++)
		sd[i] = (uint8_t)i;
	char nonce[AKADIGEST_NONCE_MAX + 1];
	size_t n = akadigest_nonce_make(s.rand.p, autn, sd, sizeof sd, nonce, sizeof nonce);
	cr_assert_eq(n, v.nonce.len);
	cr_expect_str_eq(nonce, (const char *)v.nonce.p);
	cr_assert(akadigest_nonce_parse(nonce, n, rand, autn2));
	cr_expect_arr_eq(rand, s.rand.p, 16);
	cr_expect_arr_eq(autn2, autn, 16);
}

Test(akadigest, nonce_bounds)
{
	uint8_t r[16] = { 1 }, a[16] = { 2 }, sd[AKADIGEST_SDATA_MAX + 1] = { 3 }, r2[16], a2[16];
	char nonce[AKADIGEST_NONCE_MAX + 8];
	size_t n = akadigest_nonce_make(r, a, NULL, 0, nonce, sizeof nonce);
	cr_assert_eq(n, 44);
	cr_expect(akadigest_nonce_parse(nonce, n, r2, a2), "no server data");
	n = akadigest_nonce_make(r, a, sd, AKADIGEST_SDATA_MAX, nonce, sizeof nonce);
	cr_assert_eq(n, AKADIGEST_NONCE_MAX);
	cr_expect(akadigest_nonce_parse(nonce, n, r2, a2));
	cr_expect_eq(akadigest_nonce_make(r, a, sd, AKADIGEST_SDATA_MAX + 1, nonce, sizeof nonce), 0);
	cr_expect(!akadigest_nonce_parse("", 0, r2, a2));
	cr_expect(!akadigest_nonce_parse("AAAA", 4, r2, a2), "shorter than RAND || AUTN");
	cr_expect(!akadigest_nonce_parse(nonce, n - 1, r2, a2));
	nonce[3] = '*';
	cr_expect(!akadigest_nonce_parse(nonce, n, r2, a2));
}

Test(akadigest, auts)
{
	uint8_t auts[14], back[14];
	for (int i = 0; i < 14; i++)
		auts[i] = (uint8_t)(0xf0 + i);
	char s[AKADIGEST_AUTS_B64_LEN + 1];
	cr_assert_eq(akadigest_auts_encode(auts, s, sizeof s), 20);
	cr_assert(akadigest_auts_decode(s, 20, back));
	cr_expect_arr_eq(back, auts, 14);
	cr_expect(!akadigest_auts_decode(s, 19, back));
	cr_expect(!akadigest_auts_decode("AAAAAAAAAAAAAAAAAAAA", 20, back), "15 octets");
	cr_expect_str_eq(AKADIGEST_ALGORITHM, "AKAv1-MD5");
}
