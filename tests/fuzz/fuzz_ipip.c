/*
 * libFuzzer target: the packet checks of lib/ipv4 and lib/ipip on arbitrary
 * octets, and the invariants of what is built from a datagram that passed them:
 * an accepted IP-in-IP datagram's inner view lies inside the input and
 * re-encapsulates to the same outer length; an ICMP error about any checked
 * datagram is itself a valid datagram of at most 576 octets whose ICMP checksum
 * holds; fragments of it are valid and carry the payload in order.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/ipip.h"

static void fuzz_ipip_check(int cond)
{
	if (!cond)
		abort();
}

static void fuzz_ipip_datagram(const uint8_t *p, const struct ipv4_hdr *h)
{
	static uint8_t out[IPV4_MAX_LEN];
	struct ipv4_hdr e;
	size_t n = icmp_unreach_build(out, sizeof out, p, h, 0x0100000a, ICMP_CODE_FRAG_NEEDED, 1480, 1);
	fuzz_ipip_check(n > 0 && n <= ICMP_ERROR_MAX);
	fuzz_ipip_check(ipv4_parse(out, n, &e) == IPV4_OK && e.total_len == n && e.dst == h->src);
	fuzz_ipip_check(ipv4_checksum(out + 20, n - 20) == 0);
	fuzz_ipip_check(memcmp(out + 28, p, n - 28) == 0);
	(void)icmp_error_allowed(p, h);

	unsigned frags = ipv4_fragment_count(h, 576);
	size_t covered = 0;
	for (unsigned i = 0; i < frags; i++) {
		size_t len = ipv4_fragment_build(p, h, 576, i, out, sizeof out);
		fuzz_ipip_check(len > 0 && len <= (frags == 1 ? h->total_len : 576));
		fuzz_ipip_check(ipv4_parse(out, len, &e) == IPV4_OK);
		if (frags > 1) {
			fuzz_ipip_check((size_t)((e.frag & IPV4_OFFMASK) - (h->frag & IPV4_OFFMASK)) * 8 == covered);
			fuzz_ipip_check(memcmp(out + 20, p + 20 + covered, len - 20) == 0);
			covered += len - 20;
		}
	}
	fuzz_ipip_check(frags <= 1 || covered == (size_t)h->total_len - 20);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipv4_hdr h;
	if (ipv4_parse(data, size, &h) == IPV4_OK) {
		fuzz_ipip_check(h.hlen >= 20 && h.hlen <= h.total_len && h.total_len <= size);
		fuzz_ipip_datagram(data, &h);
	}
	struct ipip_view v;
	if (ipip_decap_parse(data, size, &v) == IPIP_OK) {
		fuzz_ipip_check(v.inner_pkt == data + v.outer.hlen);
		fuzz_ipip_check(v.outer.hlen + (size_t)v.inner.total_len == v.outer.total_len);
		uint8_t hdr[IPIP_HDR_LEN];
		fuzz_ipip_check(ipip_encap_header(hdr, &v.inner, v.outer.src, v.outer.dst, v.outer.id, v.outer.ttl));
		fuzz_ipip_check((size_t)(hdr[2] << 8 | hdr[3]) == (size_t)v.inner.total_len + IPIP_HDR_LEN);
		fuzz_ipip_datagram(v.inner_pkt, &v.inner);
	}
	return 0;
}
