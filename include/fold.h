/* fold.h - the variant-folding key: one key for many transliterations. */
#ifndef NERPIPE_FOLD_H
#define NERPIPE_FOLD_H

#include <stddef.h>

#include "buf.h"

/*
 * Names from Persian, Arabic and Urdu reach English news in several
 * spellings: Baqeri/Bagheri, Mohammad/Muhammad/Mohammed,
 * Hossein/Hussain/Husain, Syed/Seyed/Sayyid, Javed/Javid,
 * Baluchestan/Balochistan.  The fold key of a word keeps its consonant
 * skeleton and marks where its vowels were:
 *
 *   1. start from the match key (lower case, no diacritics);
 *   2. gh -> q, kh -> x, ph -> f, th -> t, dh -> d, bh -> b, ck -> k;
 *   3. y after the first letter is a vowel, and so is w after a vowel;
 *   4. every run of vowels (a e i o u, and those y and w) becomes one '*';
 *   5. a doubled consonant becomes one.
 *
 * So mohammad, muhammad and mohammed all fold to "m*h*m*d", and hossein,
 * hussain and husain to "h*s*n".  Characters other than ASCII letters are
 * kept as they are.  Words that differ in more than vowels and those
 * spellings stay apart: "bajwa" is not "baqeri".
 */

/* Append the fold key of the match key s[0..n) to out. */
void fold_word(struct buf *out, const char *s, size_t n);

/* Write the fold key of s[0..n) to out, which has room for n + 1 bytes
 * (a key is never longer than its word), NUL-terminated.  Returns its
 * length. */
size_t fold_word_to(char *out, const char *s, size_t n);

/*
 * The fold key is loose on purpose: it finds candidates.  Two spellings
 * are only taken for the same name when fold_variant() says so: the same
 * fold key, and each pair of vowel runs able to stand for the same vowel.
 * a, i and u (o) are three vowels; e may stand for any of them; a long
 * vowel written double (ee, oo, ou) counts as one; a diphthong ending in
 * i or y (ai, ei, ey) may stand for i or another diphthong; three vowels
 * with a doubled one (Sa-eed) and any other run of two vowels (ia, ua)
 * only for another such run.  So Hossein/Husain,
 * Mohammad/Mohammed, Qasem/Qasim and Yousef/Yusuf are variants, and
 * Karimi/Karami (i, a), Hassan/Hussain (a, u), Pashtun/Pashteen (u, ee),
 * Saeed/Syed and Saad/Sayyid are different names.  The vowel classes are our own reading of how
 * Persian, Arabic and Urdu names are romanised in English news.
 */

/* True if the match keys a[0..an) and b[0..bn) (one word each, bytes)
 * are spelling variants of one name, as above.  Identical keys are. */
int fold_variant(const char *a, size_t an, const char *b, size_t bn);

/* May the match key a[0..an), a word of a text, stand for b[0..bn), a
 * word of a name?  If it is the same word, always; otherwise only if it
 * is a spelling variant (fold_variant), no English function word (the,
 * can, may, with, who, ...: a fixed list of our own; "CAN THE" is not
 * Cần Thơ), and given is unset: set it for the given name of a person,
 * which is never respelt (a gazetteer lists its spellings, and Syed is
 * not Said). */
int fold_name_variant(const char *a, size_t an, const char *b, size_t bn,
		      int given);

/* True for words that join the parts of a name and are left out of
 * multi-word fold keys, so that "Sistan and Baluchestan" and
 * "Sistan-Baluchestan" fold alike: "-", "and", "&". */
int fold_is_connector(const char *key);

#endif
