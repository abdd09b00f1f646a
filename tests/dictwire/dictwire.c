/*
 * dictwire: builds an AMR, AMA, HAR, HAA, BIR and BIA carrying every AVP of
 * their rules (grouped AVPs with every member) through the freeDiameter API
 * and our dictionaries, checks each against the dictionary rules, serialises
 * it with fd_msg_bufferize and writes:
 *   HEXFILE   the messages as a text2pcap hex dump, one packet each;
 *   EXPFILE   for the tshark cross-check, tab separated: per message
 *             "frame msg code application flags", then one line per AVP in wire
 *             order: frame depth code vendor flags name kind hex show constant
 *             (show: the value as text where it has one; constant: the name our
 *             dictionary gives an enumerated value).
 *
 *   dictwire HEXFILE EXPFILE
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <freeDiameter/freeDiameter-host.h>
#include <freeDiameter/libfdcore.h>

#include "dict/dict_avp.h"
#include "dict/dict_base.h"
#include "dict/dict_mip4.h"
#include "dict/dict_zn.h"

#define G ZN_VENDOR_3GPP
/* 2026-01-01 00:00:00 UTC in NTP seconds. */
#define NTP_2026 (1767225600UL + 2208988800UL)

static void die(const char *what, int err)
{
	fprintf(stderr, "dictwire: %s: %s\n", what, strerror(err));
	exit(1);
}

#define TRY(what, expr)                                                                      \
	do {                                                                                 \
		int _e = (expr);                                                             \
		if (_e)                                                                      \
			die(what, _e);                                                       \
	} while (0)

static struct dict_object *avp_model(uint32_t code, uint32_t vendor)
{
	struct dict_avp_request req = { .avp_vendor = vendor, .avp_code = code };
	struct dict_object *model;
	char what[64];
	snprintf(what, sizeof(what), "AVP %u vendor %u", code, vendor);
	TRY(what, fd_dict_search(fd_g_config->cnf_dict, DICT_AVP, AVP_BY_CODE_AND_VENDOR, &req,
				 &model, ENOENT));
	return model;
}

static void add_u32(void *parent, uint32_t code, uint32_t vendor, uint32_t v)
{
	TRY("add u32", dict_avp_add_u32(parent, avp_model(code, vendor), v));
}

static void add_i32(void *parent, uint32_t code, uint32_t vendor, int32_t v)
{
	TRY("add i32", dict_avp_add_i32(parent, avp_model(code, vendor), v));
}

static void add_os(void *parent, uint32_t code, uint32_t vendor, const void *p, size_t n)
{
	TRY("add octets", dict_avp_add_os(parent, avp_model(code, vendor), p, n));
}

static void add_str(void *parent, uint32_t code, uint32_t vendor, const char *s)
{
	add_os(parent, code, vendor, s, strlen(s));
}

static void add_addr4(void *parent, uint32_t code, const char *dotted)
{
	struct in_addr a;
	if (inet_pton(AF_INET, dotted, &a) != 1)
		die(dotted, EINVAL);
	TRY("add address", dict_avp_add_addr4(parent, avp_model(code, 0), a.s_addr));
}

static void add_time(void *parent, uint32_t code, uint32_t vendor, uint32_t ntp)
{
	uint32_t be = htonl(ntp);
	add_os(parent, code, vendor, &be, 4);
}

static struct avp *group(void *parent, uint32_t code, uint32_t vendor)
{
	struct avp *a;
	TRY("add group", fd_msg_avp_new(avp_model(code, vendor), 0, &a));
	TRY("add group", fd_msg_avp_add(parent, MSG_BRW_LAST_CHILD, a));
	return a;
}

static void add_proxy_info(struct msg *m)
{
	struct avp *pi = group(m, 284, 0);
	add_str(pi, 280, 0, "proxy.lab");
	add_os(pi, 33, 0, "\x01\x02\x03\x04", 4);
}

static void add_vsai(struct msg *m)
{
	struct avp *v = group(m, 260, 0);
	add_u32(v, 266, 0, G);
	add_u32(v, 258, 0, ZN_APP_ID);
}

static const uint8_t rrq[] = { 0x01, 0x22, 0x01, 0x2c, 0x0a, 0x00, 0x00, 0x05, 0x0a, 0x00,
			       0x00, 0x01, 0xc0, 0xa8, 0x01, 0x07, 0xed, 0x00, 0xd6, 0x80,
			       0x00, 0x00, 0x00, 0x01, 0x83, 0x03, 'm', 'n', '1' };
static const uint8_t rrp[] = { 0x03, 0x00, 0x01, 0x2c, 0x0a, 0x00, 0x00, 0x05, 0x0a,
			       0x00, 0x00, 0x01, 0xed, 0x00, 0xd6, 0x80, 0x00, 0x00,
			       0x00, 0x01 };
static const uint8_t nonce[16] = { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
				   0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f };
static const uint8_t key20[20] = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9,
				   0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf, 0xb0, 0xb1, 0xb2, 0xb3 };
static const uint8_t key32[32] = { 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7,
				   0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf,
				   0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7,
				   0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf };
static const char btid[] = "AbCdEfGhIjKlMnOpQrStUv==@bsf.lab";

static void msa(struct avp *g, uint32_t spi_code, uint32_t spi, int replay, const uint8_t *key,
		size_t keylen, const uint8_t *n)
{
	if (spi_code)
		add_u32(g, spi_code, 0, spi);
	add_i32(g, 345, 0, MIP4_ALG_HMAC_SHA1);
	if (replay)
		add_i32(g, 346, 0, replay);
	if (key)
		add_os(g, 343, 0, key, keylen);
	if (n)
		add_os(g, 335, 0, n, 16);
}

static struct msg *new_msg(struct dict_object *cmd, const char *sid)
{
	struct msg *m;
	TRY("fd_msg_new", fd_msg_new(cmd, MSGFL_ALLOC_ETEID, &m));
	add_str(m, 263, 0, sid);
	return m;
}

static struct msg *build_amr(const struct dict_mip4 *d)
{
	struct msg *m = new_msg(d->cmd_amr, "ha.lab;1767225600;1;amr");
	add_u32(m, 258, 0, MIP4_APP_ID);
	add_str(m, 1, 0, btid);
	add_str(m, 283, 0, "aaa.lab");
	add_str(m, 264, 0, "ha.lab");
	add_str(m, 296, 0, "lab");
	add_os(m, 320, 0, rrq, sizeof(rrq));
	struct avp *auth = group(m, 322, 0);
	add_u32(auth, 341, 0, 0x1000);
	add_u32(auth, 338, 0, 52);
	add_u32(auth, 339, 0, 16);
	add_u32(auth, 340, 0, 52);
	add_str(m, 50, 0, "ha.lab;42");
	add_str(m, 293, 0, "aaa.aaa.lab");
	add_u32(m, 278, 0, 7);
	add_addr4(m, 333, "10.0.0.5");
	add_addr4(m, 334, "10.0.0.1");
	add_u32(m, 337, 0, MIP4_FV_CO_LOCATED_MOBILE_NODE | MIP4_FV_MN_HA_KEY_REQUEST);
	struct avp *ofa = group(m, 347, 0);
	add_str(ofa, 296, 0, "foreign.lab");
	add_str(ofa, 264, 0, "aaaf.foreign.lab");
	add_u32(m, 291, 0, 600);
	add_i32(m, 277, 0, 1);
	add_os(m, 344, 0, "\x00", 1);
	add_str(m, 336, 0, "ha2.lab");
	struct avp *hah = group(m, 348, 0);
	add_str(hah, 283, 0, "lab");
	add_str(hah, 293, 0, "ha.lab");
	add_u32(m, 323, 0, 0x2000);
	add_proxy_info(m);
	add_str(m, 282, 0, "relay.lab");
	return m;
}

static struct msg *build_ama(const struct dict_mip4 *d)
{
	struct msg *m = new_msg(d->cmd_ama, "ha.lab;1767225600;1;amr");
	add_u32(m, 258, 0, MIP4_APP_ID);
	add_u32(m, 268, 0, MIP4_RC_SUCCESS);
	add_str(m, 264, 0, "aaa.aaa.lab");
	add_str(m, 296, 0, "aaa.lab");
	add_str(m, 50, 0, "ha.lab;42");
	add_str(m, 1, 0, btid);
	add_u32(m, 291, 0, 600);
	add_i32(m, 277, 0, 1);
	add_str(m, 281, 0, "no error");
	add_str(m, 294, 0, "aaa.aaa.lab");
	add_i32(m, 285, 0, 0);
	add_u32(m, 337, 0, MIP4_FV_CO_LOCATED_MOBILE_NODE | MIP4_FV_MN_HA_KEY_REQUEST);
	add_os(m, 321, 0, rrp, sizeof(rrp));
	msa(group(m, 325, 0), 0, 0, 0, NULL, 0, nonce);
	msa(group(m, 331, 0), 491, 0x3000, MIP4_REPLAY_TIMESTAMPS, NULL, 0, nonce);
	msa(group(m, 326, 0), 319, 0x4000, 0, key20, sizeof(key20), NULL);
	msa(group(m, 328, 0), 318, 0x5000, 0, key20, sizeof(key20), NULL);
	msa(group(m, 332, 0), 0, 0, MIP4_REPLAY_NONCES, key20, sizeof(key20), NULL);
	add_u32(m, 367, 0, 3600);
	add_addr4(m, 334, "10.0.0.1");
	add_addr4(m, 333, "10.0.0.5");
	add_str(m, 342, 0, "permit in ip from any to 10.0.0.5");
	add_str(m, 342, 0, "deny in ip from any to any");
	add_u32(m, 278, 0, 9);
	add_proxy_info(m);
	return m;
}

static struct msg *build_har(const struct dict_mip4 *d)
{
	struct msg *m = new_msg(d->cmd_har, "aaa.aaa.lab;1767225600;2;har");
	add_u32(m, 258, 0, MIP4_APP_ID);
	add_u32(m, 291, 0, 600);
	add_i32(m, 277, 0, 1);
	add_os(m, 320, 0, rrq, sizeof(rrq));
	add_str(m, 264, 0, "aaa.aaa.lab");
	add_str(m, 296, 0, "aaa.lab");
	add_str(m, 1, 0, btid);
	add_str(m, 283, 0, "lab");
	add_u32(m, 337, 0, MIP4_FV_MN_HA_KEY_REQUEST | MIP4_FV_MN_FA_KEY_REQUEST |
				   MIP4_FV_FA_HA_KEY_REQUEST);
	add_str(m, 293, 0, "ha.lab");
	msa(group(m, 331, 0), 491, 0x3000, MIP4_REPLAY_NONE, NULL, 0, nonce);
	msa(group(m, 325, 0), 0, 0, 0, NULL, 0, nonce);
	msa(group(m, 332, 0), 0, 0, MIP4_REPLAY_TIMESTAMPS, key20, sizeof(key20), NULL);
	msa(group(m, 329, 0), 323, 0x6000, 0, key20, sizeof(key20), NULL);
	add_u32(m, 367, 0, 7200);
	struct avp *ofa = group(m, 347, 0);
	add_str(ofa, 296, 0, "foreign.lab");
	add_str(ofa, 264, 0, "aaaf.foreign.lab");
	add_addr4(m, 333, "10.0.0.5");
	add_addr4(m, 334, "10.0.0.1");
	add_str(m, 342, 0, "permit out ip from 10.0.0.0/24 to any");
	add_u32(m, 278, 0, 11);
	add_proxy_info(m);
	add_str(m, 282, 0, "relay.lab");
	return m;
}

static struct msg *build_haa(const struct dict_mip4 *d)
{
	struct msg *m = new_msg(d->cmd_haa, "aaa.aaa.lab;1767225600;2;har");
	add_u32(m, 258, 0, MIP4_APP_ID);
	add_u32(m, 268, 0, MIP4_RC_MIP_REPLY_FAILURE);
	add_str(m, 264, 0, "ha.lab");
	add_str(m, 296, 0, "lab");
	add_str(m, 50, 0, "ha.lab;42");
	add_str(m, 1, 0, btid);
	add_str(m, 294, 0, "ha.lab");
	add_str(m, 281, 0, "registration refused");
	add_os(m, 321, 0, rrp, sizeof(rrp));
	add_addr4(m, 334, "10.0.0.1");
	add_addr4(m, 333, "10.0.0.5");
	add_u32(m, 318, 0, 0x5000);
	add_u32(m, 319, 0, 0x4000);
	add_u32(m, 278, 0, 13);
	add_proxy_info(m);
	return m;
}

static const uint8_t naf_id[] = { 'n', 'a', 'f', '.', 'l', 'a', 'b', 0xff, 0, 0, 0, 1 };

static struct msg *build_bir(const struct dict_zn *d)
{
	struct msg *m = new_msg(d->cmd_bir, "aaa.aaa.lab;1767225600;3;bir");
	add_vsai(m);
	add_str(m, 264, 0, "aaa.aaa.lab");
	add_str(m, 296, 0, "aaa.lab");
	add_str(m, 283, 0, "bsf.lab");
	add_str(m, 293, 0, "bsf.bsf.lab");
	add_os(m, 403, G, "\x00\x01", 2);
	add_os(m, 403, G, "\x00\x02", 2);
	add_str(m, 401, G, btid);
	add_os(m, 402, G, naf_id, sizeof(naf_id));
	add_i32(m, 407, G, ZN_GBA_U_AWARE_YES);
	add_proxy_info(m);
	add_str(m, 282, 0, "relay.lab");
	return m;
}

static struct msg *build_bia(const struct dict_zn *d)
{
	struct msg *m = new_msg(d->cmd_bia, "aaa.aaa.lab;1767225600;3;bir");
	add_vsai(m);
	add_u32(m, 268, 0, MIP4_RC_SUCCESS);
	struct avp *er = group(m, 297, 0);
	add_u32(er, 266, 0, G);
	add_u32(er, 298, 0, ZN_ER_TRANSACTION_IDENTIFIER_INVALID);
	add_str(m, 264, 0, "bsf.bsf.lab");
	add_str(m, 296, 0, "bsf.lab");
	add_str(m, 1, 0, "user1@ims.lab");
	add_os(m, 405, G, key32, sizeof(key32));
	add_os(m, 406, G, key32, 16);
	add_time(m, 404, G, NTP_2026 + 3600);
	add_time(m, 408, G, NTP_2026);
	add_os(m, 400, G, "<guss/>", 7);
	add_i32(m, 410, G, ZN_GBA_TYPE_3G);
	add_proxy_info(m);
	add_str(m, 282, 0, "relay.lab");
	/* Not in the BIA grammar (a Zh AVP), carried as *[ AVP ] to put its V-only
	 * flags on the wire. */
	add_time(m, 409, G, NTP_2026 + 60);
	return m;
}

static const char *kind_of(struct dict_object *model, struct dict_avp_data *ad)
{
	struct dict_object *type;
	struct dict_type_data td;
	if (ad->avp_basetype == AVP_TYPE_GROUPED)
		return "grouped";
	if (fd_dict_search(fd_g_config->cnf_dict, DICT_TYPE, TYPE_OF_AVP, model, &type, ENOENT) ==
		    0 &&
	    fd_dict_getval(type, &td) == 0) {
		if (!strcmp(td.type_name, "Address"))
			return "addr";
		if (!strcmp(td.type_name, "Time"))
			return "time";
		if (!strcmp(td.type_name, "UTF8String") || !strcmp(td.type_name, "DiameterIdentity") ||
		    !strcmp(td.type_name, "IPFilterRule"))
			return "text";
		if (!strncmp(td.type_name, "Enumerated", 10))
			return "enum";
	}
	switch (ad->avp_basetype) {
	case AVP_TYPE_UNSIGNED32:
		return "u32";
	case AVP_TYPE_INTEGER32:
		return "i32";
	default:
		return "octets";
	}
}

static const char *constant_of(struct dict_object *model, struct dict_avp_data *ad,
			       union avp_value *v)
{
	struct dict_object *type, *c;
	struct dict_enumval_data ed;
	if (!v || fd_dict_search(fd_g_config->cnf_dict, DICT_TYPE, TYPE_OF_AVP, model, &type,
				 ENOENT))
		return "";
	struct dict_enumval_request req = { .type_obj = type };
	if (ad->avp_basetype == AVP_TYPE_UNSIGNED32)
		req.search.enum_value.u32 = v->u32;
	else if (ad->avp_basetype == AVP_TYPE_INTEGER32)
		req.search.enum_value.i32 = v->i32;
	else
		return "";
	if (fd_dict_search(fd_g_config->cnf_dict, DICT_ENUMVAL, ENUMVAL_BY_STRUCT, &req, &c, ENOENT) ||
	    fd_dict_getval(c, &ed))
		return "";
	return ed.enum_name;
}

static void expect_avps(FILE *out, int frame, void *parent, int depth)
{
	struct avp *a;
	if (fd_msg_browse(parent, MSG_BRW_FIRST_CHILD, &a, NULL))
		die("browse", EINVAL);
	for (; a; fd_msg_browse(a, MSG_BRW_NEXT, &a, NULL)) {
		struct avp_hdr *h;
		struct dict_object *model;
		struct dict_avp_data ad;
		TRY("avp hdr", fd_msg_avp_hdr(a, &h));
		TRY("avp model", fd_msg_model(a, &model));
		TRY("avp data", fd_dict_getval(model, &ad));
		const char *kind = kind_of(model, &ad);
		uint8_t raw[8];
		const uint8_t *p = raw;
		size_t n = 0;
		char show[512] = "";
		union avp_value *v = h->avp_value;
		if (!strcmp(kind, "grouped")) {
			n = 0;
		} else if (ad.avp_basetype == AVP_TYPE_UNSIGNED32 ||
			   ad.avp_basetype == AVP_TYPE_INTEGER32) {
			uint32_t be = htonl(v->u32);
			memcpy(raw, &be, 4);
			n = 4;
			if (ad.avp_basetype == AVP_TYPE_UNSIGNED32)
				snprintf(show, sizeof(show), "%u", v->u32);
			else
				snprintf(show, sizeof(show), "%d", v->i32);
		} else {
			p = v->os.data;
			n = v->os.len;
			if (!strcmp(kind, "text"))
				snprintf(show, sizeof(show), "%.*s", (int)n, (const char *)p);
			else if (!strcmp(kind, "addr") && n == 6)
				inet_ntop(AF_INET, p + 2, show, sizeof(show));
		}
		fprintf(out, "%d\t%d\t%u\t%u\t%u\t%s\t%s\t", frame, depth, h->avp_code, h->avp_vendor,
			h->avp_flags, ad.avp_name, kind);
		for (size_t i = 0; i < n; i++)
			fprintf(out, "%02x", p[i]);
		fprintf(out, "\t%s\t%s\n", show, constant_of(model, &ad, v));
		if (!strcmp(kind, "grouped"))
			expect_avps(out, frame, a, depth + 1);
	}
}

static void emit(FILE *hex, FILE *exp, int frame, struct msg *m)
{
	struct fd_pei pei;
	memset(&pei, 0, sizeof(pei));
	int ret = fd_msg_parse_rules(m, fd_g_config->cnf_dict, &pei);
	if (ret) {
		fprintf(stderr, "dictwire: frame %d breaks the dictionary rules: %s (%s)\n", frame,
			pei.pei_errcode ? pei.pei_errcode : "?", pei.pei_message ? pei.pei_message : "");
		exit(1);
	}
	uint8_t *buf;
	size_t len;
	TRY("fd_msg_bufferize", fd_msg_bufferize(m, &buf, &len));
	for (size_t i = 0; i < len; i++)
		fprintf(hex, "%s%02x%s", i % 16 == 0 ? "" : " ", buf[i],
			i % 16 == 15 || i + 1 == len ? "\n" : "");
	free(buf);
	struct msg_hdr *mh;
	TRY("msg hdr", fd_msg_hdr(m, &mh));
	fprintf(exp, "%d\tmsg\t%u\t%u\t%u\n", frame, mh->msg_code, mh->msg_appl, mh->msg_flags);
	expect_avps(exp, frame, m, 0);
	fd_msg_free(m);
}

/* text2pcap wants each line prefixed by its offset; emit() writes bare bytes
 * to a memory stream, this adds the offsets, restarting at 0 per packet. */
static void emit_packet(FILE *hex, FILE *exp, int frame, struct msg *m)
{
	char *text;
	size_t size;
	FILE *mem = open_memstream(&text, &size);
	if (!mem)
		die("open_memstream", errno);
	emit(mem, exp, frame, m);
	fclose(mem);
	size_t off = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		fprintf(hex, "%06zx %s\n", off, line);
		off += (strlen(line) + 1) / 3;
	}
	free(text);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: dictwire HEXFILE EXPFILE\n");
		return 2;
	}
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	fd_g_debug_lvl = FD_LOG_ERROR;
	TRY("fd_core_initialize", fd_core_initialize());
	TRY("dict_mip4_register", dict_mip4_register());
	TRY("dict_zn_register", dict_zn_register());
	struct dict_mip4 mip4;
	struct dict_zn zn;
	struct dict_base base;
	TRY("dict_mip4_resolve", dict_mip4_resolve(&mip4));
	TRY("dict_zn_resolve", dict_zn_resolve(&zn));
	TRY("dict_base_resolve", dict_base_resolve(&base));

	FILE *hex = fopen(argv[1], "w"), *exp = fopen(argv[2], "w");
	if (!hex || !exp)
		die("open output", errno);
	emit_packet(hex, exp, 1, build_amr(&mip4));
	emit_packet(hex, exp, 2, build_ama(&mip4));
	emit_packet(hex, exp, 3, build_har(&mip4));
	emit_packet(hex, exp, 4, build_haa(&mip4));
	emit_packet(hex, exp, 5, build_bir(&zn));
	emit_packet(hex, exp, 6, build_bia(&zn));
	if (fclose(hex) || fclose(exp))
		die("write output", errno);
	return 0;
}
