/* UMTS AKA around MILENAGE (see aka.h). */
#include "lib/aka.h"

#include <string.h>

#include <openssl/crypto.h>

#include "lib/milenage.h"

static const uint8_t aka_amf_resync[AKA_AMF_LEN] = { 0, 0 };

bool aka_sqn_next(uint64_t sqn, uint64_t *next)
{
	uint64_t seq = aka_sqn_seq(sqn);
	if (seq >= AKA_SEQ_MAX)
		return false;
	*next = aka_sqn_make(seq + 1, aka_sqn_ind(sqn) + 1);
	return true;
}

void aka_sqn_put(uint64_t sqn, uint8_t out[AKA_SQN_LEN])
{
	for (int i = AKA_SQN_LEN - 1; i >= 0; i--, sqn >>= 8)
		out[i] = (uint8_t)sqn;
}

uint64_t aka_sqn_get(const uint8_t in[AKA_SQN_LEN])
{
	uint64_t v = 0;
	for (int i = 0; i < AKA_SQN_LEN; i++)
		v = v << 8 | in[i];
	return v;
}

int aka_vector_make(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[AKA_RAND_LEN],
                    uint64_t sqn, const uint8_t amf[AKA_AMF_LEN], struct aka_vector *v)
{
	uint8_t sqn_b[AKA_SQN_LEN], ak[6];
	int rc = -1;

	if (sqn > AKA_SQN_MAX)
		goto done;
	memcpy(v->rand, rand, AKA_RAND_LEN);
	aka_sqn_put(sqn, sqn_b);
	if (milenage_f2345(k, opc, rand, v->xres, v->ck, v->ik, ak) != 0 ||
	    milenage_f1(k, opc, rand, sqn_b, amf, v->autn + 8, NULL) != 0)
		goto done;
	for (int i = 0; i < AKA_SQN_LEN; i++)
		v->autn[i] = sqn_b[i] ^ ak[i];
	memcpy(v->autn + 6, amf, AKA_AMF_LEN);
	rc = 0;
done:
	if (rc != 0)
		OPENSSL_cleanse(v, sizeof *v);
	OPENSSL_cleanse(ak, sizeof ak);
	return rc;
}

static uint64_t aka_usim_seq_max(const struct aka_usim *u, unsigned *ind)
{
	uint64_t best = 0;
	unsigned at = 0;
	for (unsigned i = 0; i < AKA_IND_N; i++)
		if (u->seq_ms[i] > best) {
			best = u->seq_ms[i];
			at = i;
		}
	if (ind)
		*ind = at;
	return best;
}

bool aka_usim_fresh(const struct aka_usim *u, uint64_t sqn)
{
	uint64_t seq = aka_sqn_seq(sqn);
	if (sqn > AKA_SQN_MAX || seq <= u->seq_ms[aka_sqn_ind(sqn)])
		return false;
	uint64_t max = aka_usim_seq_max(u, NULL);
	return seq <= max || seq - max <= AKA_DELTA;
}

uint64_t aka_usim_sqn_ms(const struct aka_usim *u)
{
	unsigned ind;
	uint64_t seq = aka_usim_seq_max(u, &ind);
	return seq == 0 ? 0 : aka_sqn_make(seq, ind);
}

void aka_usim_accept(struct aka_usim *u, uint64_t sqn)
{
	unsigned ind = aka_sqn_ind(sqn);
	if (aka_sqn_seq(sqn) > u->seq_ms[ind])
		u->seq_ms[ind] = aka_sqn_seq(sqn);
}

int aka_auts_make(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[AKA_RAND_LEN],
                  uint64_t sqn_ms, uint8_t auts[AKA_AUTS_LEN])
{
	uint8_t sqn_b[AKA_SQN_LEN], ak_s[6];
	int rc = -1;

	aka_sqn_put(sqn_ms, sqn_b);
	if (sqn_ms <= AKA_SQN_MAX && milenage_f5star(k, opc, rand, ak_s) == 0 &&
	    milenage_f1(k, opc, rand, sqn_b, aka_amf_resync, NULL, auts + AKA_SQN_LEN) == 0) {
		for (int i = 0; i < AKA_SQN_LEN; i++)
			auts[i] = sqn_b[i] ^ ak_s[i];
		rc = 0;
	} else {
		OPENSSL_cleanse(auts, AKA_AUTS_LEN);
	}
	OPENSSL_cleanse(ak_s, sizeof ak_s);
	return rc;
}

enum aka_result aka_usim_run(const uint8_t k[16], const uint8_t opc[16], struct aka_usim *u,
                             const uint8_t rand[AKA_RAND_LEN], const uint8_t autn[AKA_AUTN_LEN],
                             uint8_t res[AKA_RES_LEN], uint8_t ck[AKA_CK_LEN], uint8_t ik[AKA_IK_LEN],
                             uint8_t auts[AKA_AUTS_LEN], uint64_t *sqn_out)
{
	uint8_t ak[6], sqn_b[AKA_SQN_LEN], xmac[8];
	enum aka_result r = AKA_ERROR;

	if (milenage_f2345(k, opc, rand, res, ck, ik, ak) != 0)
		goto done;
	for (int i = 0; i < AKA_SQN_LEN; i++)
		sqn_b[i] = autn[i] ^ ak[i];
	if (milenage_f1(k, opc, rand, sqn_b, autn + 6, xmac, NULL) != 0)
		goto done;
	if (CRYPTO_memcmp(xmac, autn + 8, sizeof xmac) != 0) {
		r = AKA_MAC_FAILURE;
		goto done;
	}
	uint64_t sqn = aka_sqn_get(sqn_b);
	if (!aka_usim_fresh(u, sqn)) {
		r = aka_auts_make(k, opc, rand, aka_usim_sqn_ms(u), auts) == 0 ? AKA_SYNC_FAILURE : AKA_ERROR;
		goto done;
	}
	aka_usim_accept(u, sqn);
	if (sqn_out)
		*sqn_out = sqn;
	r = AKA_OK;
done:
	if (r != AKA_OK) {
		OPENSSL_cleanse(res, AKA_RES_LEN);
		OPENSSL_cleanse(ck, AKA_CK_LEN);
		OPENSSL_cleanse(ik, AKA_IK_LEN);
	}
	OPENSSL_cleanse(ak, sizeof ak);
	OPENSSL_cleanse(xmac, sizeof xmac);
	return r;
}

enum aka_resync aka_resync(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[AKA_RAND_LEN],
                           const uint8_t auts[AKA_AUTS_LEN], uint64_t *sqn_he, uint64_t *sqn_ms_out)
{
	uint8_t ak_s[6], sqn_b[AKA_SQN_LEN], xmac_s[8];
	enum aka_resync r = AKA_RESYNC_ERROR;

	if (milenage_f5star(k, opc, rand, ak_s) != 0)
		goto done;
	for (int i = 0; i < AKA_SQN_LEN; i++)
		sqn_b[i] = auts[i] ^ ak_s[i];
	uint64_t sqn_ms = aka_sqn_get(sqn_b);
	/* Step 2: would the USIM accept the next SQN_HE?  The HE knows SQN_MS only,
	 * so it judges with that one entry of the USIM's array. */
	uint64_t next;
	if (aka_sqn_next(*sqn_he, &next)) {
		uint64_t seq = aka_sqn_seq(next), ms = aka_sqn_seq(sqn_ms);
		if (seq > ms && seq - ms <= AKA_DELTA) {
			r = AKA_RESYNC_IN_RANGE;
			if (sqn_ms_out)
				*sqn_ms_out = sqn_ms;
			goto done;
		}
	}
	/* Steps 4-5: verify AUTS, then SQN_HE = SQN_MS. */
	if (milenage_f1(k, opc, rand, sqn_b, aka_amf_resync, NULL, xmac_s) != 0)
		goto done;
	if (sqn_ms_out)
		*sqn_ms_out = sqn_ms;
	if (CRYPTO_memcmp(xmac_s, auts + AKA_SQN_LEN, sizeof xmac_s) != 0) {
		r = AKA_RESYNC_BAD_MAC;
		goto done;
	}
	*sqn_he = sqn_ms;
	r = AKA_RESYNC_RESET;
done:
	OPENSSL_cleanse(ak_s, sizeof ak_s);
	OPENSSL_cleanse(xmac_s, sizeof xmac_s);
	return r;
}
