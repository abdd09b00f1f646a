/* RFC 3957 §5 key derivation (see keygen.h). */
#include "lib/keygen.h"

#include <openssl/crypto.h>

/* Home Address: octets 4..7 of both the Registration Request and Reply. */
#define REG_HOME_ADDR_OFF 4
#define REG_HOME_ADDR_LEN 4

struct reg_bytes keygen_identifier(const struct reg_msg *rrq)
{
	struct reg_bytes id = { NULL, 0 };
	if (rrq == NULL)
		return id;
	if (rrq->nai.p != NULL)
		return rrq->nai;
	if (rrq->buf != NULL && rrq->len >= REG_HOME_ADDR_OFF + REG_HOME_ADDR_LEN) {
		id.p = rrq->buf + REG_HOME_ADDR_OFF;
		id.len = REG_HOME_ADDR_LEN;
	}
	return id;
}

int keygen_derive(struct auth_ctx *ctx, const uint8_t *aaa_key, size_t aaa_key_len,
                  const uint8_t *nonce, size_t nonce_len, const uint8_t *id, size_t id_len,
                  uint8_t key[KEYGEN_KEY_LEN])
{
	if (key == NULL)
		return -1;
	if (nonce == NULL || nonce_len < REG_NONCE_MIN || nonce_len > REG_NONCE_MAX ||
	    id == NULL || id_len == 0 ||
	    auth_hmac2(ctx, AUTH_HMAC_SHA1, aaa_key, aaa_key_len, nonce, nonce_len, id, id_len, key) != 0) {
		OPENSSL_cleanse(key, KEYGEN_KEY_LEN);
		return -1;
	}
	return 0;
}
