/* 3GPP TS 33.220 key derivation and identifiers (see gba.h). */
#include "lib/gba.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "lib/b64.h"

#define KDF_PARAM_MAX 65535
#define DNS_LABEL_MAX 63

static const char label_me[] = "gba-me";
static const char label_u[] = "gba-u";

static bool params_ok(const struct gba_param *params, size_t n)
{
	if (n > GBA_KDF_MAX_PARAMS || (n > 0 && params == NULL))
		return false;
	for (size_t i = 0; i < n; i++)
		if (params[i].len > KDF_PARAM_MAX || (params[i].len > 0 && params[i].p == NULL))
			return false;
	return true;
}

size_t gba_kdf_input(uint8_t fc, const struct gba_param *params, size_t n, uint8_t *out, size_t cap)
{
	if (!params_ok(params, n) || out == NULL)
		return 0;
	size_t need = 1;
	for (size_t i = 0; i < n; i++)
		need += params[i].len + 2;
	if (need > cap)
		return 0;
	size_t o = 0;
	out[o++] = fc;
	for (size_t i = 0; i < n; i++) {
		if (params[i].len > 0)
			memcpy(out + o, params[i].p, params[i].len);
		o += params[i].len;
		out[o++] = (uint8_t)(params[i].len >> 8);
		out[o++] = (uint8_t)params[i].len;
	}
	return o;
}

int gba_kdf(struct auth_ctx *ctx, const uint8_t *key, size_t keylen, uint8_t fc,
            const struct gba_param *params, size_t n, uint8_t out[32])
{
	/* FC, then each P_i and its two-octet length L_i (Annex B.2.1). */
	struct auth_iov iov[1 + 2 * GBA_KDF_MAX_PARAMS];
	uint8_t lens[GBA_KDF_MAX_PARAMS][2];
	if (out == NULL)
		return -1;
	if (!params_ok(params, n)) {
		OPENSSL_cleanse(out, 32);
		return -1;
	}
	size_t k = 0;
	iov[k++] = (struct auth_iov){ &fc, 1 };
	for (size_t i = 0; i < n; i++) {
		lens[i][0] = (uint8_t)(params[i].len >> 8);
		lens[i][1] = (uint8_t)params[i].len;
		iov[k++] = (struct auth_iov){ params[i].p, params[i].len };
		iov[k++] = (struct auth_iov){ lens[i], 2 };
	}
	if (auth_hmacv(ctx, AUTH_HMAC_SHA256, key, keylen, iov, k, out) != 0) {
		OPENSSL_cleanse(out, 32);
		return -1;
	}
	return 0;
}

int gba_ks_naf(struct auth_ctx *ctx, const uint8_t ks[GBA_KS_LEN], const uint8_t rand[GBA_RAND_LEN],
               const char *impi, size_t impi_len, const uint8_t *naf_id, size_t naf_id_len,
               bool gba_u, uint8_t out[GBA_KS_NAF_LEN])
{
	/* TS 33.220 Annex B.3: FC 0x01, P0 "gba-me"/"gba-u", P1 RAND, P2 IMPI, P3 NAF_Id. */
	const char *label = gba_u ? label_u : label_me;
	struct gba_param p[4] = {
		{ (const uint8_t *)label, strlen(label) },
		{ rand, GBA_RAND_LEN },
		{ (const uint8_t *)impi, impi_len },
		{ naf_id, naf_id_len },
	};
	if (ks == NULL || rand == NULL || impi == NULL || impi_len == 0 || naf_id == NULL ||
	    naf_id_len <= GBA_UA_ID_LEN) {
		if (out != NULL)
			OPENSSL_cleanse(out, GBA_KS_NAF_LEN);
		return -1;
	}
	return gba_kdf(ctx, ks, GBA_KS_LEN, 0x01, p, 4, out);
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Host name syntax (RFC 1123 §2.1): letters, digits and inner hyphens, labels of
 * 1..63 octets, 1..253 in all, no trailing dot. */
static bool dns_name_ok(const char *p, size_t len)
{
	if (p == NULL || len == 0 || len > GBA_FQDN_MAX)
		return false;
	size_t label = 0;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		if (c == '.') {
			if (label == 0 || p[i - 1] == '-')
				return false;
			label = 0;
		} else if (is_alnum(c) || c == '-') {
			if (c == '-' && label == 0)
				return false;
			if (++label > DNS_LABEL_MAX)
				return false;
		} else {
			return false;
		}
	}
	return label > 0 && p[len - 1] != '-';
}

size_t gba_naf_id(const char *fqdn, const uint8_t ua[GBA_UA_ID_LEN], uint8_t *out, size_t cap)
{
	if (fqdn == NULL || ua == NULL || out == NULL)
		return 0;
	size_t flen = strnlen(fqdn, GBA_FQDN_MAX + 1);
	if (!dns_name_ok(fqdn, flen) || flen + GBA_UA_ID_LEN > cap)
		return 0;
	memcpy(out, fqdn, flen);
	memcpy(out + flen, ua, GBA_UA_ID_LEN);
	return flen + GBA_UA_ID_LEN;
}

bool gba_ua_id_parse(const char *hex, uint8_t ua[GBA_UA_ID_LEN])
{
	uint8_t tmp[GBA_UA_ID_LEN];
	if (hex == NULL || strnlen(hex, 2 * GBA_UA_ID_LEN + 1) != 2 * GBA_UA_ID_LEN)
		return false;
	for (size_t i = 0; i < GBA_UA_ID_LEN; i++) {
		int hi = OPENSSL_hexchar2int((unsigned char)hex[2 * i]);
		int lo = OPENSSL_hexchar2int((unsigned char)hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		tmp[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(ua, tmp, sizeof tmp);
	return true;
}

size_t gba_btid_format(const uint8_t rand[GBA_RAND_LEN], const char *domain, char *out, size_t cap)
{
	if (rand == NULL || domain == NULL || out == NULL)
		return 0;
	size_t dlen = strnlen(domain, GBA_FQDN_MAX + 1);
	size_t total = GBA_RAND_B64_LEN + 1 + dlen;
	if (!dns_name_ok(domain, dlen) || total > GBA_BTID_MAX || total + 1 > cap)
		return 0;
	if (b64_encode(rand, GBA_RAND_LEN, out, cap) != GBA_RAND_B64_LEN)
		return 0;
	out[GBA_RAND_B64_LEN] = '@';
	memcpy(out + GBA_RAND_B64_LEN + 1, domain, dlen);
	out[total] = '\0';
	return total;
}

bool gba_btid_parse(const char *btid, size_t len, uint8_t rand[GBA_RAND_LEN],
                    const char **domain, size_t *domain_len)
{
	/* Only the one canonical spelling of the RAND: 22 characters and "==". */
	uint8_t dec[GBA_RAND_LEN];
	size_t n;
	if (btid == NULL || rand == NULL || len < GBA_RAND_B64_LEN + 2 || len > GBA_BTID_MAX ||
	    btid[GBA_RAND_B64_LEN] != '@')
		return false;
	const char *d = btid + GBA_RAND_B64_LEN + 1;
	size_t dlen = len - GBA_RAND_B64_LEN - 1;
	if (!dns_name_ok(d, dlen) || !b64_decode(btid, GBA_RAND_B64_LEN, dec, sizeof dec, &n) ||
	    n != GBA_RAND_LEN)
		return false;
	memcpy(rand, dec, GBA_RAND_LEN);
	if (domain != NULL)
		*domain = d;
	if (domain_len != NULL)
		*domain_len = dlen;
	return true;
}
