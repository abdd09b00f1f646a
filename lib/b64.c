/* base64, strict (see b64.h). */
#include "lib/b64.h"

#include <string.h>

static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t b64_encode(const uint8_t *in, size_t len, char *out, size_t cap)
{
	size_t need = B64_ENC_LEN(len);
	if (out == NULL || cap < need + 1 || (in == NULL && len > 0))
		return 0;
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		out[o++] = b64_alphabet[v >> 18 & 63];
		out[o++] = b64_alphabet[v >> 12 & 63];
		out[o++] = i + 1 < len ? b64_alphabet[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? b64_alphabet[v & 63] : '=';
	}
	out[o] = '\0';
	return o;
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

bool b64_decode(const char *s, size_t len, uint8_t *out, size_t cap, size_t *outlen)
{
	if (s == NULL || len % 4 != 0)
		return false;
	size_t pad = 0;
	if (len >= 4 && s[len - 1] == '=')
		pad = s[len - 2] == '=' ? 2 : 1;
	size_t n = len / 4 * 3 - pad;
	if (n > cap || (out == NULL && n > 0))
		return false;
	size_t o = 0;
	for (size_t i = 0; i < len; i += 4) {
		bool last = i + 4 == len;
		uint32_t v = 0;
		for (size_t j = 0; j < 4; j++) {
			int d = b64_value(s[i + j]);
			if (d < 0) {
				/* '=' only as the padding counted above. */
				if (!last || s[i + j] != '=' || j < 4 - pad)
					return false;
				d = 0;
			}
			v = v << 6 | (uint32_t)d;
		}
		/* Canonical: the bits the padding stands for are zero. */
		if (last && ((pad == 1 && (v & 0xff) != 0) || (pad == 2 && (v & 0xffff) != 0)))
			return false;
		out[o++] = (uint8_t)(v >> 16);
		if (!last || pad < 2)
			out[o++] = (uint8_t)(v >> 8);
		if (!last || pad < 1)
			out[o++] = (uint8_t)v;
	}
	if (outlen)
		*outlen = o;
	return true;
}
