/* Digest AKA directive values (see akadigest.h). */
#include "lib/akadigest.h"

#include <string.h>

#include <openssl/crypto.h>

size_t akadigest_nonce_make(const uint8_t rand[AKA_RAND_LEN], const uint8_t autn[AKA_AUTN_LEN],
                            const uint8_t *sdata, size_t sdata_len, char *out, size_t cap)
{
	uint8_t raw[AKA_RAND_LEN + AKA_AUTN_LEN + AKADIGEST_SDATA_MAX];
	if (sdata_len > AKADIGEST_SDATA_MAX || (sdata == NULL && sdata_len > 0))
		return 0;
	memcpy(raw, rand, AKA_RAND_LEN);
	memcpy(raw + AKA_RAND_LEN, autn, AKA_AUTN_LEN);
	if (sdata_len)
		memcpy(raw + AKA_RAND_LEN + AKA_AUTN_LEN, sdata, sdata_len);
	return b64_encode(raw, AKA_RAND_LEN + AKA_AUTN_LEN + sdata_len, out, cap);
}

bool akadigest_nonce_parse(const char *nonce, size_t len, uint8_t rand[AKA_RAND_LEN],
                           uint8_t autn[AKA_AUTN_LEN])
{
	uint8_t raw[AKA_RAND_LEN + AKA_AUTN_LEN + AKADIGEST_SDATA_MAX];
	size_t n;
	if (len > AKADIGEST_NONCE_MAX || !b64_decode(nonce, len, raw, sizeof raw, &n) ||
	    n < AKA_RAND_LEN + AKA_AUTN_LEN)
		return false;
	memcpy(rand, raw, AKA_RAND_LEN);
	memcpy(autn, raw + AKA_RAND_LEN, AKA_AUTN_LEN);
	return true;
}

size_t akadigest_auts_encode(const uint8_t auts[AKA_AUTS_LEN], char *out, size_t cap)
{
	return b64_encode(auts, AKA_AUTS_LEN, out, cap);
}

bool akadigest_auts_decode(const char *s, size_t len, uint8_t auts[AKA_AUTS_LEN])
{
	uint8_t raw[AKA_AUTS_LEN + 3];
	size_t n;
	bool ok = len == AKADIGEST_AUTS_B64_LEN && b64_decode(s, len, raw, sizeof raw, &n) && n == AKA_AUTS_LEN;
	if (ok)
		memcpy(auts, raw, AKA_AUTS_LEN);
	OPENSSL_cleanse(raw, sizeof raw);
	return ok;
}
