/* stage_db.c - ner-db: load tagged documents into an SQLite database, with
 * views for questions across articles.  See ner-db(1).
 *
 * Each document replaces any earlier one of the same id, its mentions
 * with it.  Documents are loaded in batches, one transaction each; at the
 * end of a batch the entities whose mentions changed get their names
 * chosen again, so every committed state is consistent.
 *
 * Speed: a load writes a million mention rows for 50 MB of news, so the
 * per-row work is kept to the row and its indexes.  Foreign keys are not
 * enforced while loading (ner-db deletes a replaced document's mentions
 * itself, and every mention it inserts belongs to the document it has
 * just inserted), and the names of a document's entities are counted
 * here rather than by reading its mentions back. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <sqlite3.h>

#include "alloc.h"
#include "buf.h"
#include "diag.h"
#include "mention.h"
#include "opt.h"
#include "stage.h"
#include "stream.h"
#include "strmap.h"

/* PRAGMA application_id of a nerpipe database: "nerp". */
#define DB_APP_ID 0x6e657270
/* PRAGMA user_version of the schema below; a database with a higher one
 * is refused. */
#define DB_SCHEMA_VERSION 2
#define DB_BATCH_DEFAULT 1000
/* A batch also ends once its documents hold this many bytes of text:
 * the pages of a large batch, spilled to the write-ahead log, are copied
 * into the database when it commits, and the last batch commits after
 * the tagging has ended, with one core left idle.  50 MB in 64
 * documents loaded in 9.6-10.9 s with batches of 4 documents against
 * 11.5-12.9 s in one batch (3 runs each, alternating, machine busy). */
#define DB_BATCH_BYTES (4u << 20)

/* The schema, the one place it is written down; ner-db(1) shows it as
 * "sqlite3 DB .schema" prints it (a test compares the two). */
static const char db_schema[] =
"CREATE TABLE IF NOT EXISTS documents (\n"
"  id TEXT PRIMARY KEY,\n"
"  url TEXT,\n"
"  title TEXT,\n"
"  date TEXT,\n"
"  site TEXT,\n"
"  file TEXT,\n"
"  text TEXT NOT NULL\n"
") STRICT;\n"
"CREATE TABLE IF NOT EXISTS mentions (\n"
"  doc TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,\n"
"  start INTEGER NOT NULL,\n"
"  end INTEGER NOT NULL,\n"
"  sent INTEGER NOT NULL,\n"
"  type TEXT NOT NULL,\n"
"  text TEXT NOT NULL,\n"
"  canonical TEXT,\n"
"  source TEXT NOT NULL,\n"
"  rank TEXT,\n"
"  nato TEXT,\n"
"  entity TEXT NOT NULL,\n"
"  PRIMARY KEY (doc, start)\n"
") STRICT, WITHOUT ROWID;\n"
"CREATE TABLE IF NOT EXISTS entity_names (\n"
"  entity TEXT NOT NULL,\n"
"  name TEXT NOT NULL,\n"
"  type TEXT NOT NULL,\n"
"  mentions INTEGER NOT NULL,\n"
"  PRIMARY KEY (entity, name)\n"
") STRICT, WITHOUT ROWID;\n"
"CREATE TABLE IF NOT EXISTS entities (\n"
"  entity TEXT PRIMARY KEY,\n"
"  type TEXT NOT NULL,\n"
"  name TEXT NOT NULL\n"
") STRICT;\n";

/* The views, each as sqlite_master keeps its CREATE statement.  A
 * database whose view differs (made by an older ner-db) gets it again. */
static const char *const db_views[][2] = {
	{ "entity_counts",
"CREATE VIEW entity_counts AS\n"
"  SELECT e.entity, e.type, e.name, count(*) AS mentions,\n"
"         count(DISTINCT m.doc) AS documents\n"
"  FROM entities e JOIN mentions m ON m.entity = e.entity\n"
"  GROUP BY e.entity" },
	/* One row per pair of entities in a document (1 for each sentence
	 * they share, 0 for the document), then summed by document and by
	 * pair: sorting, not a look-up per pair, so a pair found in
	 * thousands of documents costs no more than their rows.  The
	 * grouping by (a, b, doc) hands the documents to group_concat in
	 * id order. */
	{ "cooccurrence",
"CREATE VIEW cooccurrence AS\n"
"  WITH ds AS (SELECT DISTINCT doc, sent, entity FROM mentions),\n"
"  de AS (SELECT DISTINCT doc, entity FROM mentions),\n"
"  pair_any AS (\n"
"    SELECT x.entity AS a, y.entity AS b, x.doc AS doc, 1 AS sents\n"
"    FROM ds x JOIN ds y\n"
"      ON y.doc = x.doc AND y.sent = x.sent AND y.entity > x.entity\n"
"    UNION ALL\n"
"    SELECT x.entity, y.entity, x.doc, 0\n"
"    FROM de x JOIN de y ON y.doc = x.doc AND y.entity > x.entity),\n"
"  pair_doc AS (\n"
"    SELECT a, b, doc, sum(sents) AS sents FROM pair_any\n"
"    GROUP BY a, b, doc),\n"
"  pair AS (\n"
"    SELECT a, b, sum(sents) AS same_sentence, count(*) AS same_document,\n"
"           group_concat(doc, ' ') AS documents\n"
"    FROM pair_doc GROUP BY a, b)\n"
"  SELECT p.a, ea.name AS a_name, p.b, eb.name AS b_name,\n"
"         p.same_sentence, p.same_document, p.documents\n"
"  FROM pair p JOIN entities ea ON ea.entity = p.a\n"
"       JOIN entities eb ON eb.entity = p.b" },
	{ "rank_history",
"CREATE VIEW rank_history AS\n"
"  SELECT m.entity, e.name, m.rank, m.nato,\n"
"         min(substr(d.date, 1, 10)) AS first_date,\n"
"         max(substr(d.date, 1, 10)) AS last_date,\n"
"         count(DISTINCT m.doc) AS documents\n"
"  FROM mentions m JOIN documents d ON d.id = m.doc\n"
"       JOIN entities e ON e.entity = m.entity\n"
"  WHERE m.type = 'PER' AND m.rank IS NOT NULL\n"
"  GROUP BY m.entity, m.rank, m.nato" },
};

/* The index of mentions by entity.  (By document, the table itself is
 * the index: its rows are kept in (doc, start) order, and a document's
 * rows, which come together, go in one place.)  A load into a database
 * without mentions builds it once at its end (a sort), not row by row;
 * nothing in a load reads it. */
static const char db_indexes[] =
"CREATE INDEX IF NOT EXISTS mentions_entity ON mentions (entity);\n";

/* Pages of cache for that sort: SQLite's sorter keeps up to the cache's
 * size in memory and sorts it as one list; in pieces of a few MB, which
 * it then merges, the 1.2 million mentions of 50 MB of news sorted in
 * about half the time (0.8-1.2 s against 1.3-2.1 s, 3 runs each). */
#define DB_SORT_CACHE "-4000"
#define DB_LOAD_CACHE "-65536"	/* KiB, while loading */

/* The statements a load runs again and again, prepared once. */
enum db_stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_HAS_DOC,
	ST_TOUCH,		/* note the entities of a document's mentions */
	ST_UNCOUNT_NAMES,	/* take a document's mentions off entity_names */
	ST_DELETE_MENTIONS,
	ST_DELETE_DOC,
	ST_INSERT_DOC,
	ST_INSERT_MENTION,
	ST_INSERT_MENTIONS,	/* DB_ROWS of them: db_open writes it */
	ST_COUNT_NAME,		/* add n mentions of one name to entity_names */
	ST_TOUCH_ENTITY,	/* note one entity of a new document */
	ST_DROP_NAMES,		/* names of touched entities no longer used */
	ST_DROP_ENTITIES,	/* forget the touched entities... */
	ST_NAME_ENTITIES,	/* ...and name again those still mentioned */
	ST_UNTOUCH,
	ST_SET_TEXT,		/* a long document's whole text, at its end */
	ST_SAVEPOINT,		/* a long document is loaded in parts... */
	ST_RELEASE,		/* ...kept whole... */
	ST_ROLLBACK_TO,		/* ...or left out whole */
	ST_COUNT
};

static const char *const db_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_HAS_DOC] = "SELECT 1 FROM documents WHERE id = ?1",
	[ST_TOUCH] = "INSERT OR IGNORE INTO temp.touched "
		     "SELECT entity FROM mentions WHERE doc = ?1",
	[ST_UNCOUNT_NAMES] =
		"UPDATE entity_names AS e SET mentions = e.mentions - x.n "
		"FROM (SELECT entity, coalesce(canonical, text) AS name, "
		"      count(*) AS n FROM mentions WHERE doc = ?1 "
		"      GROUP BY entity, name) AS x "
		"WHERE e.entity = x.entity AND e.name = x.name",
	[ST_DELETE_MENTIONS] = "DELETE FROM mentions WHERE doc = ?1",
	[ST_DELETE_DOC] = "DELETE FROM documents WHERE id = ?1",
	[ST_INSERT_DOC] = "INSERT INTO documents "
			  "(id, url, title, date, site, file, text) "
			  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[ST_INSERT_MENTION] = "INSERT INTO mentions (doc, start, end, sent, "
			      "type, text, canonical, source, rank, nato, entity) "
			      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[ST_COUNT_NAME] =
		"INSERT INTO entity_names (entity, name, type, mentions) "
		"VALUES (?1, ?2, ?3, ?4) ON CONFLICT (entity, name) "
		"DO UPDATE SET mentions = mentions + excluded.mentions",
	[ST_TOUCH_ENTITY] = "INSERT OR IGNORE INTO temp.touched VALUES (?1)",
	[ST_DROP_NAMES] = "DELETE FROM entity_names WHERE mentions <= 0 "
			  "AND entity IN (SELECT entity FROM temp.touched)",
	[ST_DROP_ENTITIES] = "DELETE FROM entities "
			     "WHERE entity IN (SELECT entity FROM temp.touched)",
	/* The name of an entity is its most frequent canonical name (the
	 * text as written when a mention has none), the smallest in byte
	 * order among equals. */
	[ST_NAME_ENTITIES] =
		"INSERT INTO entities (entity, type, name) "
		"SELECT entity, type, name FROM ("
		"  SELECT entity, type, name, row_number() OVER ("
		"    PARTITION BY entity ORDER BY mentions DESC, name) AS k"
		"  FROM entity_names"
		"  WHERE entity IN (SELECT entity FROM temp.touched)) "
		"WHERE k = 1",
	[ST_UNTOUCH] = "DELETE FROM temp.touched",
	[ST_SET_TEXT] = "UPDATE documents SET text = ?2 WHERE id = ?1",
	[ST_SAVEPOINT] = "SAVEPOINT part",
	[ST_RELEASE] = "RELEASE part",
	[ST_ROLLBACK_TO] = "ROLLBACK TO part",
};

/* Mention rows go in DB_ROWS at a time, with one INSERT of DB_ROWS
 * rows of DB_ROW_COLS values (704 parameters: SQLite allows 32766);
 * up to DB_ROWS_MAX wait. */
#define DB_ROWS 64
#define DB_ROW_COLS 11
#define DB_ROWS_MAX 1024

/* A mention row waiting to be inserted: its strings are d's (type,
 * canonical, source), in db->rowbuf (offsets, as it grows) or the count
 * of its name (index in db->counts). */
struct row {
	uint64_t start, end, sent;
	const char *type, *canon, *source;
	size_t text, textlen, rank, ranklen, nato, natolen;
	size_t name;
};

struct db {
	const char *path;
	sqlite3 *conn;
	sqlite3_stmt *st[ST_COUNT];
	long batch;		/* documents per transaction */
	long pending;		/* documents in the open transaction */
	size_t pending_bytes;	/* and the bytes of their text */
	int in_txn;
	int deferred;		/* the indexes are to be built */
	int failed;		/* a statement failed: roll back, never commit */
	size_t docs, mentions;	/* loaded by this run */
	struct buf text;
	/* The names of the document being loaded: "TYPE\tNAME" (a type
	 * holds no TAB) -> index in counts. */
	struct strmap names;
	struct name_count *counts;
	size_t ncounts, capcounts;
	struct buf key;
	/* The long document being loaded in parts (ner-stream(5),
	 * "Parts"), under a savepoint; dropping once a part of it had an
	 * error, as a whole document with one is left out. */
	struct row *rows;	/* DB_ROWS_MAX */
	size_t nrows;
	struct buf rowbuf;
	struct mention_join join;
	struct buf jtext;	/* its text so far */
	int dropping;
	size_t docs_before, mentions_before;
};

struct name_count {
	char *key;		/* owned; the strmap key, cut at the TAB */
	const char *name;	/* into key, after the type */
	char id[ENTITY_ID_MAX];	/* entity_id(type, name) */
	size_t n;		/* mentions */
};

/* Say what sqlite said about the database, and give the exit status for
 * it: EX_TEMPFAIL when another process holds the lock, else status. */
static int db_error(struct db *db, const char *what, int status)
{
	int code = sqlite3_extended_errcode(db->conn) & 0xff;

	diag_warn("%s: %s: %s", db->path, what, sqlite3_errmsg(db->conn));
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return EX_TEMPFAIL;
	return status;
}

/* Run a prepared statement to its end and reset it.  Returns 0, or -1
 * (the error is still in db->conn).  Bindings are kept: each use binds
 * every parameter again. */
static int db_step(struct db *db, enum db_stmt k)
{
	sqlite3_stmt *s = db->st[k];
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		;
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Is there a document d->id in the database?  1 or 0, -1 on error. */
static int db_has_doc(struct db *db, const struct doc *d)
{
	sqlite3_stmt *s = db->st[ST_HAS_DOC];
	int rc;

	sqlite3_bind_text(s, 1, d->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Bind s[0..n) as text, or NULL when s is NULL or empty. */
static void bind_text(sqlite3_stmt *st, int i, const char *s, size_t n)
{
	if (s && n)
		sqlite3_bind_text(st, i, s, (int)n, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void bind_str(sqlite3_stmt *st, int i, const char *s)
{
	bind_text(st, i, s, s ? strlen(s) : 0);
}

/* Build the indexes of mentions if they were deferred.  Returns 0, or -1
 * with the error in db->conn. */
static int db_build_indexes(struct db *db)
{
	if (!db->deferred)
		return 0;
	if (sqlite3_exec(db->conn, "PRAGMA cache_size = " DB_SORT_CACHE,
			 NULL, NULL, NULL) ||
	    sqlite3_exec(db->conn, db_indexes, NULL, NULL, NULL) ||
	    sqlite3_exec(db->conn, "PRAGMA cache_size = " DB_LOAD_CACHE,
			 NULL, NULL, NULL))
		return -1;
	db->deferred = 0;
	return 0;
}

/* Create the indexes of mentions now, or defer them (dropping any) when
 * there are no mentions yet.  Returns 0, or -1 with the error in
 * db->conn. */
static int db_plan_indexes(struct db *db)
{
	sqlite3_stmt *s;
	int rc, any;

	if (sqlite3_prepare_v2(db->conn, "SELECT EXISTS (SELECT 1 FROM mentions)",
			       -1, &s, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(s);
	any = rc == SQLITE_ROW && sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return -1;
	if (any)
		return sqlite3_exec(db->conn, db_indexes, NULL, NULL, NULL) ? -1 : 0;
	db->deferred = 1;
	return sqlite3_exec(db->conn, "DROP INDEX IF EXISTS mentions_entity",
			    NULL, NULL, NULL) ? -1 : 0;
}

/* Create each view that is missing, and make again each one whose
 * statement is not ours.  Returns 0, or -1 with the error in db->conn. */
static int db_views_setup(struct db *db)
{
	sqlite3_stmt *s;
	int ret = 0;

	if (sqlite3_prepare_v2(db->conn, "SELECT sql FROM sqlite_master "
			       "WHERE type = 'view' AND name = ?1", -1, &s,
			       NULL) != SQLITE_OK)
		return -1;
	for (size_t k = 0; ret == 0 && k < sizeof db_views / sizeof db_views[0]; k++) {
		const char *name = db_views[k][0], *sql = db_views[k][1];
		const char *have = NULL;
		char drop[64];
		int rc;

		sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			have = (const char *)sqlite3_column_text(s, 0);
		else if (rc != SQLITE_DONE)
			ret = -1;
		if (ret == 0 && (!have || strcmp(have, sql) != 0)) {
			snprintf(drop, sizeof drop, "DROP VIEW IF EXISTS %s", name);
			sqlite3_reset(s);	/* before the schema changes */
			ret = sqlite3_exec(db->conn, drop, NULL, NULL, NULL) ||
			      sqlite3_exec(db->conn, sql, NULL, NULL, NULL) ? -1 : 0;
		}
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return ret;
}

/* Schema 1 kept mentions in a rowid table with an index by document;
 * schema 2 keeps them in (doc, start) order.  Before the schema is
 * created, a version 1 table is moved aside (its views, which name it,
 * are dropped and made again by db_views_setup); after, its rows are
 * copied into the new table and it is dropped with its indexes.  Both
 * run in db_setup's transaction.  Return 0, or -1 with the error in
 * db->conn. */
static int db_upgrade_before(struct db *db, int version)
{
	if (version != 1)
		return 0;
	return sqlite3_exec(db->conn, "DROP VIEW IF EXISTS entity_counts; "
			    "DROP VIEW IF EXISTS cooccurrence; "
			    "DROP VIEW IF EXISTS rank_history; "
			    "ALTER TABLE mentions RENAME TO mentions_v1",
			    NULL, NULL, NULL) ? -1 : 0;
}

static int db_upgrade_after(struct db *db, int version)
{
	if (version != 1)
		return 0;
	return sqlite3_exec(db->conn, "INSERT INTO mentions SELECT doc, start, "
			    "end, sent, type, text, canonical, source, rank, "
			    "nato, entity FROM mentions_v1; "
			    "DROP TABLE mentions_v1", NULL, NULL, NULL) ? -1 : 0;
}

/* Check the database is ours and of a version we know, and create what
 * is missing of the schema (upgrading one of an older version).  Returns
 * EX_OK or EX_CANTCREAT. */
static int db_setup(struct db *db)
{
	sqlite3_stmt *s;
	int app = 0, version = 0, objects = 0;
	char sql[128];

	if (sqlite3_prepare_v2(db->conn, "SELECT application_id, user_version, "
			       "(SELECT count(*) FROM sqlite_master) "
			       "FROM pragma_application_id, pragma_user_version",
			       -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW) {
		app = sqlite3_column_int(s, 0);
		version = sqlite3_column_int(s, 1);
		objects = sqlite3_column_int(s, 2);
	}
	sqlite3_finalize(s);
	if (app != 0 && app != DB_APP_ID) {
		diag_warn("%s: not a nerpipe database (application_id %d)",
			  db->path, app);
		return EX_CANTCREAT;
	}
	/* ner-db stamps its databases when it creates their schema: one
	 * with tables and no stamp is someone else's, left as it is. */
	if (app == 0 && objects > 0) {
		diag_warn("%s: not a nerpipe database (it has tables, and no "
			  "nerpipe application_id)", db->path);
		return EX_CANTCREAT;
	}
	if (version > DB_SCHEMA_VERSION) {
		diag_warn("%s: schema version %d, newer than this ner-db knows (%d)",
			  db->path, version, DB_SCHEMA_VERSION);
		return EX_CANTCREAT;
	}
	/* Only now that the file is known to be ours (or new) is anything
	 * written to it: WAL mode is kept in the file. */
	if (sqlite3_exec(db->conn, "PRAGMA foreign_keys = OFF; "
			 "PRAGMA page_size = 16384; PRAGMA cache_size = " DB_LOAD_CACHE "; "
			 "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
			 NULL, NULL, NULL) ||
	    sqlite3_exec(db->conn, "BEGIN IMMEDIATE", NULL, NULL, NULL))
		return db_error(db, "cannot open", EX_CANTCREAT);
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d; "
		 "PRAGMA user_version = %d", DB_APP_ID, DB_SCHEMA_VERSION);
	if (db_upgrade_before(db, objects > 0 ? version : 0) ||
	    sqlite3_exec(db->conn, db_schema, NULL, NULL, NULL) ||
	    db_upgrade_after(db, objects > 0 ? version : 0) ||
	    db_views_setup(db) ||
	    sqlite3_exec(db->conn, sql, NULL, NULL, NULL) ||
	    db_plan_indexes(db) ||
	    sqlite3_exec(db->conn, "COMMIT", NULL, NULL, NULL) ||
	    sqlite3_exec(db->conn, "CREATE TEMP TABLE touched "
			 "(entity TEXT PRIMARY KEY) WITHOUT ROWID", NULL, NULL, NULL))
		return db_error(db, "cannot create the schema", EX_CANTCREAT);
	return EX_OK;
}

/* Prepare statement k: db_sql's, or for ST_INSERT_MENTIONS the single
 * row's VALUES DB_ROWS times.  Returns 0, or -1 with the error in
 * db->conn. */
static int db_prepare(struct db *db, int k)
{
	struct buf sql = BUF_INIT;
	const char *text = db_sql[k];
	int rc;

	if (k == ST_INSERT_MENTIONS) {
		const char *one = db_sql[ST_INSERT_MENTION];
		const char *values = strstr(one, "VALUES ") + 7;

		buf_put(&sql, one, (size_t)(values - one));
		for (int r = 0; r < DB_ROWS; r++) {
			buf_puts(&sql, r ? ", (" : "(");
			for (int c = 0; c < DB_ROW_COLS; c++)
				buf_puts(&sql, c ? ", ?" : "?");
			buf_putc(&sql, ')');
		}
		text = sql.s;
	}
	rc = sqlite3_prepare_v3(db->conn, text, -1, SQLITE_PREPARE_PERSISTENT,
				&db->st[k], NULL);
	buf_free(&sql);
	return rc == SQLITE_OK ? 0 : -1;
}

/* Open the database at db->path (created if missing), set up the schema
 * and prepare the statements.  Returns EX_OK or an exit status after
 * saying why. */
static int db_open(struct db *db)
{
	int rc = sqlite3_open_v2(db->path, &db->conn, SQLITE_OPEN_READWRITE |
				 SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);

	if (rc != SQLITE_OK) {
		if (!db->conn)
			diag_oom();
		return db_error(db, "cannot open", EX_CANTCREAT);
	}
	sqlite3_busy_timeout(db->conn, 5000);
	if ((rc = db_setup(db)) != EX_OK)
		return rc;
	for (int k = 0; k < ST_COUNT; k++)
		if (db_prepare(db, k))
			return db_error(db, "cannot prepare", EX_SOFTWARE);
	return EX_OK;
}

/* Name the entities touched since the last batch again, and commit.
 * Returns 0, or -1 with the error in db->conn. */
static int db_commit(struct db *db)
{
	if (!db->in_txn)
		return 0;
	if (db_step(db, ST_DROP_NAMES) || db_step(db, ST_DROP_ENTITIES) ||
	    db_step(db, ST_NAME_ENTITIES) || db_step(db, ST_UNTOUCH) ||
	    db_step(db, ST_COMMIT))
		return -1;
	db->in_txn = 0;
	db->pending = 0;
	db->pending_bytes = 0;
	return 0;
}

/* Count a mention of type under name (its canonical name, or the text
 * as written) for the document being loaded, and return the index of
 * the count in db->counts, which holds its entity id (valid until
 * db_store_names).  The id is worked out once per name and document. */
static size_t count_name(struct db *db, const char *type, const char *name)
{
	struct name_count *c;
	size_t i;

	db->key.len = 0;
	buf_puts(&db->key, type);
	buf_putc(&db->key, '\t');
	buf_puts(&db->key, name);
	if (strmap_get(&db->names, db->key.s, &i)) {
		db->counts[i].n++;
		return i;
	}
	if (db->ncounts == db->capcounts) {
		db->capcounts = db->capcounts ? 2 * db->capcounts : 64;
		db->counts = xrealloc(db->counts,
				      db->capcounts * sizeof(*db->counts));
	}
	strmap_put(&db->names, db->key.s, db->ncounts);
	c = &db->counts[db->ncounts++];
	c->key = xstrdup(db->key.s);
	c->name = c->key + strlen(type);
	*(char *)c->name++ = '\0';
	entity_id(type, name, c->id);
	c->n = 1;
	return db->ncounts - 1;
}

/* Add the names counted for the document to entity_names, note its
 * entities as touched, and forget the counts.  Returns 0 or -1. */
static int db_store_names(struct db *db)
{
	sqlite3_stmt *name = db->st[ST_COUNT_NAME];
	sqlite3_stmt *touch = db->st[ST_TOUCH_ENTITY];
	int ret = 0;

	for (size_t i = 0; i < db->ncounts; i++) {
		const struct name_count *c = &db->counts[i];

		if (ret == 0) {
			sqlite3_bind_text(name, 1, c->id, -1, SQLITE_STATIC);
			sqlite3_bind_text(name, 2, c->name, -1, SQLITE_STATIC);
			sqlite3_bind_text(name, 3, c->key, -1, SQLITE_STATIC);
			sqlite3_bind_int64(name, 4, (sqlite3_int64)c->n);
			sqlite3_bind_text(touch, 1, c->id, -1, SQLITE_STATIC);
			ret = db_step(db, ST_COUNT_NAME) ||
			      db_step(db, ST_TOUCH_ENTITY) ? -1 : 0;
		}
		free(c->key);
	}
	db->ncounts = 0;
	strmap_clear(&db->names);
	return ret;
}

/* Insert d's mentions; the sentence numbers of a later part (next set)
 * go on from the parts before it. */
/* Bind the mention rows waiting in db->rows (of document d) to s from
 * its parameter 1 on, 11 a row. */
static void bind_rows(struct db *db, sqlite3_stmt *s, const struct doc *d,
		      size_t from, size_t n)
{
	const char *b = db->rowbuf.s;

	for (size_t k = 0; k < n; k++) {
		const struct row *r = &db->rows[from + k];
		int p = (int)(k * DB_ROW_COLS);

		sqlite3_bind_text(s, p + 1, d->id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, p + 2, (sqlite3_int64)r->start);
		sqlite3_bind_int64(s, p + 3, (sqlite3_int64)r->end);
		sqlite3_bind_int64(s, p + 4, (sqlite3_int64)r->sent);
		sqlite3_bind_text(s, p + 5, r->type, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, p + 6, b + r->text, (int)r->textlen,
				  SQLITE_STATIC);
		bind_str(s, p + 7, r->canon);
		sqlite3_bind_text(s, p + 8, r->source, -1, SQLITE_STATIC);
		bind_text(s, p + 9, b + r->rank, r->ranklen);
		bind_text(s, p + 10, b + r->nato, r->natolen);
		sqlite3_bind_text(s, p + 11, db->counts[r->name].id, -1,
				  SQLITE_STATIC);
	}
}

/* Insert the mention rows waiting in db->rows: DB_ROWS at a time with
 * one statement, the rest one by one.  Returns 0 or -1. */
static int db_flush_rows(struct db *db, const struct doc *d)
{
	size_t k = 0;
	int ret = 0;

	for (; ret == 0 && k + DB_ROWS <= db->nrows; k += DB_ROWS) {
		bind_rows(db, db->st[ST_INSERT_MENTIONS], d, k, DB_ROWS);
		ret = db_step(db, ST_INSERT_MENTIONS);
	}
	for (; ret == 0 && k < db->nrows; k++) {
		bind_rows(db, db->st[ST_INSERT_MENTION], d, k, 1);
		ret = db_step(db, ST_INSERT_MENTION);
	}
	if (ret == 0)
		db->mentions += db->nrows;
	db->nrows = 0;
	buf_reset(&db->rowbuf);
	return ret;
}

/* Put s[0..n) in db->rowbuf; returns its offset there. */
static size_t row_str(struct db *db, const char *s, size_t n)
{
	size_t at = db->rowbuf.len;

	buf_put(&db->rowbuf, s ? s : "", n);
	return at;
}

/* Insert d's mentions; the sentence numbers of a later part (next set)
 * go on from the parts before it.  The rows wait in db->rows until
 * DB_ROWS of them can go in with one statement (a statement a row cost
 * about a third more per row). */
static int db_insert_mentions(struct db *db, const struct doc *d, int next)
{
	struct mention m = MENTION_INIT;
	int ret = 0;

	if (next)
		mention_continue(&m, d, db->join.sent);
	while (ret == 0 && mention_next(d, &m)) {
		struct row *r;
		size_t ranklen, natolen;
		/* Rank and NATO code point into m.attrs: copied once, below. */
		const char *rank = mention_rank_get(&m, &ranklen);
		const char *nato = mention_attr_get(m.attrs, "nato", &natolen);

		mention_text(d, &m, &db->text);
		r = &db->rows[db->nrows++];
		r->name = count_name(db, m.type, *m.canon ? m.canon : db->text.s);
		r->start = m.start;
		r->end = m.end;
		r->sent = m.sent;
		r->type = m.type;
		r->canon = m.canon;
		r->source = m.source;
		r->textlen = db->text.len;
		r->text = row_str(db, db->text.s, db->text.len);
		r->ranklen = ranklen;
		r->rank = row_str(db, rank, ranklen);
		r->natolen = natolen;
		r->nato = row_str(db, nato, natolen);
		if (db->nrows == DB_ROWS_MAX)
			ret = db_flush_rows(db, d);
	}
	if (ret == 0)
		ret = db_flush_rows(db, d);
	db->join.sent = mention_last_sent(d, &m, db->join.sent);
	return ret;
}

/* Bind the document id to statement k and run it. */
static int db_step_doc(struct db *db, enum db_stmt k, const struct doc *d)
{
	sqlite3_bind_text(db->st[k], 1, d->id, -1, SQLITE_STATIC);
	return db_step(db, k);
}

/* Replace the document d->id in the open transaction: note the entities
 * it mentioned and take its names off their counts, delete it and its
 * mentions, insert it and its mentions, count their names and note their
 * entities. */
static int db_replace_doc(struct db *db, const struct doc *d, int kind)
{
	/* The first part of a long document: its text starts jtext, and the
	 * row gets the whole text at the end (db_join_end). */
	struct buf *text = kind == MJ_FIRST ? &db->jtext : &db->text;
	sqlite3_stmt *s = db->st[ST_INSERT_DOC];
	int old = db_has_doc(db, d);

	if (old < 0 || (old && (db_step_doc(db, ST_TOUCH, d) ||
				db_step_doc(db, ST_UNCOUNT_NAMES, d) ||
				db_step_doc(db, ST_DELETE_MENTIONS, d) ||
				db_step_doc(db, ST_DELETE_DOC, d))))
		return -1;
	doc_text(d, text);
	db->pending_bytes += text->len;
	sqlite3_bind_text(s, 1, d->id, -1, SQLITE_STATIC);
	bind_str(s, 2, doc_meta(d, "url"));
	bind_str(s, 3, doc_meta(d, "title"));
	bind_str(s, 4, doc_meta(d, "date"));
	bind_str(s, 5, doc_meta(d, "site"));
	bind_str(s, 6, doc_meta(d, "file"));
	if (kind == MJ_FIRST)
		sqlite3_bind_text(s, 7, "", 0, SQLITE_STATIC);
	else
		sqlite3_bind_text(s, 7, text->s ? text->s : "", (int)text->len,
				  SQLITE_STATIC);
	if (db_step(db, ST_INSERT_DOC) || db_insert_mentions(db, d, 0))
		return -1;
	return db_store_names(db);
}

/* A document is loaded: commit when the batch is full. */
static int db_loaded(struct db *db)
{
	return ++db->pending >= db->batch || db->pending_bytes >= DB_BATCH_BYTES ?
	       db_commit(db) : 0;
}

/* The end of the long document loaded in parts: keep it, unless a part
 * had an error.  Returns 0 or -1. */
static int db_join_end(struct db *db)
{
	sqlite3_stmt *s = db->st[ST_SET_TEXT];
	int dropping = db->dropping, ret = 0;

	db->dropping = 0;
	if (!dropping) {
		sqlite3_bind_text(s, 1, db->join.id, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, db->jtext.s ? db->jtext.s : "",
				  (int)db->jtext.len, SQLITE_STATIC);
		ret = db_step(db, ST_SET_TEXT) || db_step(db, ST_RELEASE) ||
		      db_loaded(db) ? -1 : 0;
	}
	mention_join_free(&db->join);
	buf_free(&db->jtext);	/* megabytes: not kept for the next */
	return ret;
}

/* Take the long document being loaded back out, as it was before its
 * first part (a good earlier load of it stays), and leave out the rest
 * of its parts.  Returns 0 or -1. */
static int db_drop_parts(struct db *db)
{
	db->dropping = 1;
	db->docs = db->docs_before;
	db->mentions = db->mentions_before;
	return db_step(db, ST_ROLLBACK_TO) || db_step(db, ST_RELEASE) ? -1 : 0;
}

/* A later part of a long document: its text goes after the document's
 * (in jtext, written once at the end: appending in SQL copied the text
 * so far at each part), its mentions with it.  A part with an error
 * takes the whole document back out. */
static int db_next_part(struct db *db, const struct doc *d)
{
	if (db->dropping)
		return 0;
	if (doc_meta(d, "error"))
		return db_drop_parts(db);
	doc_text(d, &db->text);
	db->pending_bytes += db->text.len;
	/* before db_insert_mentions reuses text */
	buf_put(&db->jtext, db->text.s ? db->text.s : "", db->text.len);
	if (db_insert_mentions(db, d, 1))
		return -1;
	return db_store_names(db);
}

static int db_run(void *state, struct doc *d, FILE *out)
{
	struct db *db = state;
	const char *why;
	int kind = mention_part_of(&db->join, d, &why);

	(void)out;
	if (kind < 0) {
		diag_warn("%s: %s", d->id, why);
		if (db->join.id && !db->dropping && db_drop_parts(db))
			goto fail;
		return EX_DATAERR;
	}
	if (kind != MJ_NEXT && db->join.id && db_join_end(db))
		goto fail;
	mention_join_take(&db->join, d, kind);
	if (kind == MJ_NEXT) {
		if (db_next_part(db, d))
			goto fail;
		return EX_OK;
	}
	/* A truncated document, or one that could not be fetched, would
	 * replace a good earlier load with less: leave it out. */
	if (doc_meta(d, "error")) {
		db->dropping = kind == MJ_FIRST;
		return EX_OK;
	}
	if (!db->in_txn) {
		if (db_step(db, ST_BEGIN))
			goto fail;
		db->in_txn = 1;
	}
	if (kind == MJ_FIRST) {
		db->docs_before = db->docs;
		db->mentions_before = db->mentions;
		if (db_step(db, ST_SAVEPOINT))
			goto fail;
	}
	if (db_replace_doc(db, d, kind))
		goto fail;
	db->docs++;
	if (kind == MJ_WHOLE && db_loaded(db))
		goto fail;
	return EX_OK;
fail:
	db->failed = 1;
	return db_error(db, d->id, EX_IOERR);
}

/* Commit the last batch, also when the input broke off (status is not
 * EX_OK): the documents read before are kept.  After a failed
 * statement nothing more is committed. */
static int db_finish(void *state, FILE *out, int status)
{
	struct db *db = state;

	(void)out;
	if (db->failed)
		return EX_IOERR;
	/* A long document whose later parts never came (the stream broke
	 * off, or turned malformed) is left out, as a truncated one is. */
	if (db->join.id && status != EX_OK && status != EX_NOINPUT &&
	    !db->dropping && db_drop_parts(db)) {
		db->failed = 1;
		return db_error(db, "cannot take back the last document", EX_IOERR);
	}
	if (db->join.id && db_join_end(db)) {
		db->failed = 1;
		return db_error(db, "cannot load the last document", EX_IOERR);
	}
	if (db_commit(db)) {
		db->failed = 1;
		return db_error(db, "cannot commit", EX_IOERR);
	}
	if (db_build_indexes(db)) {
		db->failed = 1;
		return db_error(db, "cannot build the indexes", EX_IOERR);
	}
	if ((status == EX_OK || status == EX_NOINPUT) && isatty(STDERR_FILENO))
		fprintf(stderr, "%s: %s: %zu documents, %zu mentions loaded\n",
			diag_prog, db->path, db->docs, db->mentions);
	return EX_OK;
}

/* A batch still open here (after a failed statement) is rolled back. */
static void db_free(void *state)
{
	struct db *db = state;

	if (!db)
		return;
	for (int k = 0; k < ST_COUNT; k++)
		sqlite3_finalize(db->st[k]);
	if (db->in_txn)
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db->conn);
	buf_free(&db->text);
	for (size_t i = 0; i < db->ncounts; i++)	/* a failed document's */
		free(db->counts[i].key);
	free(db->counts);
	strmap_free(&db->names);
	buf_free(&db->key);
	buf_free(&db->jtext);
	buf_free(&db->rowbuf);
	free(db->rows);
	mention_join_free(&db->join);
	free(db);
}

static int db_init(int argc, char **argv, int *argind, void **state)
{
	struct db *db = xcalloc(1, sizeof(*db));
	int c, st = EX_OK;

	db->batch = DB_BATCH_DEFAULT;
	db->rows = xcalloc(DB_ROWS_MAX, sizeof(*db->rows));
	opt_start();
	while (st == EX_OK && (c = opt_next(&stage_db.cli, argc, argv)) != -1) {
		switch (c) {
		case 'b':
			db->batch = opt_parse_count(optarg);
			if (db->batch < 1) {
				diag_warn("--batch: want a number of documents "
					  "from 1, not '%s'", optarg);
				st = EX_USAGE;
			}
			break;
		default:
			st = stage_opt_status(c);
		}
	}
	if (st == EX_OK && optind >= argc) {
		opt_bad(&stage_db.cli, "no database named");
		st = EX_USAGE;
	}
	if (st == EX_OK) {
		db->path = argv[optind];
		st = db_open(db);
	}
	if (st != EX_OK) {
		db_free(db);
		return st;
	}
	*argind = optind + 1;
	*state = db;
	return EX_OK;
}

static const struct opt db_opts[] = {
	{ "batch", 'b', "N", "at most N documents per transaction (default\n"
			     "1000; fewer when they hold 4 MiB of text)" },
	{ NULL, 0, NULL, NULL },
};

const struct stage_ops stage_db = {
	.cli = {
		.name = "ner-db",
		.usage = "[options] DB [STREAM...]",
		.about = "Load tagged documents and their mentions into the SQLite\n"
			 "database DB (created if missing), with views entity_counts,\n"
			 "cooccurrence and rank_history.\n",
		.opts = db_opts,
		.footer = "See ner-db(1).\n",
		.in_order = 1,
	},
	.init = db_init,
	.run = db_run,
	.finish = db_finish,
	.free = db_free,
	.tail = 1,
};
