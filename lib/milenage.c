/* 3GPP TS 35.206 MILENAGE f1-f5, f1*, f5* (see milenage.h). */
#include "lib/milenage.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#define BLOCK 16

/* One AES-128 block, ECB: the kernel function E_K of TS 35.206. */
static int aes_block(EVP_CIPHER_CTX *c, const EVP_CIPHER *aes, const uint8_t k[16],
                     const uint8_t in[BLOCK], uint8_t out[BLOCK])
{
	int l1 = 0, l2 = 0;
	if (!EVP_EncryptInit_ex2(c, aes, k, NULL, NULL) || !EVP_CIPHER_CTX_set_padding(c, 0) ||
	    !EVP_EncryptUpdate(c, out, &l1, in, BLOCK) || !EVP_EncryptFinal_ex(c, out + l1, &l2) ||
	    l1 + l2 != BLOCK)
		return -1;
	return 0;
}

int milenage_opc(const uint8_t k[16], const uint8_t op[16], uint8_t opc[16])
{
	EVP_CIPHER *aes = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	uint8_t e[BLOCK];
	int rc = -1;
	if (aes != NULL && c != NULL && aes_block(c, aes, k, op, e) == 0) {
		for (int i = 0; i < BLOCK; i++)
			opc[i] = e[i] ^ op[i];
		rc = 0;
	}
	OPENSSL_cleanse(e, sizeof e);
	EVP_CIPHER_CTX_free(c);
	EVP_CIPHER_free(aes);
	return rc;
}

/* OUTn = E_K(rot(TEMP xor OPc, r) xor c) xor OPc, with r a whole number of
 * octets (0, 4, 8, 12 for f2/f5, f3, f4, f5*) and c = 1, 2, 4, 8 in the last
 * octet. */
static int milenage_out(EVP_CIPHER_CTX *c, const EVP_CIPHER *aes, const uint8_t k[16],
                        const uint8_t opc[16], const uint8_t temp[BLOCK], int rot_octets,
                        uint8_t cst, uint8_t out[BLOCK])
{
	uint8_t in[BLOCK];
	for (int i = 0; i < BLOCK; i++)
		in[(i + BLOCK - rot_octets) % BLOCK] = temp[i] ^ opc[i];
	in[BLOCK - 1] ^= cst;
	int rc = aes_block(c, aes, k, in, out);
	for (int i = 0; i < BLOCK; i++)
		out[i] ^= opc[i];
	OPENSSL_cleanse(in, sizeof in);
	return rc;
}

/* The state every function starts from: the cipher, its context and
 * TEMP = E_K(RAND xor OPc). */
struct milenage_run {
	EVP_CIPHER *aes;
	EVP_CIPHER_CTX *c;
	uint8_t temp[BLOCK];
};

static int milenage_begin(struct milenage_run *m, const uint8_t k[16], const uint8_t opc[16],
                          const uint8_t rand[16])
{
	uint8_t in[BLOCK];
	m->aes = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
	m->c = EVP_CIPHER_CTX_new();
	if (m->aes == NULL || m->c == NULL)
		return -1;
	for (int i = 0; i < BLOCK; i++)
		in[i] = rand[i] ^ opc[i];
	int rc = aes_block(m->c, m->aes, k, in, m->temp);
	OPENSSL_cleanse(in, sizeof in);
	return rc;
}

static void milenage_end(struct milenage_run *m)
{
	OPENSSL_cleanse(m->temp, sizeof m->temp);
	EVP_CIPHER_CTX_free(m->c);
	EVP_CIPHER_free(m->aes);
}

int milenage_f2345(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
                   uint8_t res[8], uint8_t ck[16], uint8_t ik[16], uint8_t ak[6])
{
	struct milenage_run m;
	uint8_t out[BLOCK];
	int rc = -1;

	if (milenage_begin(&m, k, opc, rand) != 0 || milenage_out(m.c, m.aes, k, opc, m.temp, 0, 1, out) != 0)
		goto done;
	memcpy(res, out + 8, 8);
	memcpy(ak, out, 6);
	if (milenage_out(m.c, m.aes, k, opc, m.temp, 4, 2, ck) != 0 ||
	    milenage_out(m.c, m.aes, k, opc, m.temp, 8, 4, ik) != 0)
		goto done;
	rc = 0;
done:
	if (rc != 0) {
		OPENSSL_cleanse(res, 8);
		OPENSSL_cleanse(ck, 16);
		OPENSSL_cleanse(ik, 16);
		OPENSSL_cleanse(ak, 6);
	}
	OPENSSL_cleanse(out, sizeof out);
	milenage_end(&m);
	return rc;
}

/* OUT1 = E_K(TEMP xor rot(IN1 xor OPc, r1) xor c1) xor OPc with IN1 = SQN || AMF
 * || SQN || AMF, r1 = 64 bits and c1 = 0: MAC-A is its first half, MAC-S the
 * second. */
int milenage_f1(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
                const uint8_t sqn[6], const uint8_t amf[2], uint8_t mac_a[8], uint8_t mac_s[8])
{
	struct milenage_run m;
	uint8_t in1[BLOCK], in[BLOCK], out[BLOCK];
	int rc = -1;

	if (milenage_begin(&m, k, opc, rand) != 0)
		goto done;
	memcpy(in1, sqn, 6);
	memcpy(in1 + 6, amf, 2);
	memcpy(in1 + 8, in1, 8);
	for (int i = 0; i < BLOCK; i++)
		in[(i + BLOCK - 8) % BLOCK] = in1[i] ^ opc[i];
	for (int i = 0; i < BLOCK; i++)
		in[i] ^= m.temp[i];
	if (aes_block(m.c, m.aes, k, in, out) != 0)
		goto done;
	for (int i = 0; i < BLOCK; i++)
		out[i] ^= opc[i];
	if (mac_a)
		memcpy(mac_a, out, 8);
	if (mac_s)
		memcpy(mac_s, out + 8, 8);
	rc = 0;
done:
	OPENSSL_cleanse(in1, sizeof in1);
	OPENSSL_cleanse(in, sizeof in);
	OPENSSL_cleanse(out, sizeof out);
	milenage_end(&m);
	return rc;
}

/* OUT5 = E_K(rot(TEMP xor OPc, r5) xor c5) xor OPc, r5 = 96 bits, c5 = 8. */
int milenage_f5star(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16], uint8_t ak_s[6])
{
	struct milenage_run m;
	uint8_t out[BLOCK];
	int rc = -1;

	if (milenage_begin(&m, k, opc, rand) == 0 && milenage_out(m.c, m.aes, k, opc, m.temp, 12, 8, out) == 0) {
		memcpy(ak_s, out, 6);
		rc = 0;
	}
	OPENSSL_cleanse(out, sizeof out);
	milenage_end(&m);
	return rc;
}
