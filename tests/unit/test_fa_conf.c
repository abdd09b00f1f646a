/* mip4-fa configuration: values, defaults, and one-line errors naming file, line, option. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

#include "mip4-fa/conf.h"
#include "tests/unit/test_conf_support.h"

static void free_any(void *c)
{
	fa_conf_free(c);
}

static void *load_fa(const char *path)
{
	return fa_conf_load(path);
}

static struct fa_conf *load(const char *text, mode_t mode, char *err, size_t errlen)
{
	return conf_test_load(text, mode, load_fa, err, errlen);
}

#define BASE "interface = \"veth-visited\"\n"

Test(fa_conf, defaults)
{
	char err[512];
	struct fa_conf *c = load(BASE, 0644, err, sizeof err);
	cr_assert(c, "%s", err);
	cr_assert_str_eq(c->interface, "veth-visited");
	cr_assert_eq(c->coa, 0, "the interface's address");
	cr_assert_eq(c->port, 434);
	cr_assert_eq(c->max_lifetime, 1800);
	cr_assert(c->advertise);
	cr_assert_eq(c->adv_interval, 5);
	cr_assert_eq(c->adv_lifetime, 15, "three intervals (RFC 5944 §2.1)");
	cr_assert_not(c->reg_required);
	cr_assert_not(c->reverse_tunnel);
	cr_assert_not(c->challenges);
	cr_assert_eq(c->challenge_len, 16);
	cr_assert_eq(c->challenge_window, 2, "RFC 4721 §9 CHALLENGE_WINDOW");
	cr_assert_eq(c->reg_timeout, 7, "RFC 5944 §3.7.1: 7 seconds");
	cr_assert_eq(c->log_level, LOG_LEVEL_INFO);
	cr_assert_str_eq(c->control_socket, "/run/mip4-fa/control.sock");
	cr_assert_eq(c->n_mn_sas, 0);
	cr_assert_eq(c->n_ha_sas, 0);
	cr_assert_not(c->dia.enabled, "no AAA without a diameter section");
	fa_conf_free(c);
}

#define DIA "diameter {\n identity = \"fa1.lab\"\n realm = \"lab\"\n tls = false\n"

Test(fa_conf, diameter_section)
{
	char err[512];
	struct fa_conf *c = load(BASE DIA " connect \"aaa.lab\" {\n  role = \"aaa\"\n  address = \"192.0.2.10\"\n }\n"
	                         " timeout_ms = 4000\n}\n", 0600, err, sizeof err);
	cr_assert(c, "%s", err);
	cr_assert(c->dia.enabled);
	cr_assert_str_eq(c->dia.identity, "fa1.lab");
	cr_assert_eq(c->dia.n_peers, 1);
	cr_assert_str_eq(c->dia.peers[0].identity, "aaa.lab");
	cr_assert_eq(c->dia.peers[0].port, 3868, "plain TCP's default port");
	cr_assert_str_eq(c->dia.destination_host, "aaa.lab", "the one AAA peer");
	cr_assert_eq(c->dia.timeout_ms, 4000);
	fa_conf_free(c);
}

Test(fa_conf, good_file_values)
{
	char err[512];
	struct fa_conf *c = load("# visited link\n" BASE "care-of-address = \"198.51.100.1\"\nport = 20434\n"
	                         "max-lifetime = 300\nadvertisement-interval = 1\nadvertisement-lifetime = 9\n"
	                         "registration-required = true\nprefix-lengths = true\nchallenges = true\n"
	                         "challenge-length = 8\nchallenge-window = 3\nregistration-timeout = 2\n"
	                         "max-visitors = 10\nmax-pending = 5\nlog-level = \"debug\"\ncontrol-socket = \"\"\n"
	                         "mn \"10.1.0.5\" {\n spi = 500\n key = \"0102\"\n}\n"
	                         "ha \"10.1.0.1\" {\n spi = 400\n algorithm = \"hmac-sha1\"\n key = \"0a0b0c\"\n}\n",
	                         0600, err, sizeof err);
	cr_assert(c, "%s", err);
	cr_assert_eq(c->coa, inet_addr("198.51.100.1"));
	cr_assert_eq(c->port, 20434);
	cr_assert_eq(c->max_lifetime, 300);
	cr_assert_eq(c->adv_interval, 1);
	cr_assert_eq(c->adv_lifetime, 9);
	cr_assert(c->reg_required && c->prefix_lengths && c->challenges);
	cr_assert_eq(c->challenge_len, 8);
	cr_assert_eq(c->challenge_window, 3);
	cr_assert_eq(c->reg_timeout, 2);
	cr_assert_eq(c->max_visitors, 10);
	cr_assert_eq(c->max_pending, 5);
	cr_assert_eq(c->log_level, LOG_LEVEL_DEBUG);
	cr_assert_str_eq(c->control_socket, "");
	cr_assert_eq(c->n_mn_sas, 1);
	cr_assert_eq(c->mn_sas[0].addr, inet_addr("10.1.0.5"));
	cr_assert_eq(c->mn_sas[0].spi, 500);
	cr_assert_eq(c->mn_sas[0].key_len, 2);
	cr_assert_eq(c->n_ha_sas, 1);
	cr_assert_eq(c->ha_sas[0].addr, inet_addr("10.1.0.1"));
	cr_assert_eq(c->ha_sas[0].alg, AUTH_HMAC_SHA1);
	cr_assert_eq(c->ha_sas[0].key_len, 3);
	fa_conf_free(c);
}

Test(fa_conf, errors_name_file_line_option)
{
	static const struct conf_test_bad cases[] = {
		{ "port = 1\n", 0600, ": option 'interface' is required" },
		{ "interface = \"a/b\"\n", 0600, ":1: option 'interface': 'a/b' is not an interface name" },
		{ "interface = \"averyveryverylongname\"\n", 0600, ":1: option 'interface'" },
		{ BASE "care-of-address = \"198.51.100\"\n", 0600, ":2: option 'care-of-address': '198.51.100' is not" },
		{ BASE "care-of-address = \"224.0.0.1\"\n", 0600, ":2: option 'care-of-address': must be a unicast" },
		{ BASE "advertisement-interval = 0\n", 0600, ":2: option 'advertisement-interval': 0 is outside 1..1800" },
		{ BASE "advertisement-interval = 10\nadvertisement-lifetime = 5\n", 0600,
		  ": option 'advertisement-lifetime': 5 is below advertisement-interval 10" },
		{ BASE "challenge-length = 2\n", 0600, ":2: option 'challenge-length': 2 is outside 4..32" },
		{ BASE "challenge-window = 0\n", 0600, ":2: option 'challenge-window'" },
		{ BASE "registration-timeout = 0\n", 0600, ":2: option 'registration-timeout'" },
		{ BASE "max-lifetime = 70000\n", 0600, ":2: option 'max-lifetime'" },
		{ BASE "log-level = \"loud\"\n", 0600, ":2: option 'log-level'" },
		{ BASE "bogus = 1\n", 0600, ":2: no such option 'bogus'" },
		{ BASE "mn \"10.1.0.5\" {\n spi = 500\n key = \"0102\"\n}\n", 0644,
		  ":4: option 'key': refusing a key in a file readable by others" },
		{ BASE "mn \"node\" {\n spi = 500\n key = \"0102\"\n}\n", 0600, "section 'mn \"node\"': the title must be" },
		{ BASE "ha \"10.1.0.1\" {\n spi = 5\n key = \"0102\"\n}\n", 0600, ":3: option 'spi': 5 is outside 256.." },
		{ BASE "ha \"10.1.0.1\" {\n spi = 500\n algorithm = \"md5\"\n key = \"01\"\n}\n", 0600,
		  ":4: option 'algorithm': 'md5' is not hmac-md5 or hmac-sha1" },
		{ BASE DIA " connect \"bsf.lab\" {\n  role = \"bsf\"\n  address = \"192.0.2.10\"\n }\n}\n", 0600,
		  ": section 'connect \"bsf.lab\"': role must be \"aaa\" in a foreign agent" },
		{ BASE DIA " peer = \"aaa.lab\"\n peer_address = \"192.0.2.10\"\n timeout_ms = 7000\n}\n", 0600,
		  ": section 'diameter': timeout_ms 7000 is not below registration-timeout (7 s)" },
		{ BASE DIA "}\n", 0600, "section 'diameter': no peer" },
		{ BASE DIA " peer = \"aaa.lab\"\n}\n", 0600, "options 'peer' and 'peer_address' go together" },
	};
	conf_test_refused(cases, sizeof cases / sizeof *cases, load_fa, free_any);
}
