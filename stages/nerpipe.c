/* nerpipe - run the stages listed in pipeline.conf over files or URLs.
 * See nerpipe(1). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "alloc.h"
#include "conf.h"
#include "diag.h"
#include "opt.h"
#include "path.h"
#include "stage.h"
#include "stream.h"

struct opts {
	const char *conf;
	const char *format;	/* --format for a ner-tsv tail, or NULL */
	int print, exec;
	long jobs;		/* worker threads; 0: one per online core */
	int jsonl;		/* inputs are JSON Lines */
};

/* One stage of the chain as it will run. */
struct step {
	char **argv;		/* from the conf, plus inputs for the head */
	int argc;
	const struct stage_ops *ops;	/* NULL: run only as a program */
	void *state;
};

struct chain {
	struct step *steps;
	size_t n;
	size_t docs;
	int werrno;
	int tail_from_cli;	/* nerpipe's own options went to the tail */
	size_t jobs;		/* worker threads for the filters */
	int jsonl;		/* the inputs are JSON Lines */
};

/* The stages nerpipe runs in one process; any other stage named in
 * pipeline.conf runs as a program of its own. */
static const struct stage_ops *const builtin[] = {
	&stage_norm, &stage_tok, &stage_gaz, &stage_rules, &stage_tsv, &stage_link,
	&stage_html, &stage_db,
};

static const struct stage_ops *stage_find(const char *name)
{
	for (size_t i = 0; i < sizeof(builtin) / sizeof(*builtin); i++)
		if (strcmp(builtin[i]->cli.name, name) == 0)
			return builtin[i];
	return NULL;
}

static const struct opt opts[] = {
	{ "conf", 'c', "FILE", "the pipeline (default: $NERPIPE_CONF, else the\n"
			       "pipeline.conf beside bin/, else the installed one)" },
	{ "format", 'f', "FMT", "the output format of the ner-tsv at the end:\n"
				"tsv (default), csv, jsonl or conll" },
	{ "jsonl", OPT_LONG, NULL, "inputs are JSON Lines, a document a line\n"
				   "(see ner-norm(1))" },
	{ "jobs", 'j', "N", "tag with N threads (default: one per online\n"
			    "core); the output is the same for any N" },
	{ "print", 'p', NULL, "print the equivalent shell pipeline and exit" },
	{ "exec", 'x', NULL, "run each stage as its own process, as the\n"
			     "shell pipeline would (the default runs them in\n"
			     "one process when all are built in)" },
	{ NULL, 0, NULL, NULL },
};

static const struct opt_prog cli = {
	.name = "nerpipe",
	.usage = "[options] [FILE.txt... | URL...]",
	.about = "Tag people, ranks, places and organisations in news articles and\n"
		 "write one TSV row per mention; the stages come from pipeline.conf.\n",
	.opts = opts,
	.footer = "With no FILE, read standard input.  See nerpipe(1).\n",
};

static void step_add_arg(struct step *s, const char *a)
{
	s->argv = xrealloc(s->argv, (size_t)(s->argc + 2) * sizeof(*s->argv));
	s->argv[s->argc++] = xstrdup(a);
	s->argv[s->argc] = NULL;
}

/* Does the step already have option opt (short -m or long --meta)? */
static int step_has_option(const struct step *s, const char *sopt,
			   const char *lopt)
{
	for (int a = 1; a < s->argc; a++)
		if (strncmp(s->argv[a], sopt, 2) == 0 ||
		    strncmp(s->argv[a], lopt, strlen(lopt)) == 0)
			return 1;
	return 0;
}

/* Options nerpipe gives the ner-tsv at the end of the chain: the format
 * asked for, and for URLs the url and date of each article, unless the
 * conf already chose the metadata columns. */
static void tail_options(struct chain *ch, const struct opts *o, int urls)
{
	struct step *last = &ch->steps[ch->n - 1];

	if (strcmp(last->argv[0], "ner-tsv") != 0) {
		if (o->format)
			diag_warn("--format: the chain ends in %s, not ner-tsv; "
				  "ignored", last->argv[0]);
		return;
	}
	if (o->format) {
		ch->tail_from_cli = 1;
		step_add_arg(last, "--format");
		step_add_arg(last, o->format);
	}
	if (urls && !step_has_option(last, "-m", "--meta")) {
		step_add_arg(last, "--meta");
		step_add_arg(last, "url,date");
	}
}

/* Turn the conf into steps; with URLs, ner-fetch goes first and takes
 * them, otherwise the head stage takes the files. */
static int build_chain(const struct conf *c, const struct opts *o,
		       char **inputs, int ninputs, struct chain *ch)
{
	int urls = 0;

	for (int i = 0; i < ninputs; i++)
		urls += path_is_url(inputs[i]);
	if (urls && urls != ninputs) {
		diag_warn("give either URLs or files, not both");
		return EX_USAGE;
	}
	ch->n = c->n + (urls ? 1 : 0);
	ch->steps = xcalloc(ch->n, sizeof(*ch->steps));
	size_t k = 0;
	if (urls)
		step_add_arg(&ch->steps[k++], "ner-fetch");
	for (size_t i = 0; i < c->n; i++, k++)
		for (int a = 0; a < c->stages[i].argc; a++)
			step_add_arg(&ch->steps[k], c->stages[i].argv[a]);
	if (o->jsonl) {
		if (urls || strcmp(ch->steps[0].argv[0], "ner-norm") != 0) {
			diag_warn("--jsonl: needs files or standard input, and "
				  "ner-norm at the head of the chain");
			return EX_USAGE;
		}
		step_add_arg(&ch->steps[0], "--jsonl");
		ch->jsonl = 1;
	}
	tail_options(ch, o, urls);
	for (int i = 0; i < ninputs; i++)
		step_add_arg(&ch->steps[0], inputs[i]);
	for (k = 0; k < ch->n; k++)
		ch->steps[k].ops = stage_find(ch->steps[k].argv[0]);
	return EX_OK;
}

static void chain_free(struct chain *ch)
{
	for (size_t k = 0; k < ch->n; k++) {
		if (ch->steps[k].state)
			ch->steps[k].ops->free(ch->steps[k].state);
		for (int a = 0; a < ch->steps[k].argc; a++)
			free(ch->steps[k].argv[a]);
		free(ch->steps[k].argv);
	}
	free(ch->steps);
}

static void print_word(const char *w)
{
	if (*w && strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789_./:=,@%+-") == strlen(w)) {
		fputs(w, stdout);
		return;
	}
	putchar('\'');
	for (; *w; w++) {
		if (*w == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*w);
	}
	putchar('\'');
}

static void print_chain(const struct chain *ch)
{
	for (size_t k = 0; k < ch->n; k++) {
		if (k)
			fputs(" | ", stdout);
		for (int a = 0; a < ch->steps[k].argc; a++) {
			if (a)
				putchar(' ');
			print_word(ch->steps[k].argv[a]);
		}
	}
	putchar('\n');
}

/* --- in one process ---------------------------------------------------- */

static int run_rest(struct doc *d, void *arg)
{
	struct chain *ch = arg;
	const struct step *last = &ch->steps[ch->n - 1];

	for (size_t k = 1; k < ch->n; k++) {
		int st = stage_run(ch->steps[k].ops, ch->steps[k].state, d, stdout);

		if (st != EX_OK)
			return st;
	}
	if (!last->ops->tail || ch->n == 1)
		stream_write(stdout, d);
	if (++ch->docs % 64 == 0)
		diag_progress("%zu documents", ch->docs);
	if (ferror(stdout)) {
		ch->werrno = errno;
		return EX_IOERR;
	}
	return EX_OK;
}

/* Each stage parses its own arguments, as its program would. */
static int init_steps(struct chain *ch, const struct conf *c, size_t *inputs_at)
{
	for (size_t k = 0; k < ch->n; k++) {
		struct step *s = &ch->steps[k];
		int argind = 1;
		int st = s->ops->init(s->argc, s->argv, &argind, &s->state);

		if (st != EX_OK) {
			s->state = NULL;
			if (st == EX_USAGE && k == ch->n - 1 && ch->tail_from_cli)
				return EX_USAGE;	/* the message named it */
			if (st == EX_USAGE || st == STAGE_DONE) {
				diag_warn("%s:%zu: bad arguments for %s", c->path,
					  c->stages[k].line, s->argv[0]);
				return EX_CONFIG;
			}
			return st;
		}
		if (k == 0)
			*inputs_at = (size_t)argind;
		else if (argind < s->argc) {
			diag_warn("%s:%zu: %s takes no input files inside a pipeline",
				  c->path, c->stages[k].line, s->argv[0]);
			return EX_CONFIG;
		}
	}
	return EX_OK;
}

/* Hand each input (standard input when none is named) to the head
 * stage, which makes documents and gives each to emit.  An unreadable
 * file is reported and the others still run; any other error stops. */
static int read_inputs(struct chain *ch, size_t at, struct doc *d,
		       stage_doc_fn *emit, void *arg)
{
	const struct step *head = &ch->steps[0];
	int st = EX_OK;

	if (at >= (size_t)head->argc)
		st = head->ops->source(head->state, "-", d, emit, arg);
	for (size_t i = at; i < (size_t)head->argc; i++) {
		int fst = head->ops->source(head->state, head->argv[i], d, emit,
					    arg);

		if (fst != EX_OK && (st == EX_OK || fst != EX_NOINPUT))
			st = fst;
		if (st != EX_OK && st != EX_NOINPUT)
			break;
	}
	return st;
}

static int run_threads(struct chain *ch, size_t at, size_t nworkers,
		       struct doc *d);

/* About how many documents the head makes of the files from argv[at]
 * on, counted up to limit (no more is needed, and a run over thousands
 * of files need not stat them all first): one a file, and one for each
 * further DOC_PART_SIZE_DEFAULT bytes of a longer file, which ner-norm
 * hands on in parts (ner-stream(5), "Parts"); 0 for standard input. */
static size_t count_docs(const struct chain *ch, size_t at, size_t limit)
{
	const struct step *head = &ch->steps[0];
	size_t n = 0;

	for (size_t i = at; i < (size_t)head->argc && n < limit; i++) {
		struct stat sb;

		n++;
		if (stat(head->argv[i], &sb) == 0 && sb.st_size > 0)
			n += (size_t)((uint64_t)(sb.st_size - 1) / DOC_PART_SIZE_DEFAULT);
	}
	return n;
}

static int run_in_process(struct chain *ch, const struct conf *c)
{
	size_t at = 0;
	int st = init_steps(ch, c, &at);
	struct doc *d;

	if (st != EX_OK)
		return st;
	if (!ch->steps[0].ops->source) {
		diag_warn("%s: the first stage, %s, does not read files", c->path,
			  ch->steps[0].argv[0]);
		return EX_CONFIG;
	}
	d = doc_new();
	/* No more workers than documents, when the inputs are plain files:
	 * an idle worker still costs its scratch. */
	size_t jobs = ch->jobs, ndocs = count_docs(ch, at, jobs);

	if (ndocs > 0 && !ch->jsonl && ndocs < jobs)
		jobs = ndocs;
	if (jobs > 1 && ch->n > 2)
		st = run_threads(ch, at, jobs, d);
	else
		st = read_inputs(ch, at, d, run_rest, ch);
	const struct step *last = &ch->steps[ch->n - 1];
	if (last->ops->finish) {
		int fst = last->ops->finish(last->state, stdout, st);

		if (fst != EX_OK && (st == EX_OK || st == EX_NOINPUT))
			st = fst;
	}
	diag_progress_done();
	doc_free(d);
	if (st == EX_IOERR && ch->werrno == EPIPE)
		return EX_OK;
	return st;
}

/* --- in threads ------------------------------------------------------------
 *
 * The head stage reads documents in this (the main) thread and numbers
 * them; worker threads run the filters between head and tail, each with
 * its own stage states (the gazetteers are mapped read-only, so their
 * pages are shared).  The worker that finishes the next document to go
 * out runs the tail, or writes the stream, for it and for every finished
 * one after it, in input order; one worker at a time holds that role.
 * Documents live in a ring of slots: document number s in slot
 * s % nslots, so at most nslots are in memory at once, and the output is
 * the one a single thread gives.
 *
 * Waking a thread costs about as much as tagging a short article, so
 * the ring holds POOL_SLOTS_PER_WORKER documents a worker, but no more
 * than POOL_SLOTS_MAX (and no fewer than a worker's and two more), and
 * the head, once it waits for room, is woken only when half the ring is
 * free.  Long documents are held to one a worker and one more by
 * POOL_BYTES: their memory, not the wake-ups, is what counts then. */
#define POOL_SLOTS_PER_WORKER 8
#define POOL_SLOTS_MAX 32
#define POOL_BYTES (1u << 20)
/* A slot keeps the arrays of a document of at most this much text for
 * the next one, which the head reads into them; a longer one's memory
 * is given back. */
#define POOL_KEEP_BYTES (16u << 10)

enum slot_state { SLOT_FREE, SLOT_QUEUED, SLOT_RUNNING, SLOT_DONE };

struct slot {
	struct doc *d;
	enum slot_state state;
	int status;		/* what the filters returned */
	size_t bytes;		/* the text the head read (doc_store_bytes) */
};

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t space;	/* the head: there is room in the ring */
	pthread_cond_t work;	/* the workers: a document came in, or the end */
	struct slot *slots;
	size_t nslots;
	size_t next_in, next_run, next_out;	/* document numbers */
	size_t bytes_in;	/* text of the documents in the ring */
	int head_waits;		/* the head waits on space */
	int writing;		/* a worker holds the writer's role */
	int eof;		/* the head has read everything */
	int status;		/* the first error in document order, or 0 */
	struct chain *ch;
	void ***states;		/* states[w][k]: worker w, step k */
	size_t nworkers;
	size_t bytes;		/* text written so far, for the progress line */
};

/* The slot of document number n. */
static struct slot *slot_of(struct pool *p, size_t n)
{
	return &p->slots[n % p->nslots];
}

/* May the head put in one more document, with n in the ring and their
 * text bytes (and, when low is set, with room for half a ring more)? */
static int has_room(const struct pool *p, int low)
{
	size_t n = p->next_in - p->next_out;
	size_t slots = low ? p->nslots / 2 : p->nslots - 1;
	size_t bytes = low ? POOL_BYTES / 2 : POOL_BYTES;

	return n <= slots && (n <= p->nworkers || p->bytes_in < bytes);
}

/* The head's emit: hand the document to the workers, waiting for room.
 * Returns the first error once a worker has met one. */
static int enqueue(struct doc *d, void *arg)
{
	struct pool *p = arg;
	struct slot *s;

	pthread_mutex_lock(&p->mu);
	while (!has_room(p, 0) && !p->status) {
		p->head_waits = 1;
		pthread_cond_wait(&p->space, &p->mu);
		p->head_waits = 0;
	}
	if (p->status) {
		int st = p->status;

		pthread_mutex_unlock(&p->mu);
		return st;
	}
	s = slot_of(p, p->next_in);
	doc_swap(s->d, d);
	s->state = SLOT_QUEUED;
	s->bytes = doc_store_bytes(s->d);
	p->bytes_in += s->bytes;
	p->next_in++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
	doc_clear(d);
	return EX_OK;
}

/* Write the finished document of slot s: the tail, or the stream. */
static int write_doc(struct pool *p, struct slot *s)
{
	struct doc *d = s->d;
	struct chain *ch = p->ch;
	const struct step *last = &ch->steps[ch->n - 1];
	int st = EX_OK;

	if (last->ops->tail)
		st = stage_run(last->ops, last->state, d, stdout);
	else
		stream_write(stdout, d);
	if (st == EX_OK && ferror(stdout)) {
		ch->werrno = errno;
		st = EX_IOERR;
	}
	ch->docs++;
	if (diag_progress_wanted()) {
		p->bytes += s->bytes;	/* the text, as the head read it */
		if (ch->docs % 64 == 0)
			diag_progress("%zu documents, %.1f MB", ch->docs,
				      (double)p->bytes / 1e6);
	}
	return st;
}

/* The writer's role, taken with p->mu held by a worker that finished a
 * document: write the finished documents from next_out on, in order,
 * until one is not finished; p->mu is let go while each is written.  A
 * worker that finishes a document meanwhile sees the role taken and goes
 * on; the holder looks again before it lets the role go, under p->mu, so
 * no finished document is left behind. */
static void write_ready(struct pool *p)
{
	p->writing = 1;
	while (!p->status && p->next_out < p->next_in &&
	       slot_of(p, p->next_out)->state == SLOT_DONE) {
		struct slot *s = slot_of(p, p->next_out);
		int st = s->status;

		pthread_mutex_unlock(&p->mu);
		if (st == EX_OK)
			st = write_doc(p, s);
		/* A free slot keeps only a short document's memory, for
		 * the next one: the documents in flight hold the rest. */
		if (s->bytes <= POOL_KEEP_BYTES)
			doc_clear(s->d);
		else
			doc_release(s->d);
		pthread_mutex_lock(&p->mu);
		s->state = SLOT_FREE;
		p->bytes_in -= s->bytes;
		p->next_out++;
		if (st != EX_OK) {
			p->status = st;
			pthread_cond_broadcast(&p->space);
			pthread_cond_broadcast(&p->work);
		} else if (p->head_waits && has_room(p, 1)) {
			pthread_cond_signal(&p->space);
		}
	}
	p->writing = 0;
}

struct worker {
	struct pool *p;
	size_t w;
};

static void *work(void *arg)
{
	struct worker *wk = arg;
	struct pool *p = wk->p;
	const struct chain *ch = p->ch;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->next_run == p->next_in && !p->eof && !p->status)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->status || p->next_run == p->next_in)
			break;
		struct slot *s = slot_of(p, p->next_run++);
		int st = EX_OK;

		s->state = SLOT_RUNNING;
		pthread_mutex_unlock(&p->mu);
		for (size_t k = 1; k + 1 < ch->n && st == EX_OK; k++)
			st = stage_run(ch->steps[k].ops, p->states[wk->w][k], s->d,
				       stdout);
		pthread_mutex_lock(&p->mu);
		s->status = st;
		s->state = SLOT_DONE;
		if (!p->writing)
			write_ready(p);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Each worker but the first gets its own states for the filters,
 * parsed from the same arguments; the first uses the chain's. */
static int pool_init(struct pool *p, struct chain *ch, size_t nworkers)
{
	memset(p, 0, sizeof(*p));
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->space, NULL);
	pthread_cond_init(&p->work, NULL);
	p->ch = ch;
	p->nworkers = nworkers;
	p->nslots = POOL_SLOTS_PER_WORKER * nworkers;
	if (p->nslots > POOL_SLOTS_MAX)
		p->nslots = POOL_SLOTS_MAX;
	if (p->nslots < nworkers + 2)
		p->nslots = nworkers + 2;
	p->slots = xcalloc(p->nslots, sizeof(*p->slots));
	for (size_t i = 0; i < p->nslots; i++)
		p->slots[i].d = doc_new();
	p->states = xcalloc(nworkers, sizeof(*p->states));
	for (size_t w = 0; w < nworkers; w++) {
		p->states[w] = xcalloc(ch->n, sizeof(**p->states));
		for (size_t k = 1; k + 1 < ch->n; k++) {
			struct step *s = &ch->steps[k];
			int argind = 1;

			if (w == 0) {
				p->states[w][k] = s->state;
			} else if (s->ops->clone) {
				p->states[w][k] = s->ops->clone(s->state);
			} else if (s->ops->init(s->argc, s->argv, &argind,
						&p->states[w][k]) != EX_OK) {
				p->states[w][k] = NULL;
				return EX_SOFTWARE;
			}
		}
	}
	return EX_OK;
}

static void pool_free(struct pool *p)
{
	for (size_t w = 1; w < p->nworkers; w++)
		for (size_t k = 1; k + 1 < p->ch->n; k++)
			if (p->states[w][k])
				p->ch->steps[k].ops->free(p->states[w][k]);
	for (size_t w = 0; w < p->nworkers; w++)
		free(p->states[w]);
	free(p->states);
	for (size_t i = 0; i < p->nslots; i++)
		doc_free(p->slots[i].d);
	free(p->slots);
	pthread_cond_destroy(&p->space);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->mu);
}

static int run_threads(struct chain *ch, size_t at, size_t nworkers,
		       struct doc *d)
{
	struct pool p;
	pthread_t *workers = xcalloc(nworkers, sizeof(*workers));
	struct worker *wk = xcalloc(nworkers, sizeof(*wk));
	int st = pool_init(&p, ch, nworkers);

	if (st != EX_OK) {
		pool_free(&p);
		free(workers);
		free(wk);
		return st;
	}
	for (size_t w = 0; w < nworkers; w++) {
		wk[w] = (struct worker){ &p, w };
		if (pthread_create(&workers[w], NULL, work, &wk[w]) != 0)
			diag_die(EX_OSERR, "cannot start a thread");
	}
	st = read_inputs(ch, at, d, enqueue, &p);
	pthread_mutex_lock(&p.mu);
	p.eof = 1;
	pthread_cond_broadcast(&p.work);
	pthread_mutex_unlock(&p.mu);
	for (size_t w = 0; w < nworkers; w++)
		pthread_join(workers[w], NULL);
	/* An error in a document stops the run there, as with one thread;
	 * it outranks a file that could not be read before it. */
	if (p.status)
		st = p.status;
	pool_free(&p);
	free(workers);
	free(wk);
	return st;
}

/* --- one process per stage ---------------------------------------------- */

/* Is name a program nerpipe can run: one beside it, or one on $PATH? */
static int program_exists(const char *name)
{
	const char *path = getenv("PATH");

	if (strchr(name, '/'))
		return access(name, X_OK) == 0;
	char *beside = path_beside_exe(name);
	int ok = beside && access(beside, X_OK) == 0;

	free(beside);
	if (ok)
		return 1;
	for (const char *p = path ? path : ""; *p;) {
		size_t len = strcspn(p, ":");
		char full[PATH_MAX];

		if (len && (size_t)snprintf(full, sizeof(full), "%.*s/%s", (int)len, p,
					    name) < sizeof(full) &&
		    access(full, X_OK) == 0)
			return 1;
		p += len + (p[len] == ':');
	}
	return 0;
}

static int check_stages(const struct conf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const char *name = c->stages[i].argv[0];

		if (!stage_find(name) && !program_exists(name)) {
			diag_warn("%s:%zu: unknown stage '%s' (not built in, "
				  "not found beside nerpipe or on $PATH)", c->path,
				  c->stages[i].line, name);
			return EX_CONFIG;
		}
	}
	return EX_OK;
}

/* The programs beside nerpipe come first, then $PATH. */
static void exec_stage(char **argv)
{
	char *beside = strchr(argv[0], '/') ? NULL : path_beside_exe(argv[0]);

	if (beside && access(beside, X_OK) == 0)
		execv(beside, argv);
	free(beside);
	execvp(argv[0], argv);
	diag_warn("%s: cannot run:", argv[0]);
	_exit(EX_UNAVAILABLE);
}

static int run_exec(struct chain *ch)
{
	pid_t *pids = xcalloc(ch->n, sizeof(*pids));
	int in = -1, st = EX_OK;

	fflush(stdout);
	for (size_t k = 0; k < ch->n; k++) {
		int fds[2] = { -1, -1 };

		if (k + 1 < ch->n && pipe(fds) < 0)
			diag_die(EX_OSERR, "pipe:");
		pids[k] = fork();
		if (pids[k] < 0)
			diag_die(EX_OSERR, "fork:");
		if (pids[k] == 0) {
			if (in >= 0) {
				dup2(in, STDIN_FILENO);
				close(in);
			}
			if (fds[1] >= 0) {
				dup2(fds[1], STDOUT_FILENO);
				close(fds[1]);
				close(fds[0]);
			}
			exec_stage(ch->steps[k].argv);
		}
		if (in >= 0)
			close(in);
		if (fds[1] >= 0)
			close(fds[1]);
		in = fds[0];
	}
	/* Like "set -o pipefail": the last stage that failed decides. */
	for (size_t k = 0; k < ch->n; k++) {
		int ws;

		while (waitpid(pids[k], &ws, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(ws) && WEXITSTATUS(ws) != 0)
			st = WEXITSTATUS(ws);
		else if (WIFSIGNALED(ws))
			st = EX_SOFTWARE;
	}
	free(pids);
	return st;
}

static int all_built_in(const struct chain *ch)
{
	for (size_t k = 0; k < ch->n; k++)
		if (!ch->steps[k].ops)
			return 0;
	return 1;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	opt_start();
	while ((c = opt_next(&cli, argc, argv)) != -1) {
		switch (c) {
		case 'c': o->conf = optarg; break;
		case 'f': o->format = optarg; break;
		case 'j':
			o->jobs = opt_parse_count(optarg);
			if (o->jobs < 1 || o->jobs > 1024) {
				diag_warn("--jobs: want a number from 1 to 1024, not '%s'",
					  optarg);
				return EX_USAGE;
			}
			break;
		case OPT_LONG: o->jsonl = 1; break;
		case 'p': o->print = 1; break;
		case 'x': o->exec = 1; break;
		case OPT_DONE: return STAGE_DONE;
		default: return EX_USAGE;
		}
	}
	return EX_OK;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct conf c;
	struct chain ch = { 0 };
	struct err e;
	char *conf_path;
	int st;

	diag_init(argv[0]);
	diag_ignore_sigpipe();
	st = parse_opts(argc, argv, &o);
	if (st == STAGE_DONE)
		return diag_close_output(stdout, "<stdout>");
	if (st != EX_OK)
		return st;
	conf_path = o.conf ? xstrdup(o.conf) : path_conf();
	st = conf_load(conf_path, &c, &e);
	free(conf_path);
	if (st < 0) {
		diag_warn("%s", e.msg);
		conf_free(&c);
		return e.code;
	}
	st = check_stages(&c);
	if (st == EX_OK)
		st = build_chain(&c, &o, argv + optind, argc - optind, &ch);
	if (st == EX_OK && o.print)
		print_chain(&ch);
	else if (st == EX_OK && (o.exec || !all_built_in(&ch)))
		st = run_exec(&ch);
	else if (st == EX_OK) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);

		ch.jobs = (size_t)(o.jobs ? o.jobs : cores > 0 ? cores : 1);
		st = run_in_process(&ch, &c);
	}
	chain_free(&ch);
	conf_free(&c);
	/* A reader that left ends the run quietly (run_in_process), and
	 * closing says nothing either.  Any other write error is said with
	 * the errno of the write that met it, which may have been a worker
	 * thread's, not main's. */
	if (ch.werrno == EPIPE) {
		fclose(stdout);
		return st;
	}
	if (st == EX_IOERR && ch.werrno) {
		errno = ch.werrno;
		diag_warn("<stdout>: write error:");
		fclose(stdout);	/* said once: not again on closing */
		return st;
	}
	int cst = diag_close_output(stdout, "<stdout>");
	return st != EX_OK ? st : cst;
}
