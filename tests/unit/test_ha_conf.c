/* mip4-ha configuration: values, and one-line errors naming file, line, option. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mip4-ha/conf.h"
#include "tests/unit/test_conf_support.h"

static void free_any(void *c)
{
	conf_free(c);
}

static void *load_ha(const char *path)
{
	return conf_load(path);
}

static struct conf *load(const char *text, mode_t mode, char *err, size_t errlen)
{
	return conf_test_load(text, mode, load_ha, err, errlen);
}

#define BASE "address = \"127.0.0.1\"\nhome_networks = {\"10.1.0.0/16\", \"10.9.0.0/24\"}\n"

Test(ha_conf, good_file_values)
{
	char err[512];
	struct conf *c = load("# a comment\n" BASE "port = 22001\nmax_lifetime = 300\nreplay_window = 5\n"
	                      "max_bindings = 1000\nmax_pending = 8\nlog_level = \"debug\"\n"
	                      "control_socket = \"/tmp/x.sock\"\n"
	                      "diameter {\n identity = \"ha.lab\"\n realm = \"lab\"\n peer = \"aaa.lab\"\n"
	                      " peer_address = \"127.0.0.1\"\n tls = false\n timeout_ms = 500\n}\n"
	                      "sa \"10.1.0.5\" {\n spi = 300\n algorithm = \"hmac-sha1\"\n key = \"00ff\"\n}\n",
	                      0600, err, sizeof err);
	cr_assert(c, "%s", err);
	cr_assert_eq(c->address, inet_addr("127.0.0.1"));
	cr_assert_eq(c->port, 22001);
	cr_assert_eq(c->n_nets, 2);
	cr_assert(conf_in_home_net(c, inet_addr("10.1.200.3")));
	cr_assert(conf_in_home_net(c, inet_addr("10.9.0.255")));
	cr_assert(!conf_in_home_net(c, inet_addr("10.9.1.0")));
	cr_assert_eq(c->max_lifetime, 300);
	cr_assert_eq(c->replay_window, 5);
	cr_assert_eq(c->max_pending, 8);
	cr_assert_eq(c->log_level, LOG_LEVEL_DEBUG);
	cr_assert(c->dia.enabled && !c->dia.tls);
	cr_assert_eq(c->dia.peer_port, 3868, "plain TCP default port");
	cr_assert_str_eq(c->dia.destination_realm, "lab");
	cr_assert_eq(c->dia.timeout_ms, 500);
	cr_assert_eq(c->n_sas, 1);
	cr_assert_eq(c->sas[0].spi, 300);
	cr_assert_eq(c->sas[0].alg, AUTH_HMAC_SHA1);
	cr_assert_eq(c->sas[0].key_len, 2);
	cr_assert_eq(c->sas[0].key[1], 0xff);
	conf_free(c);
}

Test(ha_conf, foreign_agent_associations)
{
	char err[512];
	struct conf *c = load(BASE "fa \"198.51.100.1\" {\n spi = 400\n key = \"0a0b\"\n}\n"
	                           "fa \"203.0.113.1\" {\n spi = 401\n algorithm = \"hmac-sha1\"\n key = \"0c\"\n}\n",
	                      0600, err, sizeof err);
	cr_assert(c, "%s", err);
	cr_assert_eq(c->n_fa_sas, 2);
	cr_assert_eq(c->fa_sas[0].addr, inet_addr("198.51.100.1"));
	cr_assert_eq(c->fa_sas[0].spi, 400);
	cr_assert_eq(c->fa_sas[0].alg, AUTH_HMAC_MD5);
	cr_assert_eq(c->fa_sas[0].key_len, 2);
	cr_assert_eq(c->fa_sas[1].alg, AUTH_HMAC_SHA1);
	cr_assert_eq(c->n_sas, 0);
	conf_free(c);
}

Test(ha_conf, defaults)
{
	char err[512];
	struct conf *c = load(BASE, 0644, err, sizeof err);
	cr_assert(c, "%s", err);
	cr_assert_eq(c->port, 434);
	cr_assert_eq(c->replay_window, 7);
	cr_assert(!c->dia.enabled);
	cr_assert(!c->reverse_tunnel);
	conf_free(c);
}

Test(ha_conf, errors_name_file_line_option)
{
	static const struct conf_test_bad cases[] = {
		{ BASE "port = 70000\n", 0600, ":3: option 'port': 70000 is outside 1..65535" },
		{ "# c1\n# c2\n" BASE "bogus = 1\n", 0600, ":5: no such option 'bogus'" },
		{ BASE "replay_window = 0\n", 0600, ":3: option 'replay_window'" },
		{ "address = \"1.2.3\"\n", 0600, ":1: option 'address': '1.2.3' is not an IPv4 address" },
		{ "address = \"0.0.0.0\"\n", 0600, ":1: option 'address': must be the HA's unicast address" },
		{ "address = \"127.0.0.1\"\nhome_networks = {\"10.0.0.0/33\"}\n", 0600, ":2: option 'home_networks'" },
		{ "address = \"127.0.0.1\"\n", 0600, ": option 'home_networks' is required" },
		{ BASE "log_level = \"loud\"\n", 0600, ":3: option 'log_level'" },
		{ BASE "sa \"10.1.0.5\" {\n spi = 300\n key = \"0011\"\n}\n", 0644,
		  ":5: option 'key': refusing a key in a file readable by others" },
		{ BASE "sa \"10.1.0.5\" {\n spi = 12\n key = \"0011\"\n}\n", 0600, ":4: option 'spi': 12 is outside 256.." },
		{ BASE "sa \"10.1.0.5\" {\n spi = 300\n key = \"0x1\"\n}\n", 0600, ":5: option 'key'" },
		{ BASE "sa \"10.1.0.5\" {\n spi = 300\n algorithm = \"md4\"\n key = \"00\"\n}\n", 0600,
		  ":5: option 'algorithm': 'md4'" },
		{ BASE "sa \"nobody\" {\n spi = 300\n key = \"00\"\n}\n", 0600, "the title must be an IPv4 address" },
		{ BASE "fa \"fa1\" {\n spi = 300\n key = \"00\"\n}\n", 0600, "section 'fa \"fa1\"': the title must be" },
		{ BASE "fa \"198.51.100.1\" {\n spi = 300\n}\n", 0600, "options 'spi' and 'key' are required" },
		{ BASE "fa \"198.51.100.1\" {\n spi = 300\n key = \"0011\"\n}\n", 0604,
		  ":5: option 'key': refusing a key in a file readable by others" },
		{ BASE "diameter {\n identity = \"a\"\n realm = \"b\"\n peer = \"c\"\n peer_address = \"127.0.0.1\"\n}\n",
		  0600, ":8: section 'diameter': option 'tls_cert' is required" },
		{ BASE "diameter {\n identity = \"a\"\n}\n", 0600, "option 'realm' is required" },
		{ BASE "max_bindings = \"x\"\n", 0600, ":3:" },
	};
	conf_test_refused(cases, sizeof cases / sizeof *cases, load_ha, free_any);
}

Test(ha_conf, missing_file)
{
	char err[512];
	fflush(stderr);
	int saved = dup(2);
	FILE *cap = tmpfile();
	dup2(fileno(cap), 2);
	struct conf *c = conf_load("/nonexistent/mip4-ha.conf");
	dup2(saved, 2);
	close(saved);
	rewind(cap);
	size_t n = fread(err, 1, sizeof err - 1, cap);
	err[n] = 0;
	fclose(cap);
	cr_assert_null(c);
	cr_assert(strstr(err, "/nonexistent/mip4-ha.conf: cannot read"), "%s", err);
}
