/* milenage: TS 35.208 test set 1. */
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
