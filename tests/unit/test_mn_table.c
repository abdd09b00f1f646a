/* mip4-mn outstanding-request table: against a plain array under random
 * inserts and removals, with keys crafted to collide. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>

#include "mip4-mn/table.h"

Test(mn_table, basics)
{
	struct mn_table t;
	int a, b;

	cr_assert_eq(mn_table_init(&t, 2), 0);
	cr_expect(mn_table_insert(&t, 7, &a));
	cr_expect_not(mn_table_insert(&t, 7, &b), "keys are unique");
	cr_expect(mn_table_insert(&t, 8, &b));
	cr_expect_not(mn_table_insert(&t, 9, &b), "full at max");
	cr_expect_eq(mn_table_find(&t, 7), &a);
	cr_expect_eq(mn_table_find(&t, 8), &b);
	cr_expect_null(mn_table_find(&t, 9));
	cr_expect_eq(mn_table_remove(&t, 7), &a);
	cr_expect_null(mn_table_remove(&t, 7));
	cr_expect_null(mn_table_find(&t, 7));
	cr_expect_eq(mn_table_find(&t, 8), &b);
	mn_table_free(&t);
}

Test(mn_table, random_against_reference)
{
	enum { MAX = 64, KEYS = 256, ROUNDS = 200000 };
	struct mn_table t;
	static int vals[KEYS];
	bool in[KEYS] = {0};
	unsigned n = 0;
	uint32_t keys[KEYS];

	/* Keys differing only in their top bits pile up in long probe runs. */
	for (unsigned i = 0; i < KEYS; i++)
		keys[i] = i % 2 ? (uint32_t)i << 24 : (uint32_t)i * 2654435761u;
	srand(3957);
	cr_assert_eq(mn_table_init(&t, MAX), 0);
	for (unsigned r = 0; r < ROUNDS; r++) {
		unsigned k = (unsigned)rand() % KEYS;

		if (in[k]) {
			cr_assert_eq(mn_table_remove(&t, keys[k]), &vals[k], "round %u key %u", r, k);
			in[k] = false;
			n--;
		} else {
			bool ok = mn_table_insert(&t, keys[k], &vals[k]);
			cr_assert_eq(ok, n < MAX, "round %u key %u", r, k);
			if (ok) {
				in[k] = true;
				n++;
			}
		}
		if (r % 97 == 0)
			for (unsigned i = 0; i < KEYS; i++)
				cr_assert_eq(mn_table_find(&t, keys[i]), in[i] ? &vals[i] : NULL, "round %u key %u", r, i);
	}
	cr_expect_eq(t.n, n);
	mn_table_free(&t);
}
