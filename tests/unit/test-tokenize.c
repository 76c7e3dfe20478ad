/* test-tokenize.c - tokens, sentence flags, offsets and keys. */
#include <stdlib.h>

#include "buf.h"
#include "check.h"
#include "doc.h"
#include "tokenize.h"

static struct doc *d;

/* Tokenise s; return the token texts joined by '|'. */
static const char *toks(const char *s)
{
	static struct buf b;
	struct tokenize_state st;

	doc_clear(d);
	tokenize_begin(&st);
	tokenize_text(d, &st, s, strlen(s));
	buf_reset(&b);
	for (size_t i = 0; i < d->ntoks; i++) {
		if (i)
			buf_putc(&b, '|');
		buf_puts(&b, tok_text(d, &d->toks[i]));
	}
	return b.s ? b.s : "";
}

/* Flags of every token: S, L, SL or -. */
static const char *flags(void)
{
	static struct buf b;

	buf_reset(&b);
	for (size_t i = 0; i < d->ntoks; i++) {
		unsigned f = d->toks[i].flags;

		if (i)
			buf_putc(&b, '|');
		buf_puts(&b, f == 0 ? "-" : f == TOK_SENT ? "S" : f == TOK_LINE ? "L" : "SL");
	}
	return b.s ? b.s : "";
}

/* Flags of the last token whose text is t, or -1. */
static int flags_of(const char *t)
{
	for (size_t i = d->ntoks; i-- > 0;)
		if (strcmp(tok_text(d, &d->toks[i]), t) == 0)
			return (int)d->toks[i].flags;
	return -1;
}

/* Is the gap before token i exactly s? */
static int gap_is(size_t i, const char *s)
{
	size_t n;
	const char *gap = tok_gap(d, &d->toks[i], &n);

	return n == strlen(s) && memcmp(gap, s, n) == 0;
}

int main(void)
{
	d = doc_new();
	CHECK_STR("ranks keep their period", toks("Maj. Gen. Ali met Lt. Col. Khan."),
		  "Maj.|Gen.|Ali|met|Lt.|Col.|Khan|.");
	CHECK_STR("hyphenated rank splits at the hyphen", toks("Maj.-Gen. Ali"),
		  "Maj.|-|Gen.|Ali");
	CHECK_STR("possessive is split", toks("Pakistan's army"),
		  "Pakistan|'s|army");
	CHECK_STR("curly possessive is split", toks("Iran\xe2\x80\x99s army"),
		  "Iran|\xe2\x80\x99s|army");
	CHECK_STR("inner apostrophe stays", toks("O'Brien and Qur'an"),
		  "O'Brien|and|Qur'an");
	CHECK_STR("hyphenated pair is split", toks("Pakistan-Iran border"),
		  "Pakistan|-|Iran|border");
	CHECK_STR("initialism keeps its periods", toks("the U.S. Navy"),
		  "the|U.S.|Navy");
	CHECK_STR("initial keeps its period", toks("Admiral M. Amjad Khan"),
		  "Admiral|M.|Amjad|Khan");
	CHECK_STR("a digit or the pronoun I keeps no period", toks("Item 5. Than I. Then"),
		  "Item|5|.|Than|I|.|Then");
	CHECK_STR("a URL is one token", toks("See https://www.tehrantimes.com/news/480612/Iran-x. Then"),
		  "See|https://www.tehrantimes.com/news/480612/Iran-x|.|Then");
	CHECK_STR("www. and e-mail addresses too", toks("(www.dawn.com) or desk@irna.ir,"),
		  "(|www.dawn.com|)|or|desk@irna.ir|,");
	CHECK_STR("an at sign alone is no address", toks("meet @ noon"), "meet|@|noon");
	CHECK_STR("numbers keep separators", toks("2,000 troops, 3.5 km"),
		  "2,000|troops|,|3.5|km");
	CHECK_STR("dateline dash and colon", toks("TEHRAN \xe2\x80\x93 ISLAMABAD:"),
		  "TEHRAN|\xe2\x80\x93|ISLAMABAD|:");
	CHECK_STR("No. before a number keeps its period", toks("No. 617 Squadron. He said no. 5 left"),
		  "No.|617|Squadron|.|He|said|no|.|5|left");
	CHECK_STR("a capitalised state abbreviation keeps its period",
		  toks("Fort Stewart, Ga. and (D-Calif.) but ga."), "Fort|Stewart|,|Ga.|and|(|D|-|Calif.|)|but|ga|.");
	CHECK_STR("brackets around an acronym", toks("Corps (IRGC)"),
		  "Corps|(|IRGC|)");

	toks("He left. She came!\nNew line Gen. Munir spoke.");
	CHECK_STR("sentence and line flags", flags(),
		  "SL|-|-|S|-|-|SL|-|-|-|-|-");
	toks("He said \"no.\" Then left.");
	CHECK_STR("a common word is no abbreviation", toks("He said \"no.\" Then left."),
		  "He|said|\"|no|.|\"|Then|left|.");
	CHECK_STR("a closing quote stays in the sentence", flags(),
		  "SL|-|-|-|-|-|S|-|-");

	toks("Baq\xc3\xa9ri \xe2\x80\x93 Tehran");
	CHECK("offsets count code points", d->ntoks == 3 && d->toks[1].start == 7 &&
	      tok_end(d, &d->toks[1]) == 8 && d->toks[2].start == 9 &&
	      tok_end(d, &d->toks[2]) == 15);
	CHECK_STR("key of a token", tok_key(d, &d->toks[0]), "baqeri");
	CHECK("gap of a token", gap_is(2, " "));

	/* Text forms web pages and wire copy leave in names. */
	CHECK_STR("a soft hyphen does not split a word", toks("Asim Mu\xc2\xadnir met"),
		  "Asim|Mu\xc2\xadnir|met");
	CHECK_STR("its key drops it", tok_key(d, &d->toks[1]), "munir");
	CHECK_STR("a trailing soft hyphen is no part of the word", toks("Munir\xc2\xad met"),
		  "Munir|\xc2\xad|met");
	CHECK_STR("U+02BC before s is a possessive", toks("Pakistan\xca\xbcs army"),
		  "Pakistan|\xca\xbcs|army");
	CHECK_STR("U+02BC inside a word stays", toks("Qur\xca\xbc" "an"), "Qur\xca\xbc" "an");
	toks("Esm\xc4\x81\xca\xbfil Q\xc4\x81\xca\xbe\xc4\x81ni");
	CHECK("ayn and hamza half rings leave the key",
	      d->ntoks == 2 && strcmp(tok_key(d, &d->toks[0]), "esmail") == 0 &&
	      strcmp(tok_key(d, &d->toks[1]), "qaani") == 0);

	toks("The military's media wing said on Monday that Field Marshal Asim\n"
	     "Munir had visited troops near the border.\n");
	const int SL = TOK_SENT | TOK_LINE;
	CHECK("a wrapped line does not start a line or a sentence", flags_of("Munir") == 0);
	toks("Photo caption: Field Marshal Asim\nMunir\n");
	CHECK("a short line keeps its break", flags_of("Munir") == SL);
	toks("Pakistan Army Chief Visits Troops Along The Line Of Control\nMunir said.\n");
	CHECK("a heading keeps its break", flags_of("Munir") == SL);
	toks("The military's media wing said on Monday that it would speak.\n"
	     "Munir had visited troops near the border.\n");
	CHECK("a line that ends a sentence keeps its break", flags_of("Munir") == SL);
	toks("The military's media wing said on Monday that Field Marshal Asim\n\n"
	     "Munir had visited troops near the border.\n");
	CHECK("a blank line keeps its break", flags_of("Munir") == SL);
	toks("Pakistan army chief meets the Iranian commander in Tehran\n"
	     "ISLAMABAD: The army said.\n");
	CHECK("a dateline keeps its break", flags_of("ISLAMABAD") == SL);

	struct tokenize_state st;
	doc_clear(d);
	tokenize_begin(&st);
	size_t rest = tokenize_text(d, &st, "  Iran \n\n", 9);
	CHECK("leading space is the first gap, trailing space is returned",
	      rest == 3 && gap_is(0, "  ") && st.offset == 9);
	{
		struct buf t = BUF_INIT;
		size_t n;

		for (int k = 0; k < 70000; k++)
			buf_putc(&t, k % 2 ? '\n' : ' ');
		buf_puts(&t, "Tehran ");
		for (int k = 0; k < 300; k++)
			buf_puts(&t, "\xc3\xa9");
		doc_clear(d);
		tokenize_begin(&st);
		tokenize_text(d, &st, t.s, t.len);
		CHECK("a gap of 70,000 bytes and a word of 300 code points",
		      d->ntoks == 2 && (tok_gap(d, &d->toks[0], &n), n == 70000) &&
		      d->toks[0].start == 70000 && tok_end(d, &d->toks[0]) == 70006 &&
		      d->toks[1].start == 70007 && tok_end(d, &d->toks[1]) == 70307 &&
		      strlen(tok_key(d, &d->toks[1])) == 300 &&
		      strcmp(tok_key(d, &d->toks[0]), "tehran") == 0);
		buf_free(&t);
	}
	CHECK("abbreviation lookup", tokenize_is_abbrev("Brig", 4) &&
	      !tokenize_is_abbrev("Iran", 4));
	doc_free(d);
	return CHECK_DONE();
}
