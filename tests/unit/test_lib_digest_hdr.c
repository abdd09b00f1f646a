/* digest_hdr: the Ub header fields of TS 24.109 annex A parsed and written,
 * and a table of malformed values each refused with its reason. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lib/digest_hdr.h"

static struct digest_params parse_ok(const char *s, enum digest_hdr_kind kind)
{
	struct digest_params p;
	enum digest_hdr_err e = digest_hdr_parse(s, strlen(s), kind, &p);
	cr_assert_eq(e, DIGEST_HDR_OK, "%s: %s", s, digest_hdr_err_str(e));
	return p;
}

/* TS 24.109 table A.3-1 (initial request), A.3-3 style challenge, A.4-1 (auts). */
Test(digest_hdr, ts24109_examples)
{
	struct digest_params p = parse_ok("Digest username=\"user1_private@home1.net\", realm=\"bsf.home1.net\", "
	                                  "nonce=\"\", uri=\"/\", response=\"\"",
	                                  DIGEST_HDR_CREDENTIALS);
	cr_expect_str_eq(digest_get(&p, DIGEST_USERNAME), "user1_private@home1.net");
	cr_expect_str_eq(digest_get(&p, DIGEST_REALM), "bsf.home1.net");
	cr_expect_str_eq(digest_get(&p, DIGEST_NONCE), "");
	cr_expect_str_eq(digest_get(&p, DIGEST_RESPONSE), "");
	cr_expect_null(digest_get(&p, DIGEST_QOP));

	p = parse_ok("Digest realm=\"bsf.home1.net\", nonce=\"CjPk9mRqNuT25eRkajM09uTl9nM09uTl9nMz5OX25PZz==\", "
	             "algorithm=AKAv1-MD5, qop=\"auth-int\"",
	             DIGEST_HDR_CHALLENGE);
	cr_expect_str_eq(digest_get(&p, DIGEST_ALGORITHM), "AKAv1-MD5");
	cr_expect_str_eq(digest_get(&p, DIGEST_QOP), "auth-int");
}

Test(digest_hdr, credentials_with_auts)
{
	const char *s = "digest username=\"user1_private@home1.net\",realm=\"bsf.home1.net\" ,\t"
	                "nonce=\"base64\", uri=\"/\", qop=auth-int, nc=00000001, cnonce=\"6629fae4\", "
	                "response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c\", algorithm=AKAv1-MD5, "
	                "auts=\"CjkyMzRfOiwg5CfkJ2UK=\", Future=\"ignored\", other=token";
	struct digest_params p = parse_ok(s, DIGEST_HDR_CREDENTIALS);
	cr_expect_str_eq(digest_get(&p, DIGEST_QOP), "auth-int");
	cr_expect_str_eq(digest_get(&p, DIGEST_NC), "00000001");
	cr_expect_str_eq(digest_get(&p, DIGEST_AUTS), "CjkyMzRfOiwg5CfkJ2UK=");
	cr_expect_str_eq(digest_get(&p, DIGEST_OPAQUE), "5ccc069c");
	cr_expect_eq(p.len[DIGEST_RESPONSE], 32);
}

Test(digest_hdr, authentication_info)
{
	struct digest_params p = parse_ok("qop=auth-int, rspauth=\"6629fae49394a05397450978507c4ef1\", "
	                                  "cnonce=\"6629fae49393a05397450978507c4ef1\", nc=00000001",
	                                  DIGEST_HDR_INFO);
	cr_expect_str_eq(digest_get(&p, DIGEST_RSPAUTH), "6629fae49394a05397450978507c4ef1");
	struct digest_params q;
	cr_expect_eq(digest_hdr_parse("Digest qop=auth", 15, DIGEST_HDR_INFO, &q), DIGEST_HDR_ERR_SYNTAX,
	             "Authentication-Info has no scheme");
}

Test(digest_hdr, quoting)
{
	struct digest_params p = parse_ok("Digest username=\"a\\\"b\\\\c\\d\", realm=\"\"", DIGEST_HDR_CREDENTIALS);
	cr_expect_str_eq(digest_get(&p, DIGEST_USERNAME), "a\"b\\cd");
	char out[256];
	size_t n = digest_hdr_format(&p, DIGEST_HDR_CREDENTIALS, out, sizeof out);
	cr_assert_gt(n, 0);
	cr_expect_str_eq(out, "Digest username=\"a\\\"b\\\\cd\", realm=\"\"");
	struct digest_params q = parse_ok(out, DIGEST_HDR_CREDENTIALS);
	cr_expect_str_eq(digest_get(&q, DIGEST_USERNAME), digest_get(&p, DIGEST_USERNAME));
}

/* Each header field is written the way RFC 2617 spells it, and reads back. */
Test(digest_hdr, format_round_trip)
{
	struct digest_params p;
	memset(&p, 0, sizeof p);
	cr_assert(digest_set(&p, DIGEST_REALM, "bsf.lab.example"));
	cr_assert(digest_set(&p, DIGEST_NONCE, "I1U8vpY3+/=="));
	cr_assert(digest_set(&p, DIGEST_ALGORITHM, "AKAv1-MD5"));
	cr_assert(digest_set(&p, DIGEST_QOP, "auth-int"));
	cr_assert(digest_set(&p, DIGEST_OPAQUE, "0a1b"));
	cr_assert(digest_set(&p, DIGEST_STALE, "TRUE"));
	char out[512];
	cr_assert_gt(digest_hdr_format(&p, DIGEST_HDR_CHALLENGE, out, sizeof out), 0);
	cr_expect_str_eq(out, "Digest realm=\"bsf.lab.example\", nonce=\"I1U8vpY3+/==\", algorithm=AKAv1-MD5, "
	                      "opaque=\"0a1b\", qop=\"auth-int\", stale=TRUE");
	struct digest_params q = parse_ok(out, DIGEST_HDR_CHALLENGE);
	cr_expect_eq(q.present, p.present);
	for (int f = 0; f < DIGEST_F_N; f++)
		if (digest_get(&p, f))
			cr_expect_str_eq(digest_get(&q, f), digest_get(&p, f), "%s", digest_field_name(f));

	memset(&p, 0, sizeof p);
	cr_assert(digest_set(&p, DIGEST_QOP, "auth-int"));
	cr_assert(digest_set(&p, DIGEST_RSPAUTH, "00ff"));
	cr_assert(digest_set(&p, DIGEST_NC, "00000001"));
	cr_assert_gt(digest_hdr_format(&p, DIGEST_HDR_INFO, out, sizeof out), 0);
	cr_expect_str_eq(out, "qop=auth-int, nc=00000001, rspauth=\"00ff\"");

	cr_expect_eq(digest_hdr_format(&p, DIGEST_HDR_INFO, out, 10), 0, "no room");
	cr_assert(digest_set(&p, DIGEST_NC, "0 1"));
	cr_expect_eq(digest_hdr_format(&p, DIGEST_HDR_INFO, out, sizeof out), 0, "nc is a token");
	cr_expect(!digest_set(&p, DIGEST_NC, "a\nb"), "no control character");
	char big[DIGEST_VALUE_MAX + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	cr_expect(!digest_set(&p, DIGEST_USERNAME, big));
	big[DIGEST_VALUE_MAX] = '\0';
	cr_expect(digest_set(&p, DIGEST_USERNAME, big));
}

Test(digest_hdr, refused)
{
	static const struct {
		const char *s;
		enum digest_hdr_err e;
	} cases[] = {
		{ "", DIGEST_HDR_ERR_SCHEME },
		{ "Basic dXNlcjpwYXNz", DIGEST_HDR_ERR_SCHEME },
		{ "Digestive username=\"a\"", DIGEST_HDR_ERR_SCHEME },
		{ "Digest,username=\"a\"", DIGEST_HDR_ERR_SCHEME },
		{ "Digest", DIGEST_HDR_ERR_EMPTY },
		{ "Digest   ", DIGEST_HDR_ERR_EMPTY },
		{ "Digest username", DIGEST_HDR_ERR_SYNTAX },
		{ "Digest username=", DIGEST_HDR_ERR_SYNTAX },
		{ "Digest username=\"a", DIGEST_HDR_ERR_SYNTAX },
		{ "Digest username=\"a\\", DIGEST_HDR_ERR_SYNTAX },
		{ "Digest username=\"a\" realm=\"b\"", DIGEST_HDR_ERR_SYNTAX },
		{ "Digest =\"a\"", DIGEST_HDR_ERR_SYNTAX },
		{ "Digest username=a b", DIGEST_HDR_ERR_SYNTAX },
		{ "Digest username=\"a\", username=\"b\"", DIGEST_HDR_ERR_DUPLICATE },
		{ "Digest USERNAME=\"a\", username=\"b\"", DIGEST_HDR_ERR_DUPLICATE },
		{ "Digest username=\"a\x01\"", DIGEST_HDR_ERR_CHAR },
		{ "Digest username=\"\xc3\xa9\"", DIGEST_HDR_ERR_CHAR },
		{ "Digest username=\"a\"\r\n, realm=\"b\"", DIGEST_HDR_ERR_CHAR },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct digest_params p;
		enum digest_hdr_err e = digest_hdr_parse(cases[i].s, strlen(cases[i].s), DIGEST_HDR_CREDENTIALS, &p);
		cr_expect_eq(e, cases[i].e, "case %zu '%s': %s, want %s", i, cases[i].s, digest_hdr_err_str(e),
		             digest_hdr_err_str(cases[i].e));
		cr_expect_eq(p.present, 0u, "case %zu: nothing kept", i);
	}
}

Test(digest_hdr, bounds)
{
	char s[DIGEST_HDR_MAX + 64];
	struct digest_params p;
	/* A value of DIGEST_VALUE_MAX octets passes, one more does not. */
	int n = snprintf(s, sizeof s, "Digest username=\"%0*d\"", DIGEST_VALUE_MAX, 0);
	cr_expect_eq(digest_hdr_parse(s, (size_t)n, DIGEST_HDR_CREDENTIALS, &p), DIGEST_HDR_OK);
	n = snprintf(s, sizeof s, "Digest username=\"%0*d\"", DIGEST_VALUE_MAX + 1, 0);
	cr_expect_eq(digest_hdr_parse(s, (size_t)n, DIGEST_HDR_CREDENTIALS, &p), DIGEST_HDR_ERR_VALUE_TOO_LONG);
	n = snprintf(s, sizeof s, "Digest username=%0*d", DIGEST_VALUE_MAX + 1, 0);
	cr_expect_eq(digest_hdr_parse(s, (size_t)n, DIGEST_HDR_CREDENTIALS, &p), DIGEST_HDR_ERR_VALUE_TOO_LONG);
	/* Unknown directives are bounded too, and count towards the element limit. */
	n = snprintf(s, sizeof s, "Digest x=\"%0*d\"", DIGEST_VALUE_MAX + 1, 0);
	cr_expect_eq(digest_hdr_parse(s, (size_t)n, DIGEST_HDR_CREDENTIALS, &p), DIGEST_HDR_ERR_VALUE_TOO_LONG);
	size_t o = (size_t)snprintf(s, sizeof s, "Digest ");
	for (int i = 0; i < DIGEST_MAX_PARAMS; i++)
		o += (size_t)snprintf(s + o, sizeof s - o, "x%d=1,", i);
	cr_expect_eq(digest_hdr_parse(s, o, DIGEST_HDR_CREDENTIALS, &p), DIGEST_HDR_OK, "32 elements");
	o += (size_t)snprintf(s + o, sizeof s - o, "y=1");
	cr_expect_eq(digest_hdr_parse(s, o, DIGEST_HDR_CREDENTIALS, &p), DIGEST_HDR_ERR_TOO_MANY);
	memset(s, ' ', sizeof s);
	memcpy(s, "Digest a=1", 10);
	cr_expect_eq(digest_hdr_parse(s, DIGEST_HDR_MAX + 1, DIGEST_HDR_CREDENTIALS, &p), DIGEST_HDR_ERR_TOO_LONG);
	cr_expect_eq(digest_hdr_parse(s, DIGEST_HDR_MAX, DIGEST_HDR_CREDENTIALS, &p), DIGEST_HDR_OK);
}

/* Empty list elements are skipped (RFC 7230 §7). */
Test(digest_hdr, empty_elements)
{
	struct digest_params p = parse_ok("Digest , username=\"a\",, ,realm=\"b\",", DIGEST_HDR_CREDENTIALS);
	cr_expect_str_eq(digest_get(&p, DIGEST_REALM), "b");
	cr_expect_str_eq(digest_field_name(DIGEST_AUTS), "auts");
}
