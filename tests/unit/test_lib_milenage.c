/* milenage: TS 35.208 test sets 1-6 (f1, f1*, f2-f5, f5*), and set 1 of the
 * shared vectors.json agreeing with the repository's own copy of the sets. */
#include <criterion/criterion.h>
#include <string.h>

#include "lib/milenage.h"
#include "tests/unit/vectors.h"

Test(milenage, ts35208_set1)
{
	struct vectors_milenage v = vectors_milenage();
	uint8_t opc[16], res[8], ck[16], ik[16], ak[6];
	cr_assert_eq(v.k.len, 16);
	cr_assert_eq(milenage_opc(v.k.p, v.op.p, opc), 0);
	cr_expect_arr_eq(opc, v.opc.p, 16, "OPc");
	cr_assert_eq(milenage_f2345(v.k.p, opc, v.rand.p, res, ck, ik, ak), 0);
	cr_expect_arr_eq(res, v.res.p, 8, "RES (f2)");
	cr_expect_arr_eq(ck, v.ck.p, 16, "CK (f3)");
	cr_expect_arr_eq(ik, v.ik.p, 16, "IK (f4)");
	/* f5 of set 1 as published in TS 35.208 (also the AK of the kasme vector's note). */
	const uint8_t want_ak[6] = { 0xaa, 0x68, 0x9c, 0x64, 0x83, 0x70 };
	cr_expect_arr_eq(ak, want_ak, 6, "AK (f5)");
}

/* The shared vectors.json holds set 1 (f2-f4): the repository's file of all
 * sets must say the same, or one of the two was mistyped. */
Test(milenage, shared_set1_matches_ts35208_file)
{
	struct vectors_milenage v = vectors_milenage();
	struct vectors_milenage_set s = vectors_milenage_set(0);
	cr_assert_eq(s.set, 1);
	cr_expect_arr_eq(s.k.p, v.k.p, 16);
	cr_expect_arr_eq(s.op.p, v.op.p, 16);
	cr_expect_arr_eq(s.rand.p, v.rand.p, 16);
	cr_expect_arr_eq(s.opc.p, v.opc.p, 16);
	cr_expect_arr_eq(s.f2.p, v.res.p, 8);
	cr_expect_arr_eq(s.f3.p, v.ck.p, 16);
	cr_expect_arr_eq(s.f4.p, v.ik.p, 16);
}

Test(milenage, ts35208_sets_1_to_6)
{
	size_t n = vectors_milenage_set_count();
	cr_assert_eq(n, 6);
	for (size_t i = 0; i < n; i++) {
		struct vectors_milenage_set s = vectors_milenage_set(i);
		uint8_t opc[16], mac_a[8], mac_s[8], res[8], ck[16], ik[16], ak[6], ak_s[6];
		cr_assert_eq(s.set, (long long)i + 1);
		cr_assert_eq(milenage_opc(s.k.p, s.op.p, opc), 0);
		cr_expect_arr_eq(opc, s.opc.p, 16, "set %lld: OPc", s.set);
		cr_assert_eq(milenage_f1(s.k.p, opc, s.rand.p, s.sqn.p, s.amf.p, mac_a, mac_s), 0);
		cr_expect_arr_eq(mac_a, s.f1.p, 8, "set %lld: f1 (MAC-A)", s.set);
		cr_expect_arr_eq(mac_s, s.f1star.p, 8, "set %lld: f1* (MAC-S)", s.set);
		cr_assert_eq(milenage_f2345(s.k.p, opc, s.rand.p, res, ck, ik, ak), 0);
		cr_expect_arr_eq(res, s.f2.p, 8, "set %lld: f2", s.set);
		cr_expect_arr_eq(ck, s.f3.p, 16, "set %lld: f3", s.set);
		cr_expect_arr_eq(ik, s.f4.p, 16, "set %lld: f4", s.set);
		cr_expect_arr_eq(ak, s.f5.p, 6, "set %lld: f5", s.set);
		cr_assert_eq(milenage_f5star(s.k.p, opc, s.rand.p, ak_s), 0);
		cr_expect_arr_eq(ak_s, s.f5star.p, 6, "set %lld: f5*", s.set);
	}
}

/* f1 and f1* are one computation: asking for one half gives the same octets. */
Test(milenage, f1_halves)
{
	struct vectors_milenage_set s = vectors_milenage_set(2);
	uint8_t mac_a[8], mac_s[8];
	cr_assert_eq(milenage_f1(s.k.p, s.opc.p, s.rand.p, s.sqn.p, s.amf.p, mac_a, NULL), 0);
	cr_expect_arr_eq(mac_a, s.f1.p, 8);
	cr_assert_eq(milenage_f1(s.k.p, s.opc.p, s.rand.p, s.sqn.p, s.amf.p, NULL, mac_s), 0);
	cr_expect_arr_eq(mac_s, s.f1star.p, 8);
}

/* Each output depends on every input: flip one bit of K, OPc, RAND in turn. */
Test(milenage, inputs_matter)
{
	struct vectors_milenage v = vectors_milenage();
	uint8_t in[3][16], res[8], ck[16], ik[16], ak[6];
	memcpy(in[0], v.k.p, 16);
	memcpy(in[1], v.opc.p, 16);
	memcpy(in[2], v.rand.p, 16);
	for (int w = 0; w < 3; w++) {
		in[w][7] ^= 0x10;
		cr_assert_eq(milenage_f2345(in[0], in[1], in[2], res, ck, ik, ak), 0);
		cr_expect_arr_neq(res, v.res.p, 8, "input %d", w);
		cr_expect_arr_neq(ck, v.ck.p, 16, "input %d", w);
		cr_expect_arr_neq(ik, v.ik.p, 16, "input %d", w);
		in[w][7] ^= 0x10;
	}
	cr_assert_eq(milenage_f2345(in[0], in[1], in[2], res, ck, ik, ak), 0);
	cr_expect_arr_eq(ck, v.ck.p, 16);
}

/* SQN and AMF reach MAC-A and MAC-S. */
Test(milenage, f1_inputs_matter)
{
	struct vectors_milenage_set s = vectors_milenage_set(0);
	uint8_t sqn[6], amf[2], mac_a[8], mac_s[8];
	memcpy(sqn, s.sqn.p, 6);
	memcpy(amf, s.amf.p, 2);
	sqn[5] ^= 1;
	cr_assert_eq(milenage_f1(s.k.p, s.opc.p, s.rand.p, sqn, amf, mac_a, mac_s), 0);
	cr_expect_arr_neq(mac_a, s.f1.p, 8);
	cr_expect_arr_neq(mac_s, s.f1star.p, 8);
	sqn[5] ^= 1;
	amf[0] ^= 0x80;
	cr_assert_eq(milenage_f1(s.k.p, s.opc.p, s.rand.p, sqn, amf, mac_a, mac_s), 0);
	cr_expect_arr_neq(mac_a, s.f1.p, 8);
}
