/* stage.c - running a stage module as a filter over a document stream. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "gaz.h"
#include "stage.h"
#include "stream.h"

int stage_read_reader(struct stream_reader *r, struct doc *d,
		      stage_doc_fn *fn, void *arg)
{
	int st, ret = EX_OK;

	while ((st = stream_read(r, d)) > 0) {
		/* A truncated document is still passed on, marked so that
		 * later stages know it, then reported. */
		if (r->truncated)
			doc_add_meta(d, "error", "truncated stream");
		if ((ret = fn(d, arg)) != EX_OK)
			return ret;
		if (r->truncated)
			return -1;
	}
	return st < 0 ? -1 : EX_OK;
}

struct filter_ctx {
	const struct stage_ops *ops;
	void *state;
	FILE *out;
	int werrno;		/* errno of the first failed write */
};

static int filter_doc(struct doc *d, void *arg)
{
	struct filter_ctx *c = arg;
	int st = stage_run(c->ops, c->state, d, c->out);

	if (st != EX_OK)
		return st;
	if (!c->ops->tail)
		stream_write(c->out, d);
	if (ferror(c->out)) {
		c->werrno = errno;
		return EX_IOERR;
	}
	return EX_OK;
}

/* A tail stage (ner-db, which loads a database, most of all) spends as
 * long on a document as reading and parsing it took: a second thread
 * reads the stream while the stage works on the document before, handing
 * each over in one slot.  The documents, and what the stage is given,
 * are those of one thread, in the same order. */
struct handoff {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct doc *slot;
	int full;		/* slot holds a document for the stage */
	int done;		/* the reader has ended, with read_status */
	int stop;		/* the stage failed with it: stop reading */
	int read_status;
	struct stream_reader *r;
};

/* The reader's stage_doc_fn: wait for the slot, put d in it. */
static int hand_over(struct doc *d, void *arg)
{
	struct handoff *h = arg;
	int st;

	pthread_mutex_lock(&h->mu);
	while (h->full && !h->stop)
		pthread_cond_wait(&h->cv, &h->mu);
	if (!(st = h->stop)) {
		doc_swap(h->slot, d);
		h->full = 1;
		pthread_cond_broadcast(&h->cv);
	}
	pthread_mutex_unlock(&h->mu);
	doc_clear(d);
	return st;
}

static void *read_all(void *arg)
{
	struct handoff *h = arg;
	struct doc *d = doc_new();
	int st = stage_read_reader(h->r, d, hand_over, h);

	doc_free(d);
	pthread_mutex_lock(&h->mu);
	h->done = 1;
	h->read_status = st;
	pthread_cond_broadcast(&h->cv);
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

/* stage_read_reader's work for filter_doc, with the reading in a thread
 * of its own; the same return.  Falls back to one thread if none can be
 * started. */
static int read_threaded(struct stream_reader *r, struct doc *d,
			 struct filter_ctx *c)
{
	struct handoff h = { .slot = doc_new(), .r = r };
	pthread_t t;
	int st = EX_OK;

	pthread_mutex_init(&h.mu, NULL);
	pthread_cond_init(&h.cv, NULL);
	if (pthread_create(&t, NULL, read_all, &h) != 0) {
		doc_free(h.slot);
		return stage_read_reader(r, d, filter_doc, c);
	}
	pthread_mutex_lock(&h.mu);
	for (;;) {
		while (!h.full && !h.done)
			pthread_cond_wait(&h.cv, &h.mu);
		if (!h.full)
			break;
		doc_swap(d, h.slot);
		h.full = 0;
		pthread_cond_broadcast(&h.cv);
		pthread_mutex_unlock(&h.mu);
		st = filter_doc(d, c);
		doc_clear(d);
		pthread_mutex_lock(&h.mu);
		if (st != EX_OK) {
			h.stop = st;
			pthread_cond_broadcast(&h.cv);
			break;
		}
	}
	pthread_mutex_unlock(&h.mu);
	pthread_join(t, NULL);
	doc_free(h.slot);
	pthread_mutex_destroy(&h.mu);
	pthread_cond_destroy(&h.cv);
	return st != EX_OK ? st : h.read_status;
}

static int filter_file(struct filter_ctx *c, const char *path, struct doc *d)
{
	if (c->ops->source)
		return c->ops->source(c->state, path, d, filter_doc, c);
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct err e;
	int st;

	if (!in) {
		diag_warn("%s:", path);
		return EX_NOINPUT;
	}
	struct stream_reader r;

	stream_reader_init(&r, in, in == stdin ? "<stdin>" : path);
	r.repair_utf8 = c->ops->repairs_utf8;
	st = c->ops->tail ? read_threaded(&r, d, c) :
			    stage_read_reader(&r, d, filter_doc, c);
	if (st < 0)
		e = r.err;
	stream_reader_free(&r);
	if (in != stdin)
		fclose(in);
	if (st < 0) {
		diag_warn("%s", e.msg);
		st = e.code;
	}
	return st;
}

int stage_main(const struct stage_ops *ops, int argc, char **argv)
{
	struct filter_ctx c = { ops, NULL, stdout, 0 };
	struct doc *d;
	int argind = 1, st;

	diag_init(argv[0]);
	diag_ignore_sigpipe();
	st = ops->init(argc, argv, &argind, &c.state);
	if (st == STAGE_DONE)
		return diag_close_output(stdout, "<stdout>");
	if (st != EX_OK)
		return st;
	d = doc_new();
	if (argind >= argc)
		st = filter_file(&c, "-", d);
	/* An unreadable file is reported and the others still run. */
	for (int i = argind; i < argc && (st == EX_OK || st == EX_NOINPUT); i++) {
		int fst = filter_file(&c, argv[i], d);

		if (fst != EX_OK && st == EX_OK)
			st = fst;
		else if (fst != EX_OK && fst != EX_NOINPUT)
			st = fst;
	}
	if (ops->finish) {
		int fst = ops->finish(c.state, stdout, st);

		if (fst != EX_OK && (st == EX_OK || st == EX_NOINPUT))
			st = fst;
	}
	doc_free(d);
	ops->free(c.state);
	if (st == EX_IOERR && c.werrno == EPIPE) {
		fclose(stdout);
		return EX_OK;	/* the reader left: stop quietly */
	}
	if (st == EX_IOERR && c.werrno) {
		errno = c.werrno;
		diag_warn("<stdout>: write error:");
		fclose(stdout);	/* said once: not again on closing */
		return st;
	}
	int cst = diag_close_output(stdout, "<stdout>");
	return st != EX_OK ? st : cst;
}

int stage_opt_status(int c)
{
	return c == OPT_DONE ? STAGE_DONE : EX_USAGE;
}

