/* libFuzzer target: digest_hdr_parse as each header field, and for what it
 * accepts: every value bounded and NUL-terminated, and what digest_hdr_format
 * writes parses back to the same directives. */
#include <stdlib.h>
#include <string.h>

#include "lib/digest_hdr.h"

static void check(const uint8_t *data, size_t size, enum digest_hdr_kind kind)
{
	static struct digest_params p, q;
	static char out[DIGEST_HDR_MAX * 2 + 64];
	if (digest_hdr_parse((const char *)data, size, kind, &p) != DIGEST_HDR_OK) {
		if (p.present != 0)
			abort();
		return;
	}
	for (int f = 0; f < DIGEST_F_N; f++) {
		const char *v = digest_get(&p, (enum digest_field)f);
		if (v != NULL && (p.len[f] > DIGEST_VALUE_MAX || strlen(v) != p.len[f]))
			abort();
	}
	/* Only unknown directives: nothing to write back. */
	if (p.present == 0)
		return;
	size_t n = digest_hdr_format(&p, kind, out, sizeof out);
	if (n == 0) {
		/* Only a token directive that held a quoted non-token value may fail. */
		bool token_field_bad = false;
		for (int f = 0; f < DIGEST_F_N; f++) {
			const char *v = digest_get(&p, (enum digest_field)f);
			if (v == NULL || !(f == DIGEST_ALGORITHM || f == DIGEST_NC || f == DIGEST_STALE ||
			                   (f == DIGEST_QOP && kind != DIGEST_HDR_CHALLENGE)))
				continue;
			if (p.len[f] == 0 || strpbrk(v, " \t\"(),/:;<=>?@[\\]{}") != NULL)
				token_field_bad = true;
		}
		if (!token_field_bad)
			abort();
		return;
	}
	if (n > DIGEST_HDR_MAX)
		return;
	if (digest_hdr_parse(out, n, kind, &q) != DIGEST_HDR_OK || q.present != p.present)
		abort();
	for (int f = 0; f < DIGEST_F_N; f++)
		if (digest_get(&p, f) && (q.len[f] != p.len[f] || memcmp(q.v[f], p.v[f], p.len[f]) != 0))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(data, size, DIGEST_HDR_CHALLENGE);
	check(data, size, DIGEST_HDR_CREDENTIALS);
	check(data, size, DIGEST_HDR_INFO);
	return 0;
}
