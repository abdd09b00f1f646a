/* bsfxml: the BootstrappingInfo document written and read back, TS 24.109
 * annex C's shape accepted, and everything outside the strict subset refused. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "lib/bsfxml.h"

Test(bsfxml, write_read)
{
	char doc[BSFXML_MAX];
	size_t n = bsfxml_write("I1U8vpY3qJ0hiuZNrke/NQ==@bsf.lab.example", 1893456000, doc, sizeof doc);
	cr_assert_gt(n, 0);
	cr_expect_str_eq(doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                      "<BootstrappingInfo xmlns=\"uri:3gpp-gba\">\n"
	                      "  <btid>I1U8vpY3qJ0hiuZNrke/NQ==@bsf.lab.example</btid>\n"
	                      "  <lifetime>2030-01-01T00:00:00Z</lifetime>\n"
	                      "</BootstrappingInfo>\n");
	struct bsfxml_info info;
	cr_assert_eq(bsfxml_read(doc, n, &info), BSFXML_OK);
	cr_expect_str_eq(info.btid, "I1U8vpY3qJ0hiuZNrke/NQ==@bsf.lab.example");
	cr_expect(info.has_lifetime);
	cr_expect_eq(info.lifetime, 1893456000);
	cr_expect_eq(bsfxml_write("I1U8vpY3qJ0hiuZNrke/NQ==@bsf.lab.example", 1893456000, doc, n), 0, "no room for the NUL");
	cr_expect_eq(bsfxml_write("", 0, doc, sizeof doc), 0);
	cr_expect_eq(bsfxml_write("a\nb", 0, doc, sizeof doc), 0);
	n = bsfxml_write("a&b<c", 0, doc, sizeof doc);
	cr_assert_gt(n, 0);
	cr_assert_eq(bsfxml_read(doc, n, &info), BSFXML_OK);
	cr_expect_str_eq(info.btid, "a&b<c");
	cr_expect_eq(info.lifetime, 0);
}

/* The example of TS 24.109 table A.3-3 (single quotes, no declaration, another
 * layout, an offset) and a document without lifetime. */
Test(bsfxml, other_spellings)
{
	struct bsfxml_info info;
	const char *a = "<BootstrappingInfo xmlns='uri:3gpp-gba'><btid>user1@bsf.home1.net</btid>"
	                "<lifetime>2004-01-09T10:13:17.123+01:30</lifetime></BootstrappingInfo>";
	cr_assert_eq(bsfxml_read(a, strlen(a), &info), BSFXML_OK);
	cr_expect_str_eq(info.btid, "user1@bsf.home1.net");
	cr_expect_eq(info.lifetime, 1073643197 - 5400);
	const char *b = "<?xml version='1.0'?>\r\n<BootstrappingInfo  xmlns = \"uri:3gpp-gba\" >\n\t<btid>x&amp;y</btid>\n"
	                "</BootstrappingInfo>\r\n";
	cr_assert_eq(bsfxml_read(b, strlen(b), &info), BSFXML_OK);
	cr_expect_str_eq(info.btid, "x&y");
	cr_expect(!info.has_lifetime);
}

Test(bsfxml, refused)
{
	static const struct {
		const char *doc;
		enum bsfxml_err e;
	} cases[] = {
		{ "", BSFXML_ERR_ROOT },
		{ "<?xml version=\"1.1\"?><BootstrappingInfo xmlns=\"uri:3gpp-gba\"><btid>a</btid></BootstrappingInfo>",
		  BSFXML_ERR_DECL },
		{ "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><BootstrappingInfo xmlns=\"uri:3gpp-gba\"><btid>a</btid>"
		  "</BootstrappingInfo>",
		  BSFXML_ERR_DECL },
		{ "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><BootstrappingInfo xmlns=\"uri:3gpp-gba\">"
		  "<btid>&e;</btid></BootstrappingInfo>",
		  BSFXML_ERR_ROOT },
		{ "<BootstrappingInfo><btid>a</btid></BootstrappingInfo>", BSFXML_ERR_ROOT },
		{ "<BootstrappingInfo xmlns=\"uri:other\"><btid>a</btid></BootstrappingInfo>", BSFXML_ERR_ROOT },
		{ "<BootstrappingInfo xmlns=\"uri:3gpp-gba\" x=\"1\"><btid>a</btid></BootstrappingInfo>", BSFXML_ERR_ROOT },
		{ "<g:BootstrappingInfo xmlns:g=\"uri:3gpp-gba\"><g:btid>a</g:btid></g:BootstrappingInfo>", BSFXML_ERR_ROOT },
		{ "<BootstrappingInfo xmlns=\"uri:3gpp-gba\"></BootstrappingInfo>", BSFXML_ERR_BTID },
		{ "<BootstrappingInfo xmlns=\"uri:3gpp-gba\"><btid></btid></BootstrappingInfo>", BSFXML_ERR_BTID },
		{ "<BootstrappingInfo xmlns=\"uri:3gpp-gba\"><btid>a&#65;</btid></BootstrappingInfo>", BSFXML_ERR_BTID },
		{ "<BootstrappingInfo xmlns=\"uri:3gpp-gba\"><btid><![CDATA[a]]></btid></BootstrappingInfo>", BSFXML_ERR_BTID },
		{ "<BootstrappingInfo xmlns=\"uri:3gpp-gba\"><btid>a</btid><btid>b</btid></BootstrappingInfo>",
		  BSFXML_ERR_SYNTAX },
		{ "<BootstrappingInfo xmlns=\"uri:3gpp-gba\"><!-- c --><btid>a</btid></BootstrappingInfo>", BSFXML_ERR_BTID },
		{ "<BootstrappingInfo xmlns=\"uri:3gpp-gba\"><btid>a</btid><x/></BootstrappingInfo>", BSFXML_ERR_SYNTAX },
		{ "<BootstrappingInfo xmlns=\"uri:3gpp-gba\"><btid>a</btid></BootstrappingInfo><x/>", BSFXML_ERR_SYNTAX },
		{ "<BootstrappingInfo xmlns=\"uri:3gpp-gba\"><btid>a</btid><lifetime>2004-01-09T10:13:17</lifetime>"
		  "</BootstrappingInfo>",
		  BSFXML_ERR_LIFETIME },
		{ "<BootstrappingInfo xmlns=\"uri:3gpp-gba\"><btid>a</btid><lifetime>2003-02-29T10:13:17Z</lifetime>"
		  "</BootstrappingInfo>",
		  BSFXML_ERR_LIFETIME },
		{ "<BootstrappingInfo xmlns=\"uri:3gpp-gba\"><btid>a</btid><lifetime>2004-01-09T24:00:00Z</lifetime>"
		  "</BootstrappingInfo>",
		  BSFXML_ERR_LIFETIME },
		{ "<BootstrappingInfo xmlns=\"uri:3gpp-gba\"><btid>a</btid><lifetime>2004-1-09T10:13:17Z</lifetime>"
		  "</BootstrappingInfo>",
		  BSFXML_ERR_LIFETIME },
		{ "<BootstrappingInfo xmlns=\"uri:3gpp-gba\"><btid>a</btid>", BSFXML_ERR_SYNTAX },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct bsfxml_info info;
		enum bsfxml_err e = bsfxml_read(cases[i].doc, strlen(cases[i].doc), &info);
		cr_expect_eq(e, cases[i].e, "case %zu: %s, want %s", i, bsfxml_err_str(e), bsfxml_err_str(cases[i].e));
	}
	char big[BSFXML_MAX + 2];
	memset(big, ' ', sizeof big);
	struct bsfxml_info info;
	cr_expect_eq(bsfxml_read(big, sizeof big, &info), BSFXML_ERR_TOO_LONG);
	char longbtid[400];
	int n = snprintf(longbtid, sizeof longbtid, "<BootstrappingInfo xmlns=\"uri:3gpp-gba\"><btid>%0300d</btid>"
	                 "</BootstrappingInfo>", 0);
	cr_expect_eq(bsfxml_read(longbtid, (size_t)n, &info), BSFXML_ERR_BTID, "btid over 255");
}
