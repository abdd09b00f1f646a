/* mip4-mn command line and store generator. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mip4-mn/opts.h"
#include "lib/milenage.h"
#include "tests/unit/vectors.h"
#include "mip4-mn/store.h"

static enum mn_opts_result parse(struct mn_opts *o, char *err, const char *const *args)
{
	char *argv[64];
	int argc = 0;

	argv[argc++] = (char *)"mip4-mn";
	for (; *args; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	return mn_opts_parse(argc, argv, o, err, 256);
}

#define PARSE(o, err, ...) parse(o, err, (const char *const[]){__VA_ARGS__, NULL})

Test(mn_opts, defaults_and_values)
{
	struct mn_opts o;
	char err[256] = "";

	cr_assert_eq(PARSE(&o, err, "--store", "s"), MN_OPTS_RUN, "%s", err);
	cr_expect_eq(ntohs(o.ha.sin_port), 434);
	cr_expect_eq(o.ha.sin_addr.s_addr, htonl(0x7f000001));
	cr_expect_eq(o.coa, htonl(0x7f000001), "care-of address defaults to the bind address");
	cr_expect_eq(o.aaa_spi, 256);
	cr_expect_eq(o.lifetime, 300);
	cr_expect_eq(o.reregs, 1);
	static const uint8_t ua[5] = {0xff, 0, 0, 0, 1};
	cr_expect_arr_eq(o.ua_id, ua, 5);
	cr_expect_str_eq(o.naf_fqdn, "aaa.lab.example");

	cr_assert_eq(PARSE(&o, err, "--load", "--store", "s", "--ha", "127.0.0.1:23434", "--bind",
	                   "127.0.0.2:5000", "--rate", "2500.5", "--window", "16", "--rereg-pct", "80",
	                   "--duration", "1.5", "--ua-id", "0100000002", "--aaa-spi", "0x200", "--json"),
	             MN_OPTS_RUN, "%s", err);
	cr_expect_eq(ntohs(o.ha.sin_port), 23434);
	cr_expect_eq(o.coa, htonl(0x7f000002));
	cr_expect_eq(ntohs(o.bind.sin_port), 5000);
	cr_expect_eq(o.rate, 2500.5);
	cr_expect_eq(o.window, 16);
	cr_expect_eq(o.rereg_pct, 80);
	cr_expect_eq(o.duration, 1.5);
	cr_expect_eq(o.ua_id[4], 2);
	cr_expect_eq(o.aaa_spi, 512);
	cr_expect(o.json);
	cr_expect(o.load);

	cr_assert_eq(PARSE(&o, err, "--static-spi", "300", "--static-key", "00112233445566778899aabbccddeeff",
	                   "--static-alg", "hmac-sha1", "--home-addr", "10.1.0.1"),
	             MN_OPTS_RUN, "%s", err);
	cr_expect(o.static_mode);
	cr_expect_eq(o.static_key_len, 16);
	cr_expect_eq(o.static_key[15], 0xff);
	cr_expect_eq(o.static_alg, AUTH_HMAC_SHA1);
	mn_opts_clear(&o);
	cr_expect_eq(o.static_key[15], 0);
}

Test(mn_opts, method_2_defaults)
{
	struct mn_opts o;
	char err[256] = "";

	cr_assert_eq(PARSE(&o, err, "--store", "s", "--method", "2", "--home-addr", "10.1.0.1"), MN_OPTS_RUN, "%s", err);
	cr_expect_eq(o.method, 2);
	cr_expect_str_eq(o.naf_fqdn, "ha.lab.example", "the HA is the NAF");
	static const uint8_t ua2[5] = {0xff, 0, 0, 0, 2};
	cr_expect_arr_eq(o.ua_id, ua2, 5);
	cr_expect_eq(o.mn_spi, 33822, "the HA's default zn spi");
	cr_expect_eq(o.aaa_spi, 0, "no MN-AAA extension");
	cr_assert_eq(PARSE(&o, err, "--store", "s", "--method", "2", "--home-addr", "10.1.0.1", "--naf-fqdn", "ha.x",
	                   "--ua-id", "ff00000009", "--mn-spi", "700"),
	             MN_OPTS_RUN, "%s", err);
	cr_expect_str_eq(o.naf_fqdn, "ha.x");
	cr_expect_eq(o.ua_id[4], 9);
	cr_expect_eq(o.mn_spi, 700);
	cr_assert_eq(PARSE(&o, err, "--store", "s"), MN_OPTS_RUN, "%s", err);
	cr_expect_eq(o.method, 1);
	cr_expect_eq(o.mn_spi, 4096);
}

Test(mn_opts, bad_arguments_are_one_line_errors)
{
	static const char *const bad[][8] = {
		{"--store", "s", "--rate", "fast", NULL},
		{"--store", "s", "--ha", "localhost", NULL},
		{"--store", "s", "--ha", "127.0.0.1:99999", NULL},
		{"--store", "s", "--lifetime", "0", NULL},
		{"--store", "s", "--aaa-spi", "255", NULL},
		{"--store", "s", "--ua-id", "ff0000", NULL},
		{"--store", "s", "--rereg-pct", "101", NULL},
		{"--store", "s", "--naf-fqdn", "bad..name", NULL},
		{"--store", "s", "--timeout", "1000", "--timeout-max", "10"},
		{"--store", "s", "--btid", "a", "--impi", "b"},
		{"--static-spi", "300", "--home-addr", "10.0.0.1", NULL},
		{"--static-spi", "300", "--static-key", "xyz", NULL},
		{"--store", "s", "extra", NULL},
		{"--nonsense", NULL},
		{"--store", NULL},
		{NULL},
		{"--make-store", "3", "--out-mn", "a", NULL},
		{"--store", "s", "--method", "3", NULL},
		{"--store", "s", "--method", "2", NULL},
		{"--store", "s", "--method", "2", "--home-addr", "10.0.0.1", "--aaa-spi", "300"},
		{"--static-spi", "300", "--static-key", "00", "--home-addr", "10.0.0.1", "--method", "2"},
		{"--store", "s", "--fa", "eth0", "--mn-spi", "4294967295", NULL},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mn_opts o;
		char err[256] = "";
		char *argv[10] = {(char *)"mip4-mn"};
		int argc = 1;

		for (int k = 0; k < 8 && bad[i][k]; k++)
			argv[argc++] = (char *)bad[i][k];
		cr_expect_eq(mn_opts_parse(argc, argv, &o, err, sizeof(err)), MN_OPTS_ERROR, "case %zu", i);
		cr_expect_gt(strlen(err), 0, "case %zu: no message", i);
		cr_expect_null(strchr(err, '\n'), "case %zu: one line", i);
	}
}

Test(mn_opts, static_key_file_mode_checked)
{
	char dir[] = "/tmp/mn-opts-XXXXXX", path[64], err[256] = "";
	struct mn_opts o;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/key", dir);
	FILE *f = fopen(path, "w");
	fputs("0102030405060708090a0b0c0d0e0f10\n", f);
	fclose(f);
	chmod(path, 0644);
	cr_expect_eq(PARSE(&o, err, "--static-spi", "300", "--home-addr", "10.0.0.1", "--static-key-file", path),
	             MN_OPTS_ERROR);
	cr_expect(strstr(err, "accessible by others"), "%s", err);
	chmod(path, 0600);
	cr_expect_eq(PARSE(&o, err, "--static-spi", "300", "--home-addr", "10.0.0.1", "--static-key-file", path),
	             MN_OPTS_RUN, "%s", err);
	cr_expect_eq(o.static_key_len, 16);
	cr_expect_eq(o.static_key[0], 1);
	unlink(path);
	rmdir(dir);
}

Test(mn_opts, make_store_writes_matching_private_stores)
{
	char dir[] = "/tmp/mn-store-XXXXXX", mn[64], bsf[64], err[256] = "";
	struct mn_opts o;
	struct bootstrap_store a = {0}, b = {0};
	struct stat st;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(mn, sizeof(mn), "%s/mn", dir);
	snprintf(bsf, sizeof(bsf), "%s/bsf", dir);
	cr_assert_eq(PARSE(&o, err, "--make-store", "5", "--bsf-domain", "bsf.lab.example", "--out-mn", mn,
	                   "--out-bsf", bsf),
	             MN_OPTS_RUN, "%s", err);
	cr_assert_eq(mn_store_make(&o, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(stat(mn, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(stat(bsf, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(bootstrap_load(mn, &a, NULL), BOOTSTRAP_OK);
	cr_assert_eq(bootstrap_load(bsf, &b, NULL), BOOTSTRAP_OK);
	cr_assert_eq(a.n, 5);
	cr_assert_eq(b.n, 5);
	for (size_t i = 0; i < 5; i++) {
		cr_expect_str_eq(a.e[i].btid, b.e[i].btid);
		cr_expect_arr_eq(a.e[i].ks, b.e[i].ks, GBA_KS_LEN);
		cr_expect(strstr(a.e[i].btid, "@bsf.lab.example"));
	}
	cr_expect_str_neq(a.e[0].btid, a.e[1].btid, "random RAND per entry");

	/* A re-bootstrap: a new entry for IMPI 0, expiring later. */
	cr_assert_eq(PARSE(&o, err, "--make-store", "1", "--bsf-domain", "bsf.lab.example", "--out-mn", mn,
	                   "--out-bsf", bsf, "--append", "--first", "0", "--expiry", "90000"),
	             MN_OPTS_RUN, "%s", err);
	cr_assert_eq(mn_store_make(&o, err, sizeof(err)), 0, "%s", err);
	bootstrap_free(&a);
	cr_assert_eq(bootstrap_load(mn, &a, NULL), BOOTSTRAP_OK);
	cr_assert_eq(a.n, 6);
	const struct bootstrap_entry *e = mn_store_newest(&a, "mn000000@ims.lab.example");
	cr_assert_not_null(e);
	for (size_t i = 0; i < b.n; i++)
		cr_expect_str_neq(e->btid, b.e[i].btid, "the newest entry is the appended one");
	cr_expect_null(mn_store_newest(&a, "nobody@ims.lab.example"));

	/* Appending to a store others can read is refused. */
	chmod(mn, 0644);
	cr_expect_eq(mn_store_make(&o, err, sizeof(err)), -1);
	cr_expect(strstr(err, "accessible by others"), "%s", err);
	bootstrap_free(&a);
	bootstrap_free(&b);
	unlink(mn);
	unlink(bsf);
	rmdir(dir);
}

Test(mn_opts, milenage_ks_matches_ts35208)
{
	struct vectors_milenage v = vectors_milenage();
	uint8_t opc[16], ks[GBA_KS_LEN];

	cr_assert_eq(milenage_opc(v.k.p, v.op.p, opc), 0);
	cr_assert_eq(mn_store_ks_milenage(v.k.p, opc, v.rand.p, ks), 0);
	cr_expect_arr_eq(ks, v.ck.p, 16, "CK");
	cr_expect_arr_eq(ks + 16, v.ik.p, 16, "IK");
}

Test(mn_opts, make_store_with_milenage)
{
	struct vectors_milenage v = vectors_milenage();
	char dir[] = "/tmp/mn-mil-XXXXXX", mn[64], bsf[64], kop[64], err[256] = "";
	struct mn_opts o;
	struct bootstrap_store a = {0};
	uint8_t opc[16], ks[GBA_KS_LEN];

	cr_assert_not_null(mkdtemp(dir));
	snprintf(mn, sizeof(mn), "%s/mn", dir);
	snprintf(bsf, sizeof(bsf), "%s/bsf", dir);
	snprintf(kop, sizeof(kop), "%s/kop", dir);
	FILE *f = fopen(kop, "w");
	for (size_t i = 0; i < 16; i++)
		fprintf(f, "%02x", v.k.p[i]);
	fputc(' ', f);
	for (size_t i = 0; i < 16; i++)
		fprintf(f, "%02x", v.op.p[i]);
	fputc('\n', f);
	fclose(f);
	chmod(kop, 0640);
	cr_assert_eq(PARSE(&o, err, "--make-store", "3", "--bsf-domain", "bsf.lab.example", "--out-mn", mn,
	                   "--out-bsf", bsf, "--milenage", kop),
	             MN_OPTS_RUN, "%s", err);
	cr_expect(o.milenage);
	cr_assert_eq(mn_store_make(&o, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(bootstrap_load(mn, &a, NULL), BOOTSTRAP_OK);
	cr_assert_eq(a.n, 3);
	cr_assert_eq(milenage_opc(v.k.p, v.op.p, opc), 0);
	for (size_t i = 0; i < a.n; i++) {
		cr_assert_eq(mn_store_ks_milenage(v.k.p, opc, a.e[i].rand, ks), 0);
		cr_expect_arr_eq(a.e[i].ks, ks, GBA_KS_LEN, "entry %zu: Ks = CK || IK of its RAND", i);
	}
	chmod(kop, 0644);
	cr_expect_eq(PARSE(&o, err, "--make-store", "1", "--bsf-domain", "b.example", "--out-mn", mn, "--out-bsf",
	                   bsf, "--milenage", kop),
	             MN_OPTS_ERROR);
	cr_expect(strstr(err, "accessible by others"), "%s", err);
	bootstrap_free(&a);
	unlink(mn);
	unlink(bsf);
	unlink(kop);
	rmdir(dir);
}

/* --subscriber: the Ub options, and how they combine with the other modes. */
Test(mn_opts, subscriber)
{
	struct mn_opts o;
	char err[256] = "";

	cr_assert_eq(PARSE(&o, err, "--subscriber", "subs", "--bsf", "https://bsf.lab.example:8443/ub", "--bsf-ca",
	                   "ca.pem", "--bsf-address", "127.0.0.1", "--bsf-timeout", "700"),
	             MN_OPTS_RUN, "%s", err);
	cr_expect(o.bsf_url.tls);
	cr_expect_str_eq(o.bsf_url.port, "8443");
	cr_expect_str_eq(o.bsf_url.path, "/ub");
	cr_expect_str_eq(o.bsf_realm, "bsf.lab.example", "realm defaults to the URL's host");
	cr_expect_str_eq(o.bsf_address, "127.0.0.1");
	cr_expect_eq(o.bsf_timeout_ms, 700);
	cr_assert_eq(PARSE(&o, err, "--load", "--mns", "5", "--subscriber", "s", "--bsf", "http://h/", "--bsf-realm",
	                   "r.example"),
	             MN_OPTS_RUN, "%s", err);
	cr_expect_str_eq(o.bsf_realm, "r.example");
	cr_assert_eq(PARSE(&o, err, "--ub-only", "--subscriber", "s", "--bsf", "http://h/", "--ub-answer-delay", "1500"),
	             MN_OPTS_RUN, "%s", err);
	cr_expect(o.ub_only);
	cr_expect_eq(o.ub_answer_delay_ms, 1500);
	cr_assert_eq(PARSE(&o, err, "--make-store", "3", "--subscriber", "s", "--bsf", "http://h/", "--out-mn", "m"),
	             MN_OPTS_RUN, "%s", err);
	cr_assert_eq(PARSE(&o, err, "--subscriber", "s", "--impi", "alice", "--bsf", "http://h/"), MN_OPTS_RUN, "%s", err);

	const char *const *bad[] = {
		(const char *const[]){ "--subscriber", "s", NULL },
		(const char *const[]){ "--bsf", "http://h/", "--store", "x", NULL },
		(const char *const[]){ "--subscriber", "s", "--bsf", "http://h/", "--store", "x", NULL },
		(const char *const[]){ "--subscriber", "s", "--bsf", "http://h/", "--btid", "x", NULL },
		(const char *const[]){ "--subscriber", "s", "--bsf", "ftp://h/", NULL },
		(const char *const[]){ "--subscriber", "s", "--bsf", "http://h/", "--static-spi", "300", NULL },
		(const char *const[]){ "--ub-only", "--store", "x", NULL },
		(const char *const[]){ "--ub-only", "--load", "--subscriber", "s", "--bsf", "http://h/", NULL },
		(const char *const[]){ "--make-store", "3", "--subscriber", "s", "--bsf", "http://h/", NULL },
		(const char *const[]){ "--make-store", "3", "--subscriber", "s", "--bsf", "http://h/", "--out-mn", "m",
		                       "--bsf-domain", "d", NULL },
		(const char *const[]){ "--subscriber", "s", "--bsf", "http://h/", "--bsf-realm", "a b", NULL },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		cr_expect_eq(parse(&o, err, bad[i]), MN_OPTS_ERROR, "case %zu accepted", i);
		cr_expect_neq(err[0], '\0', "case %zu: a message", i);
	}
}

Test(mn_opts, fa_keygen_spi_room)
{
	struct mn_opts o;
	char err[256] = "";

	/* The MN-FA KeyGen Request uses --mn-spi + 1: the largest SPI leaves no room. */
	cr_expect_eq(PARSE(&o, err, "--store", "s", "--fa", "eth0", "--mn-spi", "4294967294"), MN_OPTS_RUN, "%s", err);
	cr_expect_eq(PARSE(&o, err, "--store", "s", "--fa", "eth0", "--mn-spi", "4294967295"), MN_OPTS_ERROR);
	cr_expect(strstr(err, "--mn-spi") != NULL, "%s", err);
	/* Not asked for: with a static MN-FA association, in method 2, or co-located. */
	cr_expect_eq(PARSE(&o, err, "--store", "s", "--fa", "eth0", "--mn-spi", "4294967295", "--fa-spi", "500",
	                   "--fa-key", "00112233"),
	             MN_OPTS_RUN, "%s", err);
	cr_expect_eq(PARSE(&o, err, "--store", "s", "--mn-spi", "4294967295"), MN_OPTS_RUN, "%s", err);
}
