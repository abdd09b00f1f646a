/* aaa-naf configuration: the shipped example loads; each mistake is reported
 * as one line naming the file, the line and the option. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aaa-naf/conf.h"

static char path[64];

static void write_conf(const char *text, mode_t mode)
{
	strcpy(path, "/tmp/test_aaa_conf.XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	chmod(path, mode);
}

static void cleanup(void) { if (path[0]) unlink(path); }
TestSuite(conf, .fini = cleanup);

/* Loads text; returns the error ("" on success) with the path replaced by F. */
static const char *load(const char *text, mode_t mode, struct aaa_conf *c)
{
	static char err[600], out[600];
	write_conf(text, mode);
	if (conf_load(path, c, err, sizeof(err)) == 0)
		return "";
	const char *p = strstr(err, path);
	if (p)
		snprintf(out, sizeof(out), "%.*sF%s", (int)(p - err), err, p + strlen(path));
	else
		snprintf(out, sizeof(out), "%s", err);
	return out;
}

/* A shipped example, loaded as if it were the file in use. */
static void load_example(const char *path, struct aaa_conf *c)
{
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f, "run from the repository root");
	static char text[16384];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	cr_assert_str_eq(load(text, 0600, c), "");
}

Test(conf, shipped_example_loads)
{
	struct aaa_conf c;
	load_example("conf/aaa-naf.conf", &c);
	cr_assert_str_eq(c.naf_fqdn, "aaa.home.lab");
	cr_assert_eq(c.naf_id_len, strlen("aaa.home.lab") + 5);
	cr_assert_eq(memcmp(c.naf_id + 12, "\xff\x00\x00\x00\x01", 5), 0);
	cr_assert_eq(c.n_sources, 2);
	cr_assert_eq(c.sources[0], CONF_KS_STATIC);
	cr_assert_eq(c.sources[1], CONF_KS_GBA_LOCAL);
	cr_assert_eq(c.n_statics, 1);
	cr_assert_eq(c.statics[0].spi, 300);
	cr_assert_eq(c.statics[0].secret_len, strlen("mn-aaa-secret-of-mn1"));
	cr_assert_eq(c.zn_timeout_ms, 2000);
	cr_assert_eq(c.zn_unavailable_rc, 3002);
	cr_assert_eq(c.n_pools, 1);
	cr_assert_eq(c.pools[0].first, 0x0a4d000a);
	cr_assert_eq(c.nonce_len, 16);
	cr_assert_eq(c.reg_lifetime, 600);
	cr_assert_str_eq(c.pool_state, "/var/lib/mip4-gba/pool.state");
	cr_assert_eq(c.n_home_agents, 1);
	cr_assert_str_eq(c.home_agents[0].host, "ha.home.lab");
	cr_assert_str_eq(c.home_agents[0].realm, "home.lab");
	cr_assert_eq(c.home_agents[0].addr, htonl(0x7f000001));
	cr_assert_eq(c.har_timeout_ms, 3000);
	cr_assert_eq(c.fa_ha_spi, 256);
	conf_free(&c);
}

Test(conf, home_agents)
{
	struct aaa_conf c;
	cr_assert_str_eq(load("naf-fqdn = \"n.lab\"\ngba-local { store = \"/x\" }\n"
	                      "home-agent \"ha1.site.lab\" { address = \"192.0.2.1\" }\n"
	                      "home-agent \"ha2\" { address = \"192.0.2.2\" realm = \"other.lab\" }\n"
	                      "har-timeout-ms = 500\nfa-ha-spi = 4000\n", 0600, &c), "");
	cr_assert_eq(c.n_home_agents, 2);
	cr_assert_str_eq(conf_home_agent_find(&c, htonl(0xc0000201))->realm, "site.lab");
	cr_assert_str_eq(conf_home_agent_find(&c, htonl(0xc0000202))->host, "ha2");
	cr_assert_str_eq(conf_home_agent_find(&c, htonl(0xc0000202))->realm, "other.lab");
	cr_assert_null(conf_home_agent_find(&c, htonl(0xc0000203)));
	cr_assert_eq(c.har_timeout_ms, 500);
	cr_assert_eq(c.fa_ha_spi, 4000);
	conf_free(&c);
}

Test(conf, shipped_scaleout_example_loads)
{
	struct aaa_conf c;
	load_example("conf/aaa-naf-scaleout.conf", &c);
	cr_assert_eq(c.n_pools, 1);
	cr_assert_eq(c.pools[0].first, 0x0a010001);
	cr_assert_eq(c.pools[0].last, 0x0a017ffe);
	cr_assert_not(c.mn_ha_spi_avp, "MIP-MN-HA-SPI (491) left out by default");
	conf_free(&c);
}

Test(conf, defaults)
{
	struct aaa_conf c;
	cr_assert_str_eq(load("naf-fqdn = \"naf.example.org\"\ngba-local { store = \"/x\" }\n", 0644, &c), "");
	cr_assert_str_eq(c.gba_store, "/x");
	cr_assert_eq(c.n_sources, 1);
	cr_assert_eq(c.sources[0], CONF_KS_GBA_LOCAL);
	cr_assert_eq(memcmp(c.ua_id, "\xff\x00\x00\x00\x01", 5), 0);
	cr_assert_eq(c.key_lifetime, 3600);
	cr_assert_eq(c.home_agent, 0);
	cr_assert_str_eq(c.pool_state, "", "without pool-state-file assignments stay in memory");
	conf_free(&c);
}

Test(conf, pool_state_file)
{
	struct aaa_conf c;
	cr_assert_str_eq(load("naf-fqdn = \"n.lab\"\ngba-local { store = \"/x\" }\npool-state-file = \"/var/lib/p.state\"\n",
	                      0600, &c), "");
	cr_assert_str_eq(c.pool_state, "/var/lib/p.state");
	conf_free(&c);
}

Test(conf, hex_secret_and_algorithms)
{
	struct aaa_conf c;
	cr_assert_str_eq(load("naf-fqdn = \"n.lab\"\nkey-sources = {\"static\"}\n"
	                      "static \"a@x\" { spi = 2 algorithm = \"chap\" secret-hex = \"00ff10\" }\n"
	                      "static \"b@x\" { spi = 4096 algorithm = \"hmac-md5\" secret = \"abc\" }\n",
	                      0600, &c), "");
	cr_assert_eq(c.n_statics, 2);
	cr_assert_eq(c.statics[0].secret_len, 3);
	cr_assert_eq(memcmp(c.statics[0].secret, "\x00\xff\x10", 3), 0);
	cr_assert_eq(c.statics[0].alg, VERIFIER_ALG_CHAP);
	cr_assert_eq(c.statics[1].alg, VERIFIER_ALG_HMAC_MD5);
	conf_free(&c);
}

struct bad_case {
	const char *text;
	const char *err;
	mode_t mode;
};

Test(conf, errors_name_file_line_option)
{
	static const struct bad_case cases[] = {
		{ "ua-id = \"ff00000001\"\n", "F: option 'naf-fqdn' is required", 0600 },
		{ "naf-fqdn = \"-bad-.lab\"\n", "F:1: option 'naf-fqdn': '-bad-.lab' is not a valid DNS name", 0600 },
		{ "naf-fqdn = \"n.lab\"\n\nua-id = \"ff000000zz\"\n", "F:3: option 'ua-id': 'ff000000zz' is not 10 hex digits", 0600 },
		{ "naf-fqdn = \"n.lab\"\nkey-sources = {\"zn\", \"zn\"}\n", "F:2: option 'key-sources': 'zn' listed twice", 0600 },
		{ "naf-fqdn = \"n.lab\"\nnonce-length = 65\n", "F:2: option 'nonce-length': 65 is outside 16..64", 0600 },
		{ "naf-fqdn = \"n.lab\"\nhome-agent-address = \"10.0.0\"\n",
		  "F:2: option 'home-agent-address': '10.0.0' is not an IPv4 address", 0600 },
		{ "naf-fqdn = \"n.lab\"\nkey-lifetime = 100\nregistration-lifetime = 200\ngba-local { store = \"/x\" }\n",
		  "F: option 'registration-lifetime' (200) must not exceed 'key-lifetime' (100) (RFC 4004 §9.13)", 0600 },
		{ "naf-fqdn = \"n.lab\"\nkey-sources = {\"static\"}\n",
		  "F:2: option 'key-sources': 'static' is listed but no static section is given", 0600 },
		{ "naf-fqdn = \"n.lab\"\nstatic \"a@x\" {\n spi = 300\n}\n",
		  "F:4: section 'static \"a@x\"': give exactly one of 'secret' and 'secret-hex'", 0600 },
		{ "naf-fqdn = \"n.lab\"\nstatic \"a@x\" {\n spi = 300\n secret-hex = \"abc\"\n}\n",
		  "F:5: option 'secret-hex' of static \"a@x\": not 2..128 hex digits", 0600 },
		{ "naf-fqdn = \"n.lab\"\nstatic \"a@x\" {\n secret = \"s\"\n}\n",
		  "F:4: section 'static \"a@x\"': option 'spi' is required", 0600 },
		{ "naf-fqdn = \"n.lab\"\nstatic \"a@x\" {\n spi = 300\n algorithm = \"sha1\"\n secret = \"s\"\n}\n",
		  "F:4: option 'algorithm': 'sha1' is not by-spi, hmac-md5 or chap", 0600 },
		{ "naf-fqdn = \"n.lab\"\nkey-sources = {\"static\"}\nstatic \"a@x\" { spi = 300 secret = \"s\" }\nstatic \"a@x\" { spi = 301 secret = \"t\" }\n",
		  "F:4: found duplicate title 'a@x'", 0600 },
		{ "naf-fqdn = \"n.lab\"\nkey-sources = {\"static\"}\nstatic \"a@x\" { spi = 300 secret = \"s\" }\n",
		  "F: holds static MN-AAA secrets but is accessible by other (mode 0604): refusing; chmod o-rwx", 0604 },
		{ "naf-fqdn = \"n.lab\"\nzn {\n timeout-ms = 5\n}\n", "F:3: option 'timeout-ms': 5 is outside 10..600000", 0600 },
		{ "naf-fqdn = \"n.lab\"\npool \"p\" {\n first = \"10.0.0.1\"\n}\n",
		  "F:4: section 'pool \"p\"': 'first' and 'last' must be IPv4 addresses, first <= last, not 0.0.0.0", 0600 },
		{ "naf-fqdn = \"n.lab\"\n\npool-state-file = \"\"\n", "F:3: option 'pool-state-file': a file path is required", 0600 },
		{ "naf-fqdn = \"n.lab\"\nfoo = 1\n", "F:2: no such option 'foo'", 0600 },
		{ "naf-fqdn = \"n.lab\"\nhome-agent \"ha.lab\" {\n address = \"10.0.0\"\n}\n",
		  "F:4: section 'home-agent \"ha.lab\"': option 'address' must be the home agent's IPv4 address", 0600 },
		{ "naf-fqdn = \"n.lab\"\nhome-agent \"ha\" {\n address = \"10.0.0.1\"\n}\n",
		  "F:4: section 'home-agent \"ha\"': the title is the Diameter identity (an FQDN, up to 255 characters); "
		  "option 'realm' (default: what follows its first dot) likewise", 0600 },
		{ "naf-fqdn = \"n.lab\"\nhome-agent \"a.lab\" { address = \"10.0.0.1\" }\nhome-agent \"b.lab\" { address = \"10.0.0.1\" }\n",
		  "F:3: section 'home-agent \"b.lab\"': address 10.0.0.1 is already home agent 'a.lab'", 0600 },
		{ "naf-fqdn = \"n.lab\"\nfa-ha-spi = 255\n", "F:2: option 'fa-ha-spi': 255 is outside 256..4294967295", 0600 },
		/* libconfuse alone counts each comment line three times (this said F:14). */
		{ "# one\n# two\n# three\n# four\nnaf-fqdn = \"aaa.lab\"\nnonce-length = 99\n",
		  "F:6: option 'nonce-length': 99 is outside 16..64", 0600 },
		{ "naf-fqdn = \"aaa.lab\" # the NAF\n/* two\n lines */\n// one\nua-id = \"ff000000zz\"\n",
		  "F:5: option 'ua-id': 'ff000000zz' is not 10 hex digits", 0600 },
		{ "# c\nnaf-fqdn = \"aaa.lab\"\nzn {\n # c\n timeout-ms = 5 # c\n}\n",
		  "F:5: option 'timeout-ms': 5 is outside 10..600000", 0600 },
		{ "# c\nnaf-fqdn = \"aaa.lab\" # c\nua-id = \"ff00#00001\" # c\n",
		  "F:3: option 'ua-id': 'ff00#00001' is not 10 hex digits", 0600 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct aaa_conf c;
		const char *got = load(cases[i].text, cases[i].mode, &c);
		cr_expect_str_eq(got, cases[i].err, "case %zu: got '%s'", i, got);
		unlink(path);
	}
}

Test(conf, missing_file)
{
	struct aaa_conf c;
	char err[300];
	cr_assert_eq(conf_load("/nonexistent/aaa.conf", &c, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "/nonexistent/aaa.conf: cannot read: No such file or directory");
	cr_assert_eq(conf_load(NULL, &c, err, sizeof(err)), -1);
}
