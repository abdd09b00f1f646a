/* HTTP Digest computations (see digest.h). */
#include "lib/digest.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

static const char digest_hex_digits[] = "0123456789abcdef";

const char *digest_qop_name(enum digest_qop q)
{
	return q == DIGEST_QOP_AUTH_INT ? "auth-int" : "auth";
}

struct digest_md5 {
	EVP_MD *md;
	EVP_MD_CTX *c;
};

static int md5_begin(struct digest_md5 *h)
{
	return EVP_DigestInit_ex2(h->c, h->md, NULL) == 1 ? 0 : -1;
}

static int md5_add(struct digest_md5 *h, const void *p, size_t len)
{
	return len == 0 || EVP_DigestUpdate(h->c, p, len) == 1 ? 0 : -1;
}

static int md5_str(struct digest_md5 *h, const char *s)
{
	return md5_add(h, s, strlen(s));
}

/* Finish into 32 lowercase hex digits and a NUL. */
static int md5_hex(struct digest_md5 *h, char out[DIGEST_HEX_LEN + 1])
{
	uint8_t d[16];
	unsigned len = 0;
	if (EVP_DigestFinal_ex(h->c, d, &len) != 1 || len != sizeof d)
		return -1;
	for (size_t i = 0; i < sizeof d; i++) {
		out[2 * i] = digest_hex_digits[d[i] >> 4];
		out[2 * i + 1] = digest_hex_digits[d[i] & 15];
	}
	out[DIGEST_HEX_LEN] = '\0';
	OPENSSL_cleanse(d, sizeof d);
	return 0;
}

int digest_response(const struct digest_input *in, char out[DIGEST_HEX_LEN + 1])
{
	struct digest_md5 h = { EVP_MD_fetch(NULL, "MD5", NULL), EVP_MD_CTX_new() };
	char ha1[DIGEST_HEX_LEN + 1], ha2[DIGEST_HEX_LEN + 1], hbody[DIGEST_HEX_LEN + 1];
	int rc = -1;

	if (h.md == NULL || h.c == NULL || in->username == NULL || in->realm == NULL || in->nonce == NULL ||
	    in->nc == NULL || in->cnonce == NULL || in->method == NULL || in->uri == NULL ||
	    (in->password == NULL && in->password_len > 0) || (in->body == NULL && in->body_len > 0))
		goto done;
	if (md5_begin(&h) || md5_str(&h, in->username) || md5_add(&h, ":", 1) || md5_str(&h, in->realm) ||
	    md5_add(&h, ":", 1) || md5_add(&h, in->password, in->password_len) || md5_hex(&h, ha1))
		goto done;
	if (in->qop == DIGEST_QOP_AUTH_INT &&
	    (md5_begin(&h) || md5_add(&h, in->body, in->body_len) || md5_hex(&h, hbody)))
		goto done;
	if (md5_begin(&h) || md5_str(&h, in->method) || md5_add(&h, ":", 1) || md5_str(&h, in->uri))
		goto done;
	if (in->qop == DIGEST_QOP_AUTH_INT && (md5_add(&h, ":", 1) || md5_add(&h, hbody, DIGEST_HEX_LEN)))
		goto done;
	if (md5_hex(&h, ha2))
		goto done;
	const char *qop = digest_qop_name(in->qop);
	if (md5_begin(&h) || md5_add(&h, ha1, DIGEST_HEX_LEN) || md5_add(&h, ":", 1) || md5_str(&h, in->nonce) ||
	    md5_add(&h, ":", 1) || md5_str(&h, in->nc) || md5_add(&h, ":", 1) || md5_str(&h, in->cnonce) ||
	    md5_add(&h, ":", 1) || md5_str(&h, qop) || md5_add(&h, ":", 1) || md5_add(&h, ha2, DIGEST_HEX_LEN) ||
	    md5_hex(&h, out))
		goto done;
	rc = 0;
done:
	OPENSSL_cleanse(ha1, sizeof ha1);
	EVP_MD_CTX_free(h.c);
	EVP_MD_free(h.md);
	return rc;
}

bool digest_check(const struct digest_input *in, const char *hex, size_t hex_len)
{
	char want[DIGEST_HEX_LEN + 1];
	bool ok = hex != NULL && hex_len == DIGEST_HEX_LEN && digest_response(in, want) == 0 &&
	          CRYPTO_memcmp(want, hex, DIGEST_HEX_LEN) == 0;
	OPENSSL_cleanse(want, sizeof want);
	return ok;
}
