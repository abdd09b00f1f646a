/* Files that hold keys (see keyfile.h). */
#include "lib/keyfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

int keyfile_read(int fd, size_t max, char **out, size_t *out_len)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return -1;
	if ((uint64_t)st.st_size > max) {
		errno = EFBIG;
		return -1;
	}
	size_t cap = (size_t)st.st_size + 1, len = 0;
	char *buf = malloc(cap + 1);
	if (buf == NULL)
		return -1;
	for (;;) {
		if (len == cap) {
			/* The file grew while we read it: take the new part too. */
			char *nbuf = cap * 2 <= max ? malloc(cap * 2 + 1) : NULL;
			if (nbuf == NULL) {
				OPENSSL_clear_free(buf, cap + 1);
				errno = EFBIG;
				return -1;
			}
			memcpy(nbuf, buf, len);
			OPENSSL_clear_free(buf, cap + 1);
			buf = nbuf;
			cap *= 2;
		}
		ssize_t r = pread(fd, buf + len, cap - len, (off_t)len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			OPENSSL_clear_free(buf, cap + 1);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	/* Shrink to what the caller frees: len + 1. */
	char *exact = malloc(len + 1);
	if (exact == NULL) {
		OPENSSL_clear_free(buf, cap + 1);
		return -1;
	}
	memcpy(exact, buf, len);
	exact[len] = '\0';
	OPENSSL_clear_free(buf, cap + 1);
	*out = exact;
	*out_len = len;
	return 0;
}

bool keyfile_hex(const char *p, size_t len, uint8_t *out, size_t n)
{
	if (len != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int hi = OPENSSL_hexchar2int((unsigned char)p[2 * i]);
		int lo = OPENSSL_hexchar2int((unsigned char)p[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

void keyfile_hex_out(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0xf];
	}
}
