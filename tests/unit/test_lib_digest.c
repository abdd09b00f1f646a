/* digest: the published RFC 2617 and RFC 7616 MD5 examples, Digest AKAv1-MD5
 * cross-checks (tests/data/digest.json), and what each input changes. */
#include <criterion/criterion.h>
#include <string.h>

#include "lib/digest.h"
#include "tests/unit/vectors.h"

static struct digest_input input_of(const struct vectors_digest *v)
{
	return (struct digest_input){
		.username = (const char *)v->username.p, .realm = (const char *)v->realm.p,
		.password = v->password.p, .password_len = v->password.len,
		.nonce = (const char *)v->nonce.p, .nc = (const char *)v->nc.p, .cnonce = (const char *)v->cnonce.p,
		.qop = strcmp((const char *)v->qop.p, "auth-int") == 0 ? DIGEST_QOP_AUTH_INT : DIGEST_QOP_AUTH,
		.method = (const char *)v->method.p, .uri = (const char *)v->uri.p,
		.body = v->body.p, .body_len = v->body.len,
	};
}

Test(digest, vectors)
{
	size_t n = vectors_digest_count();
	cr_assert_eq(n, 5);
	for (size_t i = 0; i < n; i++) {
		struct vectors_digest v = vectors_digest(i);
		struct digest_input in = input_of(&v);
		char out[DIGEST_HEX_LEN + 1];
		cr_assert_eq(digest_response(&in, out), 0, "%s", v.name.p);
		cr_expect_str_eq(out, (const char *)v.response.p, "%s", v.name.p);
		cr_expect(digest_check(&in, (const char *)v.response.p, v.response.len), "%s", v.name.p);
	}
}

/* Every input is covered: change one and the response moves; the check wants
 * exactly 32 lowercase digits. */
Test(digest, every_input_counts)
{
	struct vectors_digest v = vectors_digest(3); /* akav1-rspauth: auth-int with a body */
	cr_assert_str_eq((const char *)v.name.p, "akav1-rspauth");
	struct digest_input base = input_of(&v), in;
	const char *want = (const char *)v.response.p;
	uint8_t pw[8];
	memcpy(pw, v.password.p, 8);
	pw[7] ^= 1;
	char body[512];
	memcpy(body, v.body.p, v.body.len);
	body[10] ^= 1;

	in = base; in.username = "x"; cr_expect(!digest_check(&in, want, 32), "username");
	in = base; in.realm = "x"; cr_expect(!digest_check(&in, want, 32), "realm");
	in = base; in.password = pw; cr_expect(!digest_check(&in, want, 32), "password");
	in = base; in.password_len = 0; cr_expect(!digest_check(&in, want, 32), "empty password");
	in = base; in.nonce = "x"; cr_expect(!digest_check(&in, want, 32), "nonce");
	in = base; in.nc = "00000002"; cr_expect(!digest_check(&in, want, 32), "nc");
	in = base; in.cnonce = "x"; cr_expect(!digest_check(&in, want, 32), "cnonce");
	in = base; in.qop = DIGEST_QOP_AUTH; cr_expect(!digest_check(&in, want, 32), "qop");
	in = base; in.method = "GET"; cr_expect(!digest_check(&in, want, 32), "method");
	in = base; in.uri = "/x"; cr_expect(!digest_check(&in, want, 32), "uri");
	in = base; in.body = (const uint8_t *)body; cr_expect(!digest_check(&in, want, 32), "body");
	in = base; in.body_len--; cr_expect(!digest_check(&in, want, 32), "body length");
	cr_expect(digest_check(&base, want, 32));
	cr_expect(!digest_check(&base, want, 31), "short");
	char upper[33];
	for (int i = 0; i < 32; i++)
		upper[i] = (char)(want[i] >= 'a' && want[i] <= 'f' ? want[i] - 32 : want[i]);
	upper[32] = '\0';
	cr_expect(!digest_check(&base, upper, 32), "request-digest is lowercase hex (RFC 2617 32LHEX)");
	cr_expect(!digest_check(&base, NULL, 32));
	in = base; in.nonce = NULL;
	char out[33];
	cr_expect_eq(digest_response(&in, out), -1);
}

/* auth leaves the body out of A2: any body gives the same response. */
Test(digest, auth_ignores_body)
{
	struct vectors_digest v = vectors_digest(0);
	struct digest_input in = input_of(&v);
	char a[33], b[33];
	cr_assert_eq(digest_response(&in, a), 0);
	in.body = (const uint8_t *)"abc";
	in.body_len = 3;
	cr_assert_eq(digest_response(&in, b), 0);
	cr_expect_str_eq(a, b);
	cr_expect_str_eq(digest_qop_name(DIGEST_QOP_AUTH_INT), "auth-int");
}
