/* The vector mechanism itself: the compiled-in vectors are the shared JSON,
 * decoded the way the tests expect. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/unit/vectors.h"

/* Read a whole file; NULL when it does not exist. */
static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	uint8_t *buf = malloc(cap);
	cr_assert_not_null(buf);
	size_t r;
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
	}
	cr_assert(!ferror(f), "read error on %s", path);
	fclose(f);
	*len = n;
	return buf;
}

/* The JSON stays the source of truth: the copy this build used must be the
 * shared one, byte for byte, wherever ../shared sits beside the clone. */
Test(vectors, built_from_shared_json)
{
	const char *shared = getenv("MIP4_VECTORS");
	if (shared == NULL || *shared == '\0')
		shared = "../shared/spec/vectors.json";
	size_t len;
	uint8_t *buf = slurp(shared, &len);
	if (buf == NULL)
		cr_skip_test("%s absent: nothing to compare with", shared);
	struct vec built = vectors_json();
	cr_expect_eq(len, built.len, "%s is %zu octets, the compiled-in copy %zu: "
	             "copy it to tests/data/vectors.json", shared, len, built.len);
	cr_expect(len == built.len && memcmp(buf, built.p, len) == 0,
	          "%s differs from tests/data/vectors.json: copy it over", shared);
	free(buf);
}

/* A stale build (header older than the repo's JSON) would test old values. */
Test(vectors, built_from_repo_copy)
{
	size_t len;
	uint8_t *buf = slurp("tests/data/vectors.json", &len);
	if (buf == NULL)
		cr_skip_test("tests/data/vectors.json not found from the working directory");
	struct vec built = vectors_json();
	cr_expect(len == built.len && memcmp(buf, built.p, len) == 0,
	          "tests/data/vectors.json changed since the test was built: rebuild");
	free(buf);
}

Test(vectors, counts)
{
	cr_expect_eq(vectors_hmac_count("hmac_md5_rfc2202"), 3);
	cr_expect_eq(vectors_hmac_count("hmac_sha1_rfc2202"), 3);
	cr_expect_eq(vectors_hmac_count("hmac_sha256_rfc4231"), 4);
	cr_expect_eq(vectors_ks_naf_count(), 3);
	cr_expect_eq(vectors_mn_aaa_count(), 1);
	cr_expect_eq(vectors_milenage_set_count(), 6);
	cr_expect_eq(vectors_count("kdf_3gpp_known_answers.kasme.params"), 2);
	cr_expect_eq(vectors_count("no_such_list"), 0);
}

Test(vectors, decoding)
{
	struct vectors_hmac h = vectors_hmac("hmac_md5_rfc2202", 1);
	cr_expect_eq(h.key.len, 4);
	cr_expect_str_eq((const char *)h.key.p, "Jefe", "_ascii is text, NUL-terminated");
	cr_expect_eq(h.mac.len, 16);
	cr_expect_eq(h.mac.p[0], 0x75);
	cr_expect_eq(h.mac.p[15], 0x38);

	struct vectors_btid b = vectors_btid();
	cr_expect_eq(b.rand.len, 16);
	cr_expect_eq(b.rand.p[0], 0x23);
	cr_expect_str_eq((const char *)b.btid.p, "I1U8vpY3qJ0hiuZNrke/NQ==@bsf.mnc001.mcc001.pub.3gppnetwork.org");

	struct vectors_kdf k = vectors_kdf("kasme");
	cr_expect_eq(k.fc, 0x10);
	cr_expect_eq(k.n_params, 2);
	cr_expect_eq(k.params[1].len, 6);

	struct vectors_mn_ha_auth a = vectors_mn_ha_auth();
	cr_expect_eq(a.spi, 256);
	cr_expect_eq(a.full_rrq.len, a.authenticated.len + a.authenticator.len);

	struct vectors_mn_aaa m = vectors_mn_aaa(0);
	cr_expect_eq(m.spi, 2);
	cr_expect_eq(m.full_rrq_rfc3012.len, m.covered.len + 16);

	struct vec v;
	long long n;
	cr_expect(!vectors_get("mn_aaa_auth.cases.0.SPI", &v), "a number is not bytes");
	cr_expect(!vectors_num("gba_btid.RAND", &n), "bytes are not a number");
	cr_expect(!vectors_get("gba_btid.nope", &v));
}

/* The generator refuses a value that is neither hex nor declared text, so a
 * mistyped vector breaks the build instead of silently testing garbage. */
Test(vectors, generator_rejects_bad_hex)
{
	if (access("tests/unit/gen-vectors.py", R_OK) != 0)
		cr_skip_test("not run from the repository root");
	char dir[] = "/tmp/mip4-vec-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char json[64], out[64], cmd[256];
	snprintf(json, sizeof json, "%s/v.json", dir);
	snprintf(out, sizeof out, "%s/v.h", dir);
	FILE *f = fopen(json, "w");
	cr_assert_not_null(f);
	fputs("{\"x\": {\"key\": \"0g\"}}\n", f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "python3 tests/unit/gen-vectors.py %s %s 2>/dev/null", json, out);
	int st = system(cmd);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 1, "bad hex accepted (status %d)", st);

	f = fopen(json, "w");
	cr_assert_not_null(f);
	fputs("{\"x\": {\"key\": \"0a\", \"key_ascii\": \"hello\"}}\n", f);
	fclose(f);
	st = system(cmd);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 1, "clashing key/key_ascii accepted (status %d)", st);

	f = fopen(json, "w");
	cr_assert_not_null(f);
	fputs("{\"x\": {\"key\": \"0a\", \"name_ascii\": \"hello\"}}\n", f);
	fclose(f);
	st = system(cmd);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "good JSON refused (status %d)", st);

	/* A second file joins the table, but may not redefine a top-level key. */
	char more[64];
	snprintf(more, sizeof more, "%s/m.json", dir);
	f = fopen(more, "w");
	cr_assert_not_null(f);
	fputs("{\"_about\": \"x\", \"x\": {\"key\": \"0b\"}}\n", f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "python3 tests/unit/gen-vectors.py %s %s %s 2>/dev/null", json, more, out);
	st = system(cmd);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 1, "top-level clash accepted (status %d)", st);
	f = fopen(more, "w");
	cr_assert_not_null(f);
	fputs("{\"_about\": \"x\", \"y\": {\"key\": \"0b\"}}\n", f);
	fclose(f);
	st = system(cmd);
	cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "second file refused (status %d)", st);
	unlink(more);
	unlink(out);
	unlink(json);
	rmdir(dir);
}
