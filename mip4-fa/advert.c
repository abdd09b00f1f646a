#include "mip4-fa/advert.h"

#include "lib/adv.h"

size_t advert_build(const struct fa_conf *c, const struct advert_state *a, uint8_t *out, size_t cap)
{
	struct adv_params p = {
		.code = ADV_CODE_ROUTER,
		.lifetime = (uint16_t)c->adv_lifetime,
		.num_routers = 1,
		.seq = a->seq,
		.reg_lifetime = c->max_lifetime,
		.flags = ADV_FLAG_F,
		.n_coa = 1,
		.prefix_lengths = c->prefix_lengths,
		.challenge = a->challenge,
		.challenge_len = a->challenge_len,
		.pad_even = true,
	};
	p.routers[0] = a->coa;
	p.coas[0] = a->coa;
	p.prefix_len[0] = a->prefix_len;
	if (c->reg_required)
		p.flags |= ADV_FLAG_R;
	if (a->busy)
		p.flags |= ADV_FLAG_B;
	if (c->reverse_tunnel)
		p.flags |= ADV_FLAG_T;
	return adv_build(out, cap, &p);
}
