/* aka: authentication vectors (TS 33.102 §6.3.2) from the TS 35.208 sets, the
 * USIM's checks (§6.3.3) and Annex C freshness, AUTS and the home
 * environment's resynchronisation (§6.3.5). */
#include <criterion/criterion.h>
#include <string.h>

#include "lib/aka.h"
#include "lib/milenage.h"
#include "tests/unit/vectors.h"

/* The set's SQN and AMF give AUTN = SQN xor f5 || AMF || f1, XRES = f2, CK = f3,
 * IK = f4: the published outputs assembled by hand. */
Test(aka, vectors_from_ts35208_sets)
{
	for (size_t i = 0; i < vectors_milenage_set_count(); i++) {
		struct vectors_milenage_set s = vectors_milenage_set(i);
		struct aka_vector v;
		uint8_t autn[16];
		for (int j = 0; j < 6; j++)
			autn[j] = s.sqn.p[j] ^ s.f5.p[j];
		memcpy(autn + 6, s.amf.p, 2);
		memcpy(autn + 8, s.f1.p, 8);
		cr_assert_eq(aka_vector_make(s.k.p, s.opc.p, s.rand.p, aka_sqn_get(s.sqn.p), s.amf.p, &v), 0);
		cr_expect_arr_eq(v.rand, s.rand.p, 16, "set %lld", s.set);
		cr_expect_arr_eq(v.autn, autn, 16, "set %lld: AUTN", s.set);
		cr_expect_arr_eq(v.xres, s.f2.p, 8, "set %lld: XRES", s.set);
		cr_expect_arr_eq(v.ck, s.f3.p, 16, "set %lld: CK", s.set);
		cr_expect_arr_eq(v.ik, s.f4.p, 16, "set %lld: IK", s.set);
	}
}

/* A USIM that last accepted the SEQ just below accepts every set's vector
 * (a fresh one would refuse these SQNs: C.2.1 allows SEQ at most DELTA ahead),
 * answers RES = f2 and records SEQ under IND; the same AUTN again is a synchronisation failure whose AUTS
 * carries SQN_MS concealed with f5* (the published AK*). */
Test(aka, usim_accepts_then_resyncs)
{
	for (size_t i = 0; i < vectors_milenage_set_count(); i++) {
		struct vectors_milenage_set s = vectors_milenage_set(i);
		struct aka_usim u = { .seq_ms = { 0 } };
		struct aka_vector v;
		uint8_t res[8], ck[16], ik[16], auts[14];
		uint64_t sqn = aka_sqn_get(s.sqn.p), taken = 0;
		cr_expect(!aka_usim_fresh(&u, sqn), "set %lld: more than DELTA ahead of nothing", s.set);
		aka_usim_accept(&u, aka_sqn_make(aka_sqn_seq(sqn) - 1, aka_sqn_ind(sqn) + 1));
		cr_assert_eq(aka_vector_make(s.k.p, s.opc.p, s.rand.p, sqn, s.amf.p, &v), 0);
		cr_assert_eq(aka_usim_run(s.k.p, s.opc.p, &u, v.rand, v.autn, res, ck, ik, auts, &taken), AKA_OK,
		             "set %lld", s.set);
		cr_expect_eq(taken, sqn);
		cr_expect_arr_eq(res, s.f2.p, 8);
		cr_expect_arr_eq(ck, s.f3.p, 16);
		cr_expect_arr_eq(ik, s.f4.p, 16);
		cr_expect_eq(u.seq_ms[aka_sqn_ind(sqn)], aka_sqn_seq(sqn));
		cr_expect_eq(aka_usim_sqn_ms(&u), sqn);

		cr_assert_eq(aka_usim_run(s.k.p, s.opc.p, &u, v.rand, v.autn, res, ck, ik, auts, NULL),
		             AKA_SYNC_FAILURE, "set %lld: replayed AUTN", s.set);
		uint8_t conc[6];
		for (int j = 0; j < 6; j++)
			conc[j] = auts[j] ^ s.f5star.p[j];
		cr_expect_arr_eq(conc, s.sqn.p, 6, "set %lld: SQN_MS in AUTS under f5*", s.set);
		uint8_t mac_s[8], zero_amf[2] = { 0, 0 };
		cr_assert_eq(milenage_f1(s.k.p, s.opc.p, s.rand.p, s.sqn.p, zero_amf, NULL, mac_s), 0);
		cr_expect_arr_eq(auts + 6, mac_s, 8, "set %lld: MAC-S with AMF* = 0000", s.set);
		uint8_t zeros[16] = { 0 };
		cr_expect_arr_eq(res, zeros, 8, "no RES on a failure");
	}
}

/* Any changed octet of AUTN, or the wrong K, is a MAC failure and leaves the
 * USIM's state alone. */
Test(aka, usim_mac_failure)
{
	struct vectors_milenage_set s = vectors_milenage_set(1);
	struct aka_vector v;
	uint8_t res[8], ck[16], ik[16], auts[14], k[16];
	cr_assert_eq(aka_vector_make(s.k.p, s.opc.p, s.rand.p, aka_sqn_get(s.sqn.p), s.amf.p, &v), 0);
	for (int i = 0; i < 16; i++) {
		struct aka_usim u = { .seq_ms = { 0 } };
		v.autn[i] ^= 0x40;
		cr_expect_eq(aka_usim_run(s.k.p, s.opc.p, &u, v.rand, v.autn, res, ck, ik, auts, NULL),
		             AKA_MAC_FAILURE, "AUTN octet %d", i);
		cr_expect_eq(aka_usim_sqn_ms(&u), 0);
		v.autn[i] ^= 0x40;
	}
	struct aka_usim u = { .seq_ms = { 0 } };
	memcpy(k, s.k.p, 16);
	k[0] ^= 1;
	cr_expect_eq(aka_usim_run(k, s.opc.p, &u, v.rand, v.autn, res, ck, ik, auts, NULL), AKA_MAC_FAILURE);
}

Test(aka, sqn_arithmetic)
{
	uint64_t n;
	cr_assert(aka_sqn_next(aka_sqn_make(7, 31), &n));
	cr_expect_eq(aka_sqn_seq(n), 8);
	cr_expect_eq(aka_sqn_ind(n), 0, "IND wraps modulo 32");
	cr_assert(aka_sqn_next(0, &n));
	cr_expect_eq(n, aka_sqn_make(1, 1));
	cr_expect(!aka_sqn_next(aka_sqn_make(AKA_SEQ_MAX, 3), &n), "SEQ spent");
	uint8_t b[6];
	aka_sqn_put(UINT64_C(0xff9bb4d0b607), b);
	const uint8_t want[6] = { 0xff, 0x9b, 0xb4, 0xd0, 0xb6, 0x07 };
	cr_expect_arr_eq(b, want, 6);
	cr_expect_eq(aka_sqn_get(b), UINT64_C(0xff9bb4d0b607));
}

/* Annex C: one SEQ_MS per IND, so an older SEQ under another IND is still
 * fresh (vectors used out of order); DELTA bounds how far ahead SEQ may jump. */
Test(aka, annex_c_freshness)
{
	struct aka_usim u = { .seq_ms = { 0 } };
	cr_expect(aka_usim_fresh(&u, aka_sqn_make(1, 0)));
	cr_expect(!aka_usim_fresh(&u, aka_sqn_make(0, 0)), "SEQ 0 is never fresh");
	aka_usim_accept(&u, aka_sqn_make(10, 3));
	cr_expect(!aka_usim_fresh(&u, aka_sqn_make(10, 3)), "same SQN twice");
	cr_expect(!aka_usim_fresh(&u, aka_sqn_make(9, 3)));
	cr_expect(aka_usim_fresh(&u, aka_sqn_make(9, 4)), "older SEQ, unused IND");
	cr_expect(aka_usim_fresh(&u, aka_sqn_make(11, 3)));
	cr_expect(aka_usim_fresh(&u, aka_sqn_make(10 + AKA_DELTA, 5)), "DELTA ahead");
	cr_expect(!aka_usim_fresh(&u, aka_sqn_make(10 + AKA_DELTA + 1, 5)), "beyond DELTA");
	aka_usim_accept(&u, aka_sqn_make(9, 4));
	cr_expect_eq(aka_usim_sqn_ms(&u), aka_sqn_make(10, 3), "SQN_MS is the highest SEQ with its IND");
	aka_usim_accept(&u, aka_sqn_make(2, 4));
	cr_expect_eq(u.seq_ms[4], 9, "never moves back");
}

/* §6.3.5: an HE behind the USIM resets to SQN_MS on a valid AUTS and its next
 * vector is accepted; an HE already in range keeps its SQN; a forged MAC-S
 * changes nothing. */
Test(aka, resync)
{
	struct vectors_milenage_set s = vectors_milenage_set(0);
	struct aka_usim u = { .seq_ms = { 0 } };
	struct aka_vector v;
	uint8_t res[8], ck[16], ik[16], auts[14];
	const uint8_t amf[2] = { 0, 0 };
	uint64_t usim_sqn = aka_sqn_make(1000, 3);
	aka_usim_accept(&u, usim_sqn);

	uint64_t he = aka_sqn_make(5, 2), next; /* next: SEQ 6 under IND 3, long used */
	cr_assert(aka_sqn_next(he, &next));
	cr_assert_eq(aka_vector_make(s.k.p, s.opc.p, s.rand.p, next, amf, &v), 0);
	cr_assert_eq(aka_usim_run(s.k.p, s.opc.p, &u, v.rand, v.autn, res, ck, ik, auts, NULL), AKA_SYNC_FAILURE);

	uint64_t forged = he, ms = 0;
	auts[13] ^= 1;
	cr_expect_eq(aka_resync(s.k.p, s.opc.p, s.rand.p, auts, &forged, &ms), AKA_RESYNC_BAD_MAC);
	cr_expect_eq(forged, he);
	auts[13] ^= 1;

	cr_assert_eq(aka_resync(s.k.p, s.opc.p, s.rand.p, auts, &he, &ms), AKA_RESYNC_RESET);
	cr_expect_eq(he, usim_sqn);
	cr_expect_eq(ms, usim_sqn);
	cr_assert(aka_sqn_next(he, &next));
	cr_assert_eq(aka_vector_make(s.k.p, s.opc.p, s.rand.p, next, amf, &v), 0);
	cr_expect_eq(aka_usim_run(s.k.p, s.opc.p, &u, v.rand, v.autn, res, ck, ik, auts, NULL), AKA_OK);

	uint64_t ahead = aka_sqn_make(5000, 1);
	cr_assert_eq(aka_auts_make(s.k.p, s.opc.p, s.rand.p, usim_sqn, auts), 0);
	cr_expect_eq(aka_resync(s.k.p, s.opc.p, s.rand.p, auts, &ahead, &ms), AKA_RESYNC_IN_RANGE);
	cr_expect_eq(ahead, aka_sqn_make(5000, 1));
	uint64_t far = aka_sqn_make(1000 + AKA_DELTA + 10, 1);
	cr_expect_eq(aka_resync(s.k.p, s.opc.p, s.rand.p, auts, &far, &ms), AKA_RESYNC_RESET,
	             "an HE too far ahead (beyond DELTA) is reset too");
	cr_expect_eq(far, usim_sqn);
}
