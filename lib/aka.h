/*
 * aka: UMTS AKA (3GPP TS 33.102 §6.3) on top of MILENAGE, both ends of it.
 *
 * The home environment (the lab HSS) makes authentication vectors
 *   AUTN = SQN xor AK || AMF || MAC-A          (§6.3.2)
 * and resynchronises its SQN from a USIM's AUTS (§6.3.5).  The USIM (played by
 * mip4-mn) checks AUTN: MAC first, then the freshness of SQN (§6.3.3), and on a
 * synchronisation failure answers
 *   AUTS = SQN_MS xor AK* || MAC-S,  MAC-S = f1*(K, SQN_MS, RAND, AMF* = 0000)
 *
 * Sequence numbers follow TS 33.102 Annex C: SQN (48 bits) = SEQ (43 bits) ||
 * IND (5 bits).  The home environment steps SEQ by one and IND by one modulo 32
 * for every vector (C.3.2); the USIM keeps one SEQ_MS per IND value (the array
 * of C.1.2, a = 32) and accepts SQN when SEQ > SEQ_MS(IND) (C.2.2) and SEQ is
 * at most DELTA = 2^28 ahead of the highest SEQ it accepted (C.2.1, the wrap
 * around protection).  The optional age limit L of C.2.3 is not applied.
 *
 * Pure functions; outputs are wiped on failure, never kept.
 */
#ifndef MIP4_AKA_H
#define MIP4_AKA_H

#include <stdbool.h>
#include <stdint.h>

#define AKA_RAND_LEN 16
#define AKA_AUTN_LEN 16
#define AKA_RES_LEN 8
#define AKA_CK_LEN 16
#define AKA_IK_LEN 16
#define AKA_AUTS_LEN 14
#define AKA_SQN_LEN 6
#define AKA_AMF_LEN 2
#define AKA_IND_BITS 5
#define AKA_IND_N (1u << AKA_IND_BITS)
#define AKA_SQN_MAX ((UINT64_C(1) << 48) - 1)
#define AKA_SEQ_MAX (AKA_SQN_MAX >> AKA_IND_BITS)
#define AKA_DELTA (UINT64_C(1) << 28)

struct aka_vector {
	uint8_t rand[AKA_RAND_LEN];
	uint8_t autn[AKA_AUTN_LEN];
	uint8_t xres[AKA_RES_LEN];
	uint8_t ck[AKA_CK_LEN];
	uint8_t ik[AKA_IK_LEN];
};

static inline uint64_t aka_sqn_seq(uint64_t sqn) { return sqn >> AKA_IND_BITS; }
static inline unsigned aka_sqn_ind(uint64_t sqn) { return (unsigned)(sqn & (AKA_IND_N - 1)); }
static inline uint64_t aka_sqn_make(uint64_t seq, unsigned ind)
{
	return (seq << AKA_IND_BITS | (ind & (AKA_IND_N - 1))) & AKA_SQN_MAX;
}

/* The home environment's next SQN after sqn: SEQ + 1, IND + 1 mod 32.  False
 * when SEQ would pass 2^43 - 1 (the subscriber's counter is spent). */
bool aka_sqn_next(uint64_t sqn, uint64_t *next);
/* 48-bit SQN to and from its 6 octets (network order). */
void aka_sqn_put(uint64_t sqn, uint8_t out[AKA_SQN_LEN]);
uint64_t aka_sqn_get(const uint8_t in[AKA_SQN_LEN]);

/* A vector for (K, OPc, RAND, SQN, AMF).  Returns 0, or -1 (v wiped). */
int aka_vector_make(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[AKA_RAND_LEN],
                    uint64_t sqn, const uint8_t amf[AKA_AMF_LEN], struct aka_vector *v);

/* The USIM's sequence number state: SEQ_MS per IND value. */
struct aka_usim {
	uint64_t seq_ms[AKA_IND_N];
};

enum aka_result {
	AKA_OK,               /* RES, CK, IK out; the state took SQN */
	AKA_MAC_FAILURE,      /* MAC-A wrong: the network is not authentic (§6.3.3) */
	AKA_SYNC_FAILURE,     /* SQN not fresh: AUTS out (§6.3.3, §6.3.5) */
	AKA_ERROR,            /* crypto failure */
};

/* Is SQN acceptable to the USIM (C.2.1, C.2.2)? */
bool aka_usim_fresh(const struct aka_usim *u, uint64_t sqn);
/* SQN_MS, the highest SQN accepted so far (SEQ_MS max, with its IND; 0 when
 * nothing was ever accepted). */
uint64_t aka_usim_sqn_ms(const struct aka_usim *u);
/* Record SQN as accepted: SEQ_MS(IND) = SEQ. */
void aka_usim_accept(struct aka_usim *u, uint64_t sqn);

/* The USIM's answer to (RAND, AUTN).  AKA_OK: res, ck, ik filled, *sqn (may be
 * NULL) is the SQN taken and u has accepted it.  AKA_SYNC_FAILURE: auts filled,
 * u unchanged.  AKA_MAC_FAILURE: nothing but the verdict. */
enum aka_result aka_usim_run(const uint8_t k[16], const uint8_t opc[16], struct aka_usim *u,
                             const uint8_t rand[AKA_RAND_LEN], const uint8_t autn[AKA_AUTN_LEN],
                             uint8_t res[AKA_RES_LEN], uint8_t ck[AKA_CK_LEN], uint8_t ik[AKA_IK_LEN],
                             uint8_t auts[AKA_AUTS_LEN], uint64_t *sqn);

/* AUTS for SQN_MS and RAND.  Returns 0, or -1. */
int aka_auts_make(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[AKA_RAND_LEN],
                  uint64_t sqn_ms, uint8_t auts[AKA_AUTS_LEN]);

enum aka_resync {
	AKA_RESYNC_RESET,     /* MAC-S verified, SQN_HE was out of range: now SQN_MS */
	AKA_RESYNC_IN_RANGE,  /* the next SQN_HE would be accepted: left alone (step 3) */
	AKA_RESYNC_BAD_MAC,   /* MAC-S wrong: left alone */
	AKA_RESYNC_ERROR,
};

/* The home environment's resynchronisation (§6.3.5 steps 1-5) for an AUTS the
 * USIM computed on RAND.  *sqn_he is the HE's current SQN, updated on
 * AKA_RESYNC_RESET; *sqn_ms (may be NULL) gets the USIM's SQN_MS whenever MAC-S
 * was checked or SQN_HE found in range. */
enum aka_resync aka_resync(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[AKA_RAND_LEN],
                           const uint8_t auts[AKA_AUTS_LEN], uint64_t *sqn_he, uint64_t *sqn_ms);

#endif
