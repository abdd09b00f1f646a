/* mip4-ha configuration: values, and one-line errors naming file, line, option. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mip4-ha/conf.h"

static char path[64];

static void write_conf(const char *text, mode_t mode)
{
	snprintf(path, sizeof path, "/tmp/test_ha_conf.%d.conf", (int)getpid());
	FILE *f = fopen(path, "w");
	cr_assert(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

/* conf_load with stderr captured into err. */
static struct conf *load(const char *text, mode_t mode, char *err, size_t errlen)
{
	write_conf(text, mode);
	fflush(stderr);
	int saved = dup(2);
	FILE *cap = tmpfile();
	cr_assert(cap);
	dup2(fileno(cap), 2);
	struct conf *c = conf_load(path);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(cap);
	size_t n = fread(err, 1, errlen - 1, cap);
	err[n] = 0;
	fclose(cap);
	unlink(path);
	return c;
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
	cr_assert(c->dia.enabled);
	cr_assert_eq(c->dia.n_peers, 1, "the peer/peer_address shorthand is one AAA peer");
	cr_assert_str_eq(c->dia.peers[0].identity, "aaa.lab");
	cr_assert_eq(c->dia.peers[0].role, CONF_ROLE_AAA);
	cr_assert_str_eq(c->dia.peers[0].address, "127.0.0.1");
	cr_assert(!c->dia.peers[0].tls);
	cr_assert_eq(c->dia.peers[0].port, 3868, "plain TCP default port");
	cr_assert_null(c->dia.tls_cert, "no TLS peer, no credentials");
	cr_assert(!c->zn.enabled);
	cr_assert_str_eq(c->dia.destination_realm, "lab");
	cr_assert_eq(c->dia.timeout_ms, 500);
	cr_assert_eq(c->n_sas, 1);
	cr_assert_eq(c->sas[0].spi, 300);
	cr_assert_eq(c->sas[0].alg, AUTH_HMAC_SHA1);
	cr_assert_eq(c->sas[0].key_len, 2);
	cr_assert_eq(c->sas[0].key[1], 0xff);
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

/* A TLS key file the diameter section accepts (mode 0600). */
static const char *tls_key_file(void)
{
	static char key[64];
	snprintf(key, sizeof key, "/tmp/test_ha_conf.%d.key", (int)getpid());
	FILE *f = fopen(key, "w");
	cr_assert(f);
	fclose(f);
	chmod(key, 0600);
	return key;
}

Test(ha_conf, peer_list_and_zn)
{
	char err[512], text[2048];
	const char *key = tls_key_file();
	snprintf(text, sizeof text,
	         BASE "diameter {\n identity = \"ha.lab\"\n realm = \"lab\"\n destination_realm = \"aaa.realm\"\n"
	         " tls = false\n tls_cert = \"/c.pem\"\n tls_key = \"%s\"\n tls_ca = \"/ca.pem\"\n"
	         " peer = \"aaa0.lab\"\n peer_address = \"127.0.0.2\"\n"
	         " connect \"aaa1.lab\" { role = \"aaa\" address = \"127.0.0.3\" port = 4000 }\n"
	         " connect \"bsf.lab\" { role = \"bsf\" address = \"127.0.0.4\" tls = true }\n"
	         "}\n"
	         "zn {\n naf_fqdn = \"ha.lab.example\"\n host = \"bsf.lab\"\n cache_size = 50\n}\n",
	         key);
	struct conf *c = load(text, 0600, err, sizeof err);
	unlink(key);
	cr_assert(c, "%s", err);
	cr_assert_eq(c->dia.n_peers, 3);
	cr_assert_str_eq(c->dia.peers[0].identity, "aaa0.lab", "the shorthand first");
	cr_assert_eq(c->dia.peers[0].port, 3868);
	cr_assert_str_eq(c->dia.peers[1].identity, "aaa1.lab");
	cr_assert_eq(c->dia.peers[1].role, CONF_ROLE_AAA);
	cr_assert_eq(c->dia.peers[1].port, 4000);
	cr_assert(!c->dia.peers[1].tls, "tls inherited from the section");
	cr_assert_eq(c->dia.peers[2].role, CONF_ROLE_BSF);
	cr_assert(c->dia.peers[2].tls);
	cr_assert_eq(c->dia.peers[2].port, 5658, "TLS default port");
	cr_assert_str_eq(c->dia.tls_key, key, "one TLS peer: credentials kept");
	cr_assert_eq(conf_peers_with_role(&c->dia, CONF_ROLE_AAA), 2);
	cr_assert_eq(conf_peers_with_role(&c->dia, CONF_ROLE_BSF), 1);
	cr_assert_str_eq(c->dia.destination_realm, "aaa.realm");
	cr_assert(c->zn.enabled);
	cr_assert_eq(c->zn.spi, 33822, "default method 2 SPI");
	static const uint8_t naf_id[] = "ha.lab.example\xff\x00\x00\x00\x02";
	cr_assert_eq(c->zn.naf_id_len, sizeof naf_id - 1);
	cr_assert(memcmp(c->zn.naf_id, naf_id, sizeof naf_id - 1) == 0, "NAF_Id = FQDN || ff00000002");
	cr_assert_str_eq(c->zn.realm, "", "BIRs to the B-TID's domain");
	cr_assert_str_eq(c->zn.host, "bsf.lab");
	cr_assert_eq(c->zn.cache_size, 50);
	cr_assert_eq(c->zn.timeout_ms, 2000);
	cr_assert_eq(c->zn.negative_ttl, 5);
	conf_free(c);
}

Test(ha_conf, method2_without_aaa)
{
	char err[512];
	struct conf *c = load(BASE "diameter {\n identity = \"ha\"\n realm = \"lab\"\n tls = false\n"
	                      " connect \"bsf\" { role = \"bsf\" address = \"127.0.0.1\" }\n}\n"
	                      "zn {\n naf_fqdn = \"ha.lab\"\n ua_id = \"ff000000aa\"\n spi = 500\n realm = \"bsf.lab\"\n}\n",
	                      0600, err, sizeof err);
	cr_assert(c, "%s", err);
	cr_assert_eq(conf_peers_with_role(&c->dia, CONF_ROLE_AAA), 0);
	cr_assert_eq(c->zn.spi, 500);
	cr_assert_eq(c->zn.naf_id[c->zn.naf_id_len - 1], 0xaa);
	cr_assert_str_eq(c->zn.realm, "bsf.lab");
	conf_free(c);
}

struct bad_case {
	const char *text;
	mode_t mode;
	const char *expect; /* after "FILE:" */
};

Test(ha_conf, errors_name_file_line_option)
{
	static const struct bad_case cases[] = {
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
		{ BASE "sa \"nobody\" {\n spi = 300\n key = \"00\"\n}\n", 0600, "the title must be the home address" },
		{ BASE "diameter {\n identity = \"a\"\n realm = \"b\"\n peer = \"c\"\n peer_address = \"127.0.0.1\"\n}\n",
		  0600, ":8: section 'diameter': option 'tls_cert' is required" },
		{ BASE "diameter {\n identity = \"a\"\n}\n", 0600, "option 'realm' is required" },
#define DIA "diameter {\n identity = \"a\"\n realm = \"b\"\n tls = false\n"
		{ BASE DIA "}\n", 0600, ":7: section 'diameter': no peer" },
		{ BASE DIA " peer = \"c\"\n}\n", 0600, ":8: section 'diameter': options 'peer' and 'peer_address' go together" },
		{ BASE DIA " connect \"c\" { address = \"127.0.0.1\" }\n}\n", 0600,
		  ":7: section 'connect \"c\"': option 'role' is required" },
		{ BASE DIA " connect \"c\" { role = \"hss\" address = \"127.0.0.1\" }\n}\n", 0600,
		  ":7: option 'role': 'hss' is not aaa or bsf" },
		{ BASE DIA " connect \"c\" { role = \"aaa\" }\n}\n", 0600,
		  ":7: section 'connect \"c\"': option 'address' is required" },
		{ BASE DIA " connect \"c\" {\n role = \"aaa\"\n address = \"host\"\n }\n}\n", 0600,
		  ":9: option 'address': 'host' is not an IPv4 address" },
		{ BASE DIA " connect \"c\" { role = \"aaa\" address = \"127.0.0.1\" tls = true }\n}\n", 0600,
		  ":8: section 'diameter': option 'tls_cert' is required with tls = true" },
		{ BASE DIA " peer = \"c\"\n peer_address = \"127.0.0.1\"\n"
		  " connect \"c\" { role = \"bsf\" address = \"127.0.0.1\" }\n}\n", 0600,
		  "peer 'c' is both the 'peer' shorthand and a connect section" },
		{ BASE "diameter {\n identity = \"a\\\"b\"\n}\n", 0600, ":4: option 'identity': must not be empty" },
		{ BASE DIA " peer = \"c\"\n peer_address = \"127.0.0.1\"\n}\nzn {\n naf_fqdn = \"ha.lab\"\n}\n", 0600,
		  ":12: section 'zn': needs a peer with role = \"bsf\"" },
		{ BASE "zn {\n naf_fqdn = \"ha.lab\"\n}\n", 0600, ":5: section 'zn': needs a peer with role = \"bsf\"" },
		{ BASE "zn {\n spi = 300\n}\n", 0600, ":5: section 'zn': option 'naf_fqdn' is required" },
		{ BASE "zn {\n naf_fqdn = \"not a name\"\n}\n", 0600, ":4: option 'naf_fqdn': 'not a name' is not a valid DNS name" },
		{ BASE "zn {\n naf_fqdn = \"ha\"\n ua_id = \"ff01\"\n}\n", 0600, ":5: option 'ua_id': 'ff01' is not 10 hex digits" },
		{ BASE "zn {\n naf_fqdn = \"ha\"\n spi = 255\n}\n", 0600, ":5: option 'spi': 255 is outside 256.." },
		{ BASE "zn {\n naf_fqdn = \"ha\"\n cache_size = 0\n}\n", 0600, ":5: option 'cache_size'" },
		{ BASE "sa \"10.1.0.5\" {\n spi = 33822\n key = \"0011\"\n}\n" DIA
		  " connect \"c\" { role = \"bsf\" address = \"127.0.0.1\" }\n}\nzn {\n naf_fqdn = \"ha\"\n}\n", 0600,
		  ":15: section 'zn': option 'spi': 33822 is also the SPI of the static association of 10.1.0.5" },
#undef DIA
		{ BASE "max_bindings = \"x\"\n", 0600, ":3:" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char err[512];
		struct conf *c = load(cases[i].text, cases[i].mode, err, sizeof err);
		cr_assert_null(c, "case %zu accepted", i);
		cr_assert(strncmp(err, path, strlen(path)) == 0, "case %zu: error does not start with the file: %s", i, err);
		cr_assert(strstr(err, cases[i].expect), "case %zu: '%s' not in: %s", i, cases[i].expect, err);
		char *nl = strchr(err, '\n');
		cr_assert(nl && nl[1] == 0, "case %zu: not one line: %s", i, err);
	}
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
