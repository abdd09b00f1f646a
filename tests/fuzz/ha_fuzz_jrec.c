/*
 * libFuzzer target: the journal's record reader (mip4-ha/jrec.c) on arbitrary
 * bytes, what a damaged journal file gives it.  Invariants: the walk ends,
 * every octet is either in a record or counted as damaged, and every record
 * found encodes back to the very octets it was read from.
 * Not named fuzz_*.c: lib/module.mk builds those with the library sources only.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mip4-ha/jrec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jscan s;
	struct jrec r;
	size_t good = 0;
	jscan_init(&s, data, size);
	while (jscan_next(&s, &r)) {
		uint8_t back[JREC_MAX];
		size_t len = jrec_encode(&r, back, sizeof back);
		if (len == 0 || len > s.off || memcmp(back, data + s.off - len, len) != 0)
			abort();
		good += len;
	}
	if (s.off != size || good + s.bad_bytes != size)
		abort();
	struct jfile_hdr h;
	if (jfile_hdr_decode(data, size, &h)) {
		uint8_t back[JFILE_HDR_LEN];
		jfile_hdr_encode(&h, back);
		if (memcmp(back, data, 28) != 0)
			abort();
	}
	return 0;
}
