# ner-db: the schema, what is loaded, re-loading, the views, the errors,
# and the examples and schema of ner-db(1).
. "$(dirname "$0")/../setup"

sql() { sqlite3 "$@"; }

# The samples, tagged once; the same chain as pipeline.conf.
sed '$s/^ner-tsv$/ner-db DB/' "$TOP/pipeline.conf" > "$TMP/db.conf"
ner-norm "$TOP"/tests/corpus/*.txt | ner-tok | ner-gaz | ner-rules | ner-link \
	> "$TMP/samples.stream"

run "db: the samples load, with nothing on stdout or stderr" \
	ner-db "$TMP/s.db" "$TMP/samples.stream"
expect_status 0
expect_out_empty
expect_err_empty
case_end

run "db: the schema has its tables, views and version" \
	sql "$TMP/s.db" "\"SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY 1, 2; PRAGMA user_version; PRAGMA application_id\""
expect_status 0
expect_out_text "table|documents
table|entities
table|entity_names
table|mentions
view|cooccurrence
view|entity_counts
view|rank_history
2
1852142192
"
case_end

rows=$(ner-tsv --no-header "$TMP/samples.stream" | wc -l)
run "db: one mention row for each ner-tsv row, one document each" \
	sql "$TMP/s.db" "'SELECT count(*) FROM mentions; SELECT count(*) FROM documents'"
expect_out_text "$rows
6
"
case_end

# The rows themselves, as ner-tsv writes them (NULL as empty, and the
# text with its escapes, which the samples do not need).
ner-tsv --no-header "$TMP/samples.stream" | sort > "$TMP/want.tsv"
run "db: the mention rows are ner-tsv's rows" \
	"sql -separator '	' $TMP/s.db 'SELECT doc, start, end, type, text, canonical, source, rank, nato, sent, entity FROM mentions' | sort"
expect_out "$TMP/want.tsv"
case_end

run "db: offsets and counts are integers" \
	sql "$TMP/s.db" "\"SELECT DISTINCT typeof(start) || typeof(end) || typeof(sent) FROM mentions; SELECT DISTINCT typeof(mentions) || typeof(documents) FROM entity_counts; SELECT DISTINCT typeof(same_sentence) || typeof(same_document) FROM cooccurrence\""
expect_out_text "integerintegerinteger
integerinteger
integerinteger
"
case_end

sql "$TMP/s.db" "SELECT * FROM documents ORDER BY id; SELECT * FROM mentions ORDER BY doc, start; SELECT * FROM entities ORDER BY entity; SELECT * FROM entity_names ORDER BY entity, name" > "$TMP/first"
run "db: loading the same input again changes nothing" \
	"ner-db --batch 2 $TMP/s.db $TMP/samples.stream && sql $TMP/s.db 'SELECT * FROM documents ORDER BY id; SELECT * FROM mentions ORDER BY doc, start; SELECT * FROM entities ORDER BY entity; SELECT * FROM entity_names ORDER BY entity, name'"
expect_status 0
expect_out "$TMP/first"
case_end

# A load into an empty database builds the index by entity at its end
# (the table is in document order); a document seen twice in that load
# replaces its first copy (nothing counted twice).
run "db: a first load leaves the mention index in place, used by entity" \
	sql "$TMP/s.db" "\"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'mentions' ORDER BY 1; EXPLAIN QUERY PLAN SELECT doc FROM mentions WHERE entity = 'x'; EXPLAIN QUERY PLAN SELECT start FROM mentions WHERE doc = 'x'\""
expect_out_has "mentions_entity"
expect_out_has "USING COVERING INDEX mentions_entity (entity=?)"
expect_out_has "USING PRIMARY KEY (doc=?)"
case_end

run "db: a document twice in a first load is loaded once" \
	"ner-db $TMP/twice.db $TMP/samples.stream $TMP/samples.stream && sql $TMP/twice.db 'SELECT * FROM documents ORDER BY id; SELECT * FROM mentions ORDER BY doc, start; SELECT * FROM entities ORDER BY entity; SELECT * FROM entity_names ORDER BY entity, name'"
expect_status 0
expect_out "$TMP/first"
case_end

# A first load cut short before its end has no indexes: the next load
# builds them.
run "db: a load into a database without its indexes builds them" \
	"cp $TMP/s.db $TMP/noidx.db && sql $TMP/noidx.db 'DROP INDEX mentions_entity' && ner-db $TMP/noidx.db /dev/null && sql $TMP/noidx.db \"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'mentions' ORDER BY 1\""
expect_status 0
expect_out_has "mentions_entity"
case_end

run "db: nerpipe ends a chain with ner-db" \
	"sed 's|^ner-db DB|ner-db $TMP/n.db|' $TMP/db.conf > $TMP/n.conf && nerpipe -c $TMP/n.conf $TOP/tests/corpus/*.txt && sql $TMP/n.db 'SELECT count(*) FROM mentions'"
expect_status 0
expect_out_text "$rows
"
case_end

# Dated articles: the same general with three ranks over three years.
printf '#doc\t%s\n#meta\tdate\t%s\n#text\t%s\n#end\t%s\n' \
	y2023 2023-03-15 'Lt Gen Asim Munir met Gen Mohammad Bagheri in Tehran on Tuesday.' y2023 \
	y2024 2024-11-02T08:00:00Z 'Gen Asim Munir visited Tehran. Munir met Iranian officials.' y2024 \
	y2025 2025-06-01 'Field Marshal Asim Munir spoke in Islamabad. Later, Gen Mohammad Bagheri called Munir.' y2025 \
	> "$TMP/dated.stream"
ner-norm < "$TMP/dated.stream" | ner-tok | ner-gaz | ner-rules | ner-link > "$TMP/dated.tagged"
ner-db "$TMP/d.db" "$TMP/dated.tagged"

run "db: rank_history gives each rank with its first and last date" \
	sql "$TMP/d.db" "'SELECT name, rank, nato, first_date, last_date, documents FROM rank_history ORDER BY name, first_date'"
expect_out_text "Asim Munir|Lieutenant General|OF-8|2023-03-15|2023-03-15|1
Asim Munir|General|OF-9|2024-11-02|2024-11-02|1
Asim Munir|Field Marshal|OF-10|2025-06-01|2025-06-01|1
Mohammad Bagheri|General|OF-9|2023-03-15|2025-06-01|2
"
case_end

run "db: cooccurrence counts sentences and documents of a pair" \
	sql "$TMP/d.db" "\"SELECT a_name, b_name, same_sentence, same_document, documents FROM cooccurrence WHERE a_name IN ('Asim Munir', 'Tehran') OR b_name IN ('Asim Munir', 'Tehran') ORDER BY 1, 2\""
expect_out_text "Asim Munir|Field Marshal|1|1|y2025
Asim Munir|General|3|3|y2023 y2024 y2025
Asim Munir|Lieutenant General|1|1|y2023
Islamabad|Asim Munir|1|1|y2025
Mohammad Bagheri|Asim Munir|2|2|y2023 y2025
Tehran|Asim Munir|2|2|y2023 y2024
Tehran|General|2|2|y2023 y2024
Tehran|Lieutenant General|1|1|y2023
Tehran|Mohammad Bagheri|1|1|y2023
"
case_end

run "db: a view made by an older ner-db is made again" \
	"cp $TMP/d.db $TMP/oldview.db && sql $TMP/oldview.db 'DROP VIEW cooccurrence; CREATE VIEW cooccurrence AS SELECT 1 AS old' && ner-db $TMP/oldview.db /dev/null && sql $TMP/oldview.db \"SELECT a_name, b_name, same_sentence, same_document, documents FROM cooccurrence WHERE a_name = 'Mohammad Bagheri' AND b_name = 'Asim Munir'\""
expect_status 0
expect_out_text "Mohammad Bagheri|Asim Munir|2|2|y2023 y2025
"
case_end

# A document loaded again under another rank: its old rows go, and the
# entity names and counts follow.
sed 's/Lt Gen Asim Munir/Gen Asim Munir/' "$TMP/dated.stream" | sed -n 1,4p |
	ner-norm | ner-tok | ner-gaz | ner-rules | ner-link > "$TMP/y2023.tagged"
run "db: a document loaded again replaces the old one" \
	"ner-db $TMP/d.db $TMP/y2023.tagged && sql $TMP/d.db \"SELECT name, rank, first_date, documents FROM rank_history WHERE name = 'Asim Munir' ORDER BY first_date; SELECT mentions FROM entity_counts WHERE name = 'Lieutenant General'; SELECT count(*) FROM documents\""
expect_status 0
expect_out_text "Asim Munir|General|2023-03-15|2
Asim Munir|Field Marshal|2025-06-01|1
3
"
case_end

# --- errors ------------------------------------------------------------------

run "db: no database named is EX_USAGE" ner-db
expect_status 64
expect_err_has "no database named"
expect_err_has "Try 'ner-db --help'."
case_end

run "db: a bad option is EX_USAGE" ner-db --bogus "$TMP/x.db"
expect_status 64
case_end

run "db: --batch 0 is EX_USAGE" ner-db --batch 0 "$TMP/x.db"
expect_status 64
expect_err_has "--batch"
case_end

run "db: a database that cannot be created is EX_CANTCREAT" \
	ner-db "$TMP/no/such/dir/x.db" "$TMP/samples.stream"
expect_status 73
expect_err_has "ner-db: $TMP/no/such/dir/x.db: cannot open"
case_end

printf 'not a database, but long enough to look like a header of one....\n' > "$TMP/junk.db"
run "db: a file that is not a database is EX_CANTCREAT" \
	ner-db "$TMP/junk.db" "$TMP/samples.stream"
expect_status 73
expect_err_has "$TMP/junk.db"
case_end

sql "$TMP/foreign.db" "CREATE TABLE documents (id INTEGER PRIMARY KEY, body TEXT)"
cp "$TMP/foreign.db" "$TMP/foreign.orig"
run "db: a database of someone else's tables is refused, and left as it was" \
	"ner-db $TMP/foreign.db $TMP/samples.stream; echo \$?; cmp $TMP/foreign.db $TMP/foreign.orig && echo unchanged"
expect_out_text "73
unchanged
"
expect_err_has "not a nerpipe database (it has tables, and no nerpipe application_id)"
case_end

sql "$TMP/other.db" "PRAGMA application_id = 42; CREATE TABLE t(x)"
run "db: another application's database is refused" ner-db "$TMP/other.db" /dev/null
expect_status 73
expect_err_has "not a nerpipe database"
case_end

cp "$TMP/d.db" "$TMP/new.db"
sql "$TMP/new.db" "PRAGMA user_version = 3"
run "db: a newer schema is refused" ner-db "$TMP/new.db" /dev/null
expect_status 73
expect_err_has "newer than this ner-db knows"
case_end

# Schema 1 had mentions with a row id and an index by document: such a
# database (made here with that schema) is upgraded when next loaded,
# its rows kept.
sql "$TMP/v1.db" "PRAGMA application_id = 1852142192; PRAGMA user_version = 1;
CREATE TABLE documents (id TEXT PRIMARY KEY, url TEXT, title TEXT, date TEXT,
  site TEXT, file TEXT, text TEXT NOT NULL) STRICT;
CREATE TABLE mentions (doc TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  start INTEGER NOT NULL, end INTEGER NOT NULL, sent INTEGER NOT NULL,
  type TEXT NOT NULL, text TEXT NOT NULL, canonical TEXT, source TEXT NOT NULL,
  rank TEXT, nato TEXT, entity TEXT NOT NULL) STRICT;
CREATE TABLE entity_names (entity TEXT NOT NULL, name TEXT NOT NULL,
  type TEXT NOT NULL, mentions INTEGER NOT NULL, PRIMARY KEY (entity, name))
  STRICT, WITHOUT ROWID;
CREATE TABLE entities (entity TEXT PRIMARY KEY, type TEXT NOT NULL,
  name TEXT NOT NULL) STRICT;
CREATE VIEW entity_counts AS SELECT entity, count(*) AS mentions FROM mentions GROUP BY entity;
CREATE INDEX mentions_doc ON mentions (doc, sent, entity);
CREATE INDEX mentions_entity ON mentions (entity);
INSERT INTO documents (id, text) VALUES ('old', 'Gen Asim Munir spoke.');
INSERT INTO mentions VALUES ('old', 0, 3, 1, 'RANK', 'Gen', NULL, 'gaz', 'General', 'OF-9', 'RANK-1');
INSERT INTO mentions VALUES ('old', 4, 14, 1, 'PER', 'Asim Munir', NULL, 'gaz', 'General', 'OF-9', 'PER-2');"
n=$(sql "$TMP/d.db" "SELECT count(*) FROM mentions")
run "db: a schema 1 database is upgraded, its mentions kept" \
	"ner-db $TMP/v1.db $TMP/dated.tagged && sql $TMP/v1.db \"PRAGMA user_version; SELECT name FROM sqlite_master WHERE tbl_name = 'mentions' AND type = 'index' ORDER BY 1; SELECT doc, start, text FROM mentions WHERE doc = 'old' ORDER BY start; SELECT count(*) FROM mentions WHERE doc <> 'old'; SELECT sql LIKE '%PRIMARY KEY (doc, start)%WITHOUT ROWID' FROM sqlite_master WHERE name = 'mentions'; SELECT count(*) FROM sqlite_master WHERE name = 'mentions_v1'\""
expect_status 0
expect_out_text "2
mentions_entity
old|0|Gen
old|4|Asim Munir
$n
1
0
"
case_end

# A stream cut inside its third document: the first two are committed.
head -n "$(grep -n '^#doc	y2025' "$TMP/dated.tagged" | cut -d: -f1)" "$TMP/dated.tagged" > "$TMP/cut1"
sed -n '/^#doc	y2025/,$p' "$TMP/dated.tagged" | head -5 | tail -n +2 >> "$TMP/cut1"
run "db: a truncated stream is EX_DATAERR, the documents before it kept" \
	"ner-db --batch 1000 $TMP/t.db $TMP/cut1; echo \$?; sql $TMP/t.db 'SELECT id FROM documents ORDER BY id; SELECT count(*) FROM entities'"
expect_out_text "65
y2023
y2024
5
"
expect_err_has "stream ends inside document 'y2025'"
case_end

run "db: a malformed stream is EX_DATAERR" "printf 'junk\n' | ner-db $TMP/m.db"
expect_status 65
case_end

run "db: --help" ner-db --help
expect_status 0
expect_out_has "usage: ner-db [options] DB [STREAM...]"
expect_out_has "--batch"
case_end

run "db: --version" ner-db --version
expect_status 0
expect_out_has "ner-db "
case_end

# --- the man page -------------------------------------------------------------

# The SCHEMA section is what sqlite3 prints.
sed -n '/^\.SH SCHEMA/,/^\.SH /p' "$TOP/stages/ner-db.1" |
	sed -n '/^\.EX/,/^\.EE/p' | sed -e '1d;$d' -e 's/\\-/-/g' -e 's/\\e/\\/g' \
	> "$TMP/man-schema"
run "db: ner-db(1) shows the schema as sqlite3 prints it" sql "$TMP/d.db" .schema
expect_out "$TMP/man-schema"
case_end

# The EXAMPLES, each run (tests/setup).
run_man_examples ner-db.1
[ "$MAN_EXAMPLES" -ge 9 ] || echo "FAIL ner-db.1: $MAN_EXAMPLES examples found, want 9 or more"
