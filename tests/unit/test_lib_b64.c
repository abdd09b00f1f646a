/* b64: RFC 4648 §10 test vectors, and only canonical spellings decode. */
#include <criterion/criterion.h>
#include <string.h>

#include "lib/b64.h"

Test(b64, rfc4648_vectors)
{
	static const char *const plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const enc[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
	for (size_t i = 0; i < 7; i++) {
		char out[16];
		uint8_t dec[16];
		size_t n = 99;
		cr_expect_eq(b64_encode((const uint8_t *)plain[i], strlen(plain[i]), out, sizeof out), strlen(enc[i]));
		cr_expect_str_eq(out, enc[i]);
		cr_expect(b64_decode(enc[i], strlen(enc[i]), dec, sizeof dec, &n), "%s", enc[i]);
		cr_expect_eq(n, strlen(plain[i]));
		cr_expect(memcmp(dec, plain[i], n) == 0);
	}
}

Test(b64, strict_decoding)
{
	static const char *const bad[] = {
		"Zg=", "Zg", "Zh==", "Zm9=", "Z===", "====", "Zg==Zg==", "Zm 9v", " Zm9v", "Zm9v\n", "Zm-v", "Zm_v",
		"Z=9v",
	};
	uint8_t dec[16];
	size_t n;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		cr_expect(!b64_decode(bad[i], strlen(bad[i]), dec, sizeof dec, &n), "'%s' accepted", bad[i]);
	cr_expect(!b64_decode("Zm9vYmFy", 8, dec, 5, &n), "no room");
	cr_expect(b64_decode("Zm9vYmFy", 8, dec, 6, &n));
	char out[9];
	cr_expect_eq(b64_encode((const uint8_t *)"foobar", 6, out, 8), 0, "no room for the NUL");
	cr_expect_eq(b64_encode((const uint8_t *)"foobar", 6, out, 9), 8);
}
