/* mip4-mn's choice of foreign agent from Agent Advertisements (mip4-mn/agent.c). */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

#include "mip4-mn/agent.h"

static uint8_t buf[ADV_MAX_LEN];

static struct adv_msg adv(const char *coa, uint16_t seq, uint16_t flags, const uint8_t *chal, size_t chal_len)
{
	struct adv_params p = { .lifetime = 3, .seq = seq, .reg_lifetime = 600, .flags = flags, .n_coa = 1,
	                        .challenge = chal, .challenge_len = chal_len };
	p.coas[0] = inet_addr(coa);
	size_t n = adv_build(buf, sizeof buf, &p);
	cr_assert_gt(n, 0);
	struct adv_msg m;
	cr_assert_eq(adv_parse(buf, n, &m), ADV_OK);
	return m;
}

Test(mn_agent, first_agent_then_same_then_moved)
{
	struct mn_agent a = { 0 };
	struct adv_msg m = adv("198.51.100.1", 0, ADV_FLAG_F, NULL, 0);
	cr_assert_eq(mn_agent_heard(&a, inet_addr("198.51.100.1"), &m, 10.0), MN_AGENT_NEW);
	cr_assert(a.known);
	cr_assert_eq(a.coa, inet_addr("198.51.100.1"));
	cr_assert_eq(a.reg_lifetime, 600);
	m = adv("198.51.100.1", 1, ADV_FLAG_F, NULL, 0);
	cr_assert_eq(mn_agent_heard(&a, inet_addr("198.51.100.1"), &m, 11.0), MN_AGENT_SAME);
	m = adv("203.0.113.1", 7, ADV_FLAG_F, NULL, 0);
	cr_assert_eq(mn_agent_heard(&a, inet_addr("203.0.113.1"), &m, 12.0), MN_AGENT_NEW, "another agent: moved");
	cr_assert_eq(a.addr, inet_addr("203.0.113.1"));
	cr_assert_eq(a.coa, inet_addr("203.0.113.1"));
}

Test(mn_agent, restart_seen_in_the_sequence_number)
{
	struct mn_agent a = { 0 };
	struct adv_msg m = adv("198.51.100.1", 300, ADV_FLAG_F, NULL, 0);
	mn_agent_heard(&a, inet_addr("198.51.100.1"), &m, 1.0);
	m = adv("198.51.100.1", 0, ADV_FLAG_F, NULL, 0);
	cr_assert_eq(mn_agent_heard(&a, inet_addr("198.51.100.1"), &m, 2.0), MN_AGENT_RESTARTED);
	m = adv("198.51.100.1", 0xffff, ADV_FLAG_F, NULL, 0);
	mn_agent_heard(&a, inet_addr("198.51.100.1"), &m, 3.0);
	m = adv("198.51.100.1", 256, ADV_FLAG_F, NULL, 0);
	cr_assert_eq(mn_agent_heard(&a, inet_addr("198.51.100.1"), &m, 4.0), MN_AGENT_SAME, "0xffff then 256: a wrap");
}

Test(mn_agent, not_a_foreign_agent_or_busy)
{
	struct mn_agent a = { 0 };
	struct adv_params p = { .lifetime = 3, .flags = ADV_FLAG_H };
	size_t n = adv_build(buf, sizeof buf, &p);
	struct adv_msg m;
	cr_assert_eq(adv_parse(buf, n, &m), ADV_OK);
	cr_assert_eq(mn_agent_heard(&a, inet_addr("10.1.0.1"), &m, 1.0), MN_AGENT_IGNORED, "a home agent only");
	m = adv("198.51.100.1", 0, ADV_FLAG_F | ADV_FLAG_B, NULL, 0);
	cr_assert_eq(mn_agent_heard(&a, inet_addr("198.51.100.1"), &m, 1.0), MN_AGENT_IGNORED, "busy: no new nodes");
	cr_assert_not(a.known);
	m = adv("198.51.100.1", 1, ADV_FLAG_F, NULL, 0);
	mn_agent_heard(&a, inet_addr("198.51.100.1"), &m, 1.0);
	m = adv("198.51.100.1", 2, ADV_FLAG_F | ADV_FLAG_B, NULL, 0);
	cr_assert_eq(mn_agent_heard(&a, inet_addr("198.51.100.1"), &m, 2.0), MN_AGENT_SAME, "busy for others, not us");
}

Test(mn_agent, lost_after_the_advertisement_lifetime)
{
	struct mn_agent a = { 0 };
	struct adv_msg m = adv("198.51.100.1", 0, ADV_FLAG_F, NULL, 0);
	mn_agent_heard(&a, inet_addr("198.51.100.1"), &m, 10.0);
	cr_assert_not(mn_agent_lost(&a, 12.9));
	cr_assert(mn_agent_lost(&a, 13.0));
	cr_assert_not(a.known);
	cr_assert_not(mn_agent_lost(&a, 20.0), "lost once");
}

Test(mn_agent, challenge_choice)
{
	static const uint8_t c1[4] = { 1, 1, 1, 1 }, c2[4] = { 2, 2, 2, 2 }, r1[4] = { 9, 9, 9, 9 };
	struct mn_agent a = { 0 };
	struct mn_chal mine = { 0 }, other = { 0 };
	struct adv_msg m = adv("198.51.100.1", 0, ADV_FLAG_F, c1, 4);
	mn_agent_heard(&a, inet_addr("198.51.100.1"), &m, 1.0);
	size_t len;
	const uint8_t *c = mn_agent_challenge(&a, &mine, &len);
	cr_assert(c && len == 4 && memcmp(c, c1, 4) == 0, "the advertised one");
	mn_chal_used(&mine, c, len);
	mn_chal_replied(&mine, r1, 4);
	c = mn_agent_challenge(&a, &mine, &len);
	cr_assert(c && memcmp(c, r1, 4) == 0, "the reply's, first (RFC 4721 §3.5)");
	c = mn_agent_challenge(&a, &other, &len);
	cr_assert(c && memcmp(c, c1, 4) == 0, "another node's reply challenge is not this node's");
	c = mn_agent_challenge(&a, &mine, &len);
	mn_chal_used(&mine, c, len);
	m = adv("198.51.100.1", 1, ADV_FLAG_F, c2, 4);
	mn_agent_heard(&a, inet_addr("198.51.100.1"), &m, 2.0);
	c = mn_agent_challenge(&a, &mine, &len);
	cr_assert(c && memcmp(c, c2, 4) == 0, "the reply's is spent: the latest advertised");
	m = adv("198.51.100.1", 2, ADV_FLAG_F, NULL, 0);
	mn_agent_heard(&a, inet_addr("198.51.100.1"), &m, 3.0);
	cr_assert_null(mn_agent_challenge(&a, &mine, &len), "challenges turned off");
}
