/*
 * Shared by fuzz_reg_request.c and fuzz_reg_reply.c: parse one input and check
 * what must hold whatever the bytes were.  A broken invariant aborts, which
 * libFuzzer reports as a crash with the input that caused it.
 *
 *   - the result is a known error value with a name;
 *   - every view the parser filled in, even on error, lies inside the input;
 *   - on error, err_off is inside the input (or its end);
 *   - on success the extensions tile the datagram exactly (no gap, no overlap,
 *     no empty one), each authentication extension covers exactly the octets
 *     before its authenticator, and reg_build_copy gives back the input.
 */
#ifndef MIP4_FUZZ_REG_CHECK_H
#define MIP4_FUZZ_REG_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/reg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_reg_view(const struct reg_msg *m, struct reg_bytes v)
{
	if (v.p == NULL) {
		if (v.len != 0)
			abort();
		return;
	}
	if (v.p < m->buf || v.len > m->len || (size_t)(v.p - m->buf) > m->len - v.len)
		abort();
}

static void fuzz_reg_auth(const struct reg_msg *m, const struct reg_auth *a, size_t hdr)
{
	if (!a->present)
		return;
	fuzz_reg_view(m, a->authenticator);
	if (a->authenticator.p == NULL || a->authenticator.len < 16)
		abort();
	if (a->covered_len != a->off + hdr + 4 || a->covered_len != (size_t)(a->authenticator.p - m->buf))
		abort();
}

static void fuzz_reg_check(const uint8_t *data, size_t size, bool rrq)
{
	static uint8_t out[REG_MAX_DATAGRAM];
	struct reg_msg m;
	enum reg_err e = rrq ? reg_parse_request(data, size, &m) : reg_parse_reply(data, size, &m);

	if ((unsigned)e >= REG_ERR__COUNT || reg_err_str(e) == NULL)
		abort();
	if ((reg_err_action(e) == REG_ACT_OK) != (e == REG_OK))
		abort();
	if (m.n_ext > REG_MAX_EXTENSIONS)
		abort();
	fuzz_reg_view(&m, m.nai);
	fuzz_reg_view(&m, m.challenge);
	fuzz_reg_auth(&m, &m.mn_ha, 2);
	fuzz_reg_auth(&m, &m.mn_fa, 2);
	fuzz_reg_auth(&m, &m.fa_ha, 2);
	fuzz_reg_auth(&m, &m.mn_aaa, 4);
	fuzz_reg_view(&m, m.mn_ha_keyreq.data);
	fuzz_reg_view(&m, m.mn_fa_keyreq.data);
	fuzz_reg_view(&m, m.mn_ha_keyrep.nonce);
	fuzz_reg_view(&m, m.mn_fa_keyrep.nonce);
	if (e != REG_OK) {
		if (m.err_off > size)
			abort();
		return;
	}

	size_t off = rrq ? REG_RRQ_FIXED_LEN : REG_RRP_FIXED_LEN;
	for (size_t i = 0; i < m.n_ext; i++) {
		if (m.ext[i].off != off || m.ext[i].len == 0 || m.ext[i].len > size - off)
			abort();
		if (data[off] != m.ext[i].type)
			abort();
		off += m.ext[i].len;
	}
	if (off != size)
		abort();
	if (m.nai.p != NULL && (m.nai.len == 0 || m.nai.len > REG_NAI_MAX))
		abort();

	size_t n = reg_build_copy(&m, out, sizeof out);
	if (n != size || (size > 0 && memcmp(out, data, size) != 0))
		abort();
}

#endif
