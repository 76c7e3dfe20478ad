/* test-fold.c - variant folding, on names it was written for and others. */
#include "buf.h"
#include "check.h"
#include "fold.h"

/* Fold s into one of two buffers, so two results can be compared. */
static const char *fold_into(int which, const char *s)
{
	static struct buf b[2];

	buf_reset(&b[which]);
	fold_word(&b[which], s, strlen(s));
	return b[which].s ? b[which].s : "";
}

static const char *fold(const char *s)
{
	return fold_into(0, s);
}

static int same(const char *a, const char *b)
{
	return strcmp(fold_into(0, a), fold_into(1, b)) == 0;
}

static int variant(const char *a, const char *b)
{
	return fold_variant(a, strlen(a), b, strlen(b));
}

#define VARIANT(a, b) CHECK(a " is a variant of " b, variant(a, b) && variant(b, a))
#define NOT_VARIANT(a, b) \
	CHECK(a " is not a variant of " b, !variant(a, b) && !variant(b, a))
#define SAME(a, b) CHECK(a " folds like " b, same(a, b))
#define APART(a, b) CHECK(a " stays apart from " b, !same(a, b))

int main(void)
{
	CHECK_STR("skeleton", fold("mohammad"), "m*h*m*d");
	/* The pairs named in the issue. */
	SAME("baqeri", "bagheri");
	SAME("mohammad", "muhammad");
	SAME("mohammad", "mohammed");
	SAME("hossein", "hussain");
	SAME("hossein", "husain");
	SAME("syed", "seyed");
	SAME("syed", "sayyid");
	SAME("javed", "javid");
	SAME("baluchestan", "balochistan");
	/* Names the rules were not written for. */
	SAME("rouhani", "rowhani");
	SAME("qasem", "ghasem");
	SAME("araghchi", "araqchi");
	SAME("pezeshkian", "pezeshkiyan");
	SAME("abdolrahim", "abdulrahim");
	SAME("yousef", "yusuf");
	SAME("osama", "usama");
	SAME("qureshi", "qureishi");
	SAME("hasan", "hassan");
	/* Different names stay different. */
	APART("bajwa", "baqeri");
	APART("munir", "mirza");
	APART("iran", "iraq");
	APART("ali", "asif");
	APART("hamid", "ahmad");
	APART("tehran", "tabriz");
	/* The fold key only finds candidates; fold_variant() decides. */
	VARIANT("mohammad", "muhammad");
	VARIANT("mohammad", "mohammed");
	VARIANT("hossein", "hussain");
	VARIANT("hossein", "husain");
	VARIANT("syed", "sayyid");
	VARIANT("syed", "seyed");
	VARIANT("baqeri", "bagheri");
	VARIANT("soleimani", "suleimani");
	VARIANT("soleimani", "suleymany");
	VARIANT("rouhani", "rowhani");
	VARIANT("rouhani", "rohani");
	VARIANT("yousef", "yusuf");
	VARIANT("qureshi", "qureishi");
	VARIANT("pezeshkian", "pezeshkiyan");
	VARIANT("abdolrahim", "abdulrahim");
	VARIANT("raheem", "rahim");
	VARIANT("mahmood", "mahmud");
	VARIANT("esmaeil", "esmail");
	VARIANT("baluchestan", "balochistan");
	VARIANT("munir", "munir");
	/* Same skeleton, different names: these must never be joined. */
	NOT_VARIANT("karimi", "karami");
	NOT_VARIANT("pashtun", "pashteen");
	NOT_VARIANT("hassan", "hussain");
	NOT_VARIANT("hasan", "hossein");
	NOT_VARIANT("hamid", "hamad");
	NOT_VARIANT("bajwa", "baqeri");
	NOT_VARIANT("saeed", "syed");
	NOT_VARIANT("saeed", "sayyid");
	NOT_VARIANT("saeed", "seyed");
	NOT_VARIANT("saad", "syed");
	NOT_VARIANT("saad", "sayyid");
	NOT_VARIANT("saad", "saeed");
	/* Found by trying other names: each pair is two names. */
	NOT_VARIANT("liu", "liao");
	NOT_VARIANT("xia", "xiao");
	NOT_VARIANT("xiong", "xiang");
	NOT_VARIANT("qiong", "qiang");
	NOT_VARIANT("cui", "cai");
	NOT_VARIANT("roy", "ray");
	NOT_VARIANT("fayaz", "fawaz");
	NOT_VARIANT("nawaz", "niaz");
	NOT_VARIANT("i", "ii");
	NOT_VARIANT("xi", "xii");
	NOT_VARIANT("vi", "viii");
	VARIANT("hossein", "husain");	/* still: ei and ai */
	/* In a name: a given name and a function word are never respelt. */
	CHECK("a surname may be respelt", fold_name_variant("baqeri", 6, "bagheri", 7, 0));
	CHECK("a given name may not", !fold_name_variant("muhammad", 8, "mohammad", 8, 1));
	CHECK("a given name spelt alike is itself", fold_name_variant("mohammad", 8, "mohammad", 8, 1));
	CHECK("a function word is never a respelt name", !fold_name_variant("the", 3, "tho", 3, 0) &&
	      !fold_name_variant("can", 3, "cin", 3, 0));
	CHECK("a word is not a function word for starting like one",
	      fold_name_variant("thamer", 6, "thamir", 6, 0));
	CHECK("connectors", fold_is_connector("-") && fold_is_connector("and") &&
	      !fold_is_connector("of"));
	return CHECK_DONE();
}
