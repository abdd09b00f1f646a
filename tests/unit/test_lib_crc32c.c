/* crc32c: known answers (RFC 3720 Appendix B.4 and the usual check value). */
#include <criterion/criterion.h>
#include <string.h>

#include "lib/crc32c.h"

Test(crc32c, check_value)
{
	cr_expect_eq(crc32c(0, "123456789", 9), 0xE3069283u);
	cr_expect_eq(crc32c(0, "", 0), 0);
}

Test(crc32c, rfc3720_vectors)
{
	uint8_t b[32];
	memset(b, 0, sizeof b);
	cr_expect_eq(crc32c(0, b, 32), 0x8A9136AAu, "32 zero octets");
	memset(b, 0xff, sizeof b);
	cr_expect_eq(crc32c(0, b, 32), 0x62A8AB43u, "32 0xff octets");
	for (int i = 0; i < 32; i++)
		b[i] = (uint8_t)i;
	cr_expect_eq(crc32c(0, b, 32), 0x46DD794Eu, "0x00..0x1f");
	for (int i = 0; i < 32; i++)
		b[i] = (uint8_t)(31 - i);
	cr_expect_eq(crc32c(0, b, 32), 0x113FDB5Cu, "0x1f..0x00");
}

Test(crc32c, incremental_equals_whole)
{
	uint8_t b[1000];
	for (size_t i = 0; i < sizeof b; i++)
		b[i] = (uint8_t)(i * 7 + 3);
	uint32_t whole = crc32c(0, b, sizeof b);
	for (size_t cut = 0; cut <= sizeof b; cut += 37)
		cr_expect_eq(crc32c(crc32c(0, b, cut), b + cut, sizeof b - cut), whole, "cut at %zu", cut);
}
