/* test-mention.c - walking mentions with sentence numbers; entity ids. */
#include <string.h>

#include "attr.h"
#include "buf.h"
#include "check.h"
#include "doc.h"
#include "mention.h"

/* Append a token: text, gap before it, S flag, tag. */
static void tok(struct doc *d, const char *text, const char *gap, int sent,
		enum tag_pos pos, const char *type, const char *canon)
{
	static uint64_t at;
	struct tok_fields f;

	if (d->ntoks == 0)
		at = 0;
	at += strlen(gap);
	f.gap = gap;
	f.gaplen = strlen(gap);
	f.text = f.key = text;
	f.textlen = f.keylen = strlen(text);
	f.start = at;
	f.end = at += strlen(text);
	f.flags = sent ? TOK_SENT : 0;
	doc_add_tok(d, &f);
	if (pos != TAG_O)
		doc_annotate(d, d->ntoks - 1, pos, type, strlen(type), canon, "",
			     "", "");
}

static int same_id(const char *type, const char *a, const char *b)
{
	char ia[ENTITY_ID_MAX], ib[ENTITY_ID_MAX];

	entity_id(type, a, ia);
	entity_id(type, b, ib);
	return strcmp(ia, ib) == 0;
}

/* Does mention_attr_get find what attr_next and attr_is find, the first
 * item of the key with a value, in every list of up to 4 items made of
 * a few pieces, for keys with and without '=' and ';'? */
static int attr_get_as_attr_next(void)
{
	static const char *const pieces[] = { "", ";", "a", "ab", "a=", "a=1",
					      "ab=2", "=3", "a=b=4", "b;a" };
	static const char *const keys[] = { "a", "ab", "b", "", "a=b", "a;" };
	size_t np = sizeof(pieces) / sizeof(*pieces), total = 1;
	char list[64];
	int ok = 1;

	for (int k = 0; k < 4; k++)
		total *= np;
	for (size_t c = 0; c < total; c++) {
		list[0] = '\0';
		for (size_t x = c, k = 0; k < 4; k++, x /= np) {
			if (k)
				strcat(list, ";");
			strcat(list, pieces[x % np]);
		}
		for (size_t q = 0; q < sizeof(keys) / sizeof(*keys); q++) {
			const char *p = list, *want = NULL, *got;
			size_t wantn = 0, gotn;
			struct attr a;

			while (!want && attr_next(&p, &a))
				if (a.val && attr_is(&a, keys[q]))
					want = a.val, wantn = a.vallen;
			got = mention_attr_get(list, keys[q], &gotn);
			ok &= got == want && gotn == wantn;
		}
	}
	return ok;
}

int main(void)
{
	struct doc *d = doc_new();
	struct mention m = MENTION_INIT;
	struct buf b = BUF_INIT;
	char id[ENTITY_ID_MAX];

	doc_set_id(d, "x");
	tok(d, "Gen", "", 1, TAG_B, "RANK", "General");
	tok(d, "Asim", " ", 0, TAG_B, "PER", "Asim Munir");
	tok(d, "Munir", " ", 0, TAG_I, "PER", "");
	tok(d, "spoke", " ", 0, TAG_O, "", "");
	tok(d, ".", "", 0, TAG_O, "", "");
	tok(d, "Tehran", "\n\n", 1, TAG_B, "LOC", "Tehran");
	tok(d, "agreed", " ", 0, TAG_O, "", "");

	CHECK("first mention", mention_next(d, &m) && m.tok == 0 && m.ntoks == 1 &&
	      m.sent == 1 && strcmp(m.type, "RANK") == 0);
	CHECK("second mention, two tokens", mention_next(d, &m) && m.tok == 1 &&
	      m.ntoks == 2 && m.sent == 1 && m.start == 4 && m.end == 14);
	mention_text(d, &m, &b);
	CHECK_STR("its text with the gap", b.s, "Asim Munir");
	CHECK("third mention, second sentence", mention_next(d, &m) && m.sent == 2 &&
	      m.start == 23 && strcmp(m.canon, "Tehran") == 0);
	CHECK("no fourth", !mention_next(d, &m) && !mention_next(d, &m));

	CHECK("attribute look-up as attr_next reads the list", attr_get_as_attr_next());
	CHECK("attribute found", mention_attr("full=Major General;nato=OF-7", "nato", &b) &&
	      strcmp(b.s, "OF-7") == 0);
	CHECK("attribute absent is empty", !mention_attr("nato=OF-7", "nat", &b) &&
	      strcmp(b.s, "") == 0);

	entity_id("PER", "Asim Munir", id);
	CHECK("an id is the type and 16 hex digits",
	      strncmp(id, "PER-", 4) == 0 && strlen(id) == 20 &&
	      strspn(id + 4, "0123456789abcdef") == 16);
	{
		char a[ENTITY_ID_MAX], c[ENTITY_ID_MAX];

		entity_id("PER", "Jordan", a);
		entity_id("LOC", "Jordan", c);
		CHECK("a person and a place of one name are two entities",
		      strcmp(a + 4, c + 4) != 0);
	}
	CHECK("British and American spellings", same_id("ORG", "Ministry of Defence",
						       "Ministry of Defense"));
	CHECK("-isation", same_id("ORG", "Shanghai Cooperation Organisation",
				  "Shanghai Cooperation Organization"));
	CHECK("and, hyphens and the are left out",
	      same_id("LOC", "Sistan and Baluchestan", "Sistan-Baluchestan") &&
	      same_id("ORG", "The Pentagon", "Pentagon"));
	CHECK("case and diacritics", same_id("LOC", "Zürich", "ZURICH"));
	CHECK("transliterations are joined by canonical names, not by ids",
	      !same_id("PER", "Mohammad Baqeri", "Mohammad Bagheri"));
	CHECK("Roman numerals and near names stay apart",
	      !same_id("PER", "Abdullah I", "Abdullah II") &&
	      !same_id("ORG", "I Corps", "II Corps") &&
	      !same_id("LOC", "Shaanxi", "Shanxi"));
	CHECK("more British spellings", same_id("ORG", "Serious Organised Crime Agency",
						"Serious Organized Crime Agency") &&
	      same_id("ORG", "Manoeuvre Centres", "Maneuver Centers") &&
	      same_id("ORG", "Organisation for Economic Co-operation",
		      "Organization for Economic Cooperation"));
	CHECK("never two names", !same_id("PER", "Ali Karimi", "Ali Karami") &&
	      !same_id("PER", "Hassan Khan", "Hussain Khan") &&
	      !same_id("PER", "Syed Ali", "Saeed Ali"));
	CHECK("nor two words for one", !same_id("ORG", "Army", "Navy") &&
	      !same_id("LOC", "Sistan", "Sistan and Baluchestan"));
	buf_free(&b);
	doc_free(d);
	return CHECK_DONE();
}
