#include "mip4-fa/challenge.h"

#include <openssl/crypto.h>
#include <string.h>

void challenge_init(struct challenge_ring *c, size_t window, size_t len, challenge_random_fn random)
{
	memset(c, 0, sizeof *c);
	c->window = window < 1 ? 1 : window > CHALLENGE_WINDOW_MAX ? CHALLENGE_WINDOW_MAX : window;
	c->len = len > FA_CHALLENGE_MAX ? FA_CHALLENGE_MAX : len;
	c->random = random;
}

int challenge_rotate(struct challenge_ring *c)
{
	size_t next = c->n ? (c->head + 1) % c->window : 0;
	uint8_t v[FA_CHALLENGE_MAX];
	if (c->random(v, c->len) != 0)
		return -1;
	memcpy(c->v[next], v, c->len);
	c->head = next;
	if (c->n < c->window)
		c->n++;
	return 0;
}

const uint8_t *challenge_latest(const struct challenge_ring *c)
{
	return c->n ? c->v[c->head] : NULL;
}

bool challenge_in_window(const struct challenge_ring *c, const uint8_t *p, size_t len)
{
	if (len != c->len)
		return false;
	for (size_t i = 0; i < c->n; i++)
		if (CRYPTO_memcmp(c->v[i], p, len) == 0)
			return true;
	return false;
}

int challenge_draw(const struct challenge_ring *c, uint8_t *out)
{
	return c->random(out, c->len);
}
