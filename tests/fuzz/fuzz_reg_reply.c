/* libFuzzer target: reg_parse_reply and the invariants of fuzz_reg_check.h. */
#include "tests/fuzz/fuzz_reg_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_reg_check(data, size, false);
	return 0;
}
