/* mip4-mn statistics: nearest-rank percentiles and the summary line. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mip4-mn/stats.h"

Test(mn_stats, percentile_nearest_rank)
{
	uint32_t v[100];

	for (int i = 0; i < 100; i++)
		v[i] = (uint32_t)(i + 1);
	cr_expect_eq(mn_stats_percentile(v, 100, 50), 50);
	cr_expect_eq(mn_stats_percentile(v, 100, 90), 90);
	cr_expect_eq(mn_stats_percentile(v, 100, 99), 99);
	cr_expect_eq(mn_stats_percentile(v, 100, 100), 100);
	cr_expect_eq(mn_stats_percentile(v, 100, 0.5), 1);

	/* Ten samples: p50 is the 5th, p90 the 9th, p99 the 10th. */
	cr_expect_eq(mn_stats_percentile(v, 10, 50), 5);
	cr_expect_eq(mn_stats_percentile(v, 10, 90), 9);
	cr_expect_eq(mn_stats_percentile(v, 10, 99), 10);
	cr_expect_eq(mn_stats_percentile(v, 1, 50), 1);
	cr_expect_eq(mn_stats_percentile(v, 1, 99), 1);
	cr_expect_eq(mn_stats_percentile(v, 0, 50), 0, "no samples");
}

Test(mn_stats, counts_sorts_and_prints)
{
	struct mn_stats s;
	static const uint32_t rtts[] = {500, 100, 400, 300, 200};
	char *text = NULL;
	size_t len = 0;

	mn_stats_init(&s);
	s.sent = 8;
	for (int i = 0; i < 5; i++)
		cr_assert_eq(mn_stats_outcome(&s, i < 3 ? 0 : 144, rtts[i]), 0);
	cr_assert_eq(mn_stats_outcome(&s, 130, 50), 0);
	mn_stats_timeout(&s);
	mn_stats_timeout(&s);
	cr_expect_eq(s.accepted, 3);
	cr_expect_eq(s.rejected, 3);
	cr_expect_eq(s.by_code[144], 2);
	cr_expect_eq(s.by_code[130], 1);
	cr_expect_eq(s.timeouts, 2);

	FILE *f = open_memstream(&text, &len);
	mn_stats_print(&s, 2.0, true, f);
	fclose(f);
	cr_expect_eq(s.rtt_us[0], 50, "sorted");
	cr_expect_eq(s.rtt_us[5], 500);
	cr_expect(strstr(text, "\"sent\":8,\"accepted\":3,\"rejected\":3,\"rejected_by_code\":{\"130\":1,\"144\":2}"),
	          "%s", text);
	cr_expect(strstr(text, "\"timeouts\":2"), "%s", text);
	cr_expect(strstr(text, "\"rate\":1.5"), "%s", text);
	cr_expect(strstr(text, "\"p50_us\":200,\"p90_us\":500,\"p99_us\":500,\"max_us\":500"), "%s", text);
	cr_expect_eq(text[strlen(text) - 1], '\n');
	free(text);

	f = open_memstream(&text, &len);
	mn_stats_print(&s, 2.0, false, f);
	fclose(f);
	cr_expect(strstr(text, "summary: sent=8 accepted=3 rejected=3 rejected_130=1 rejected_144=2 timeouts=2"),
	          "%s", text);
	cr_expect(strstr(text, "p50=200us p90=500us p99=500us max=500us"), "%s", text);
	free(text);

	mn_stats_reset(&s);
	cr_expect_eq(s.n_rtt, 0);
	cr_expect_eq(s.accepted, 0);
	mn_stats_free(&s);
}

Test(mn_stats, many_samples_grow)
{
	struct mn_stats s;

	mn_stats_init(&s);
	for (uint32_t i = 100000; i > 0; i--)
		cr_assert_eq(mn_stats_outcome(&s, 0, i), 0);
	mn_stats_sort(&s);
	cr_expect_eq(mn_stats_percentile(s.rtt_us, s.n_rtt, 99), 99000);
	cr_expect_eq(mn_stats_percentile(s.rtt_us, s.n_rtt, 50), 50000);
	mn_stats_free(&s);
}
