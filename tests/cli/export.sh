# ner-tsv's formats (csv, jsonl, conll), its columns, and loading the
# output into pandas and sqlite3 exactly as the README shows; entity ids
# and canonical names that do not depend on the order of the input.
. "$(dirname "$0")/../setup"

# pandas comes from Debian's python3-pandas, for Debian's own python3.
PY=/usr/bin/python3

# A document full of what breaks loaders: a title that starts with a
# quote, a mention with a TAB in it, a quote, a backslash, the mention
# NA (which pandas reads as missing), and non-ASCII text.
printf 'Gen Tab\tName met the NA chief O"Hara and Back\\slash Corps in Z\303\274rich, said "Dawn".\nNA, NA and Back\\slash Corps again.\n' > "$TMP/q.txt"
printf '%s\t%s\t%s\t%s\n' 'Tab Name' PER '' '' NA ORG 'National Assembly' '' \
	'O"Hara' PER '' '' 'Back\slash Corps' ORG '' '' \
	"Z$(printf '\303\274')rich" LOC '' 'cc=CH;kind=city' \
	Gen RANK General 'full=General;nato=OF-9' > "$TMP/q.tsv"
ner-gazc -q -o "$TMP/q.gaz" "$TMP/q.tsv"
ner-norm "$TMP/q.txt" | ner-tok | ner-gaz -g "$TMP/q.gaz" |
	sed '1a #meta\ttitle\t"Quoted" title, with \\\\ a backslash' > "$TMP/q.stream"
ROWS=9

run_in "export: csv is RFC 4180, quoted only where needed" "$TMP/q.stream" \
	"ner-tsv --format csv --columns doc,start,end,type,text --meta title"
expect_status 0
expect_out_text "$(printf 'doc,start,end,type,text,title\r
q,0,3,RANK,Gen,"""Quoted"" title, with \\ a backslash"\r
q,4,12,PER,"Tab\tName","""Quoted"" title, with \\ a backslash"\r
q,21,23,ORG,NA,"""Quoted"" title, with \\ a backslash"\r
q,30,36,PER,"O""Hara","""Quoted"" title, with \\ a backslash"\r
q,41,57,ORG,Back\\slash Corps,"""Quoted"" title, with \\ a backslash"\r
q,61,67,LOC,Z\303\274rich,"""Quoted"" title, with \\ a backslash"\r
q,82,84,ORG,NA,"""Quoted"" title, with \\ a backslash"\r
q,86,88,ORG,NA,"""Quoted"" title, with \\ a backslash"\r
q,93,109,ORG,Back\\slash Corps,"""Quoted"" title, with \\ a backslash"\r
')
"
case_end

ner-tsv --format csv --meta title < "$TMP/q.stream" > "$TMP/mentions.csv"
ner-tsv --meta title < "$TMP/q.stream" > "$TMP/mentions.tsv"
ner-tsv --format jsonl --by doc < "$TMP/q.stream" > "$TMP/docs.jsonl"

# The README's code blocks, by language: python blocks that read a file
# of mentions, and sqlite blocks.
awk -v dir="$TMP" '
	/^```python/ { n++; f = dir "/readme" n ".py"; inb = 1; next }
	/^```sqlite/ { s++; f = dir "/readme" s ".sql"; inb = 1; next }
	/^```/ { inb = 0; next }
	inb { print > f }
' "$TOP/README.md"

# Every row read, offsets integers, and each text equal to the slice of
# its document's text that its offsets name.
cat > "$TMP/check.py" <<'EOF'
import json, sys
texts = {d["id"]: d["text"] for d in map(json.loads, open("docs.jsonl"))}
assert len(m) == int(sys.argv[1]), (len(m), sys.argv[1])
assert str(m["start"].dtype) == "int64" and str(m["end"].dtype) == "int64", m.dtypes
for r in m.itertuples():
    assert texts[r.doc][r.start:r.end] == r.text, (r.doc, r.start, r.end, r.text)
assert m["title"][0] == '"Quoted" title, with \\ a backslash', m["title"][0]
print("ok")
EOF

for f in "$TMP"/readme*.py; do
	grep -q 'mentions\.' "$f" || continue
	run "export: the README's pandas recipe $(grep -o 'mentions\.[a-z]*' "$f") keeps every row and text" \
		"cd $TMP && cat $f check.py > run.py && $PY run.py $ROWS"
	expect_status 0
	expect_out_text "ok
"
	case_end
done

run "export: pandas with no options still reads every csv row" \
	"cd $TMP && $PY -c 'import pandas as pd; m = pd.read_csv(\"mentions.csv\"); print(len(m), m[\"start\"].dtype, m[\"text\"].isna().sum())'"
expect_status 0
expect_out_text "$ROWS int64 3
"
case_end

for f in "$TMP"/readme*.sql; do
	run "export: the README's sqlite recipe $(grep -o 'mentions\.[a-z]*' "$f") keeps every row and text" \
		"cd $TMP && rm -f t.db && sqlite3 t.db < $f && sqlite3 t.db \"SELECT count(*), sum(typeof(start) = 'integer' AND typeof(\\\"end\\\") = 'integer' AND typeof(sent) = 'integer') FROM m; SELECT text FROM m WHERE start IN (4, 30, 41, 61, 82)\""
	expect_status 0
	expect_out_text "$(printf '%s|%s\nTab\tName\nO"Hara\nBack\\slash Corps\nZ\303\274rich\nNA' $ROWS $ROWS)
"
	case_end
done

run_in "export: jsonl is one JSON object a mention, numbers as numbers" "$TMP/q.stream" \
	"ner-tsv -f jsonl -a cc,kind | $PY -c 'import json,sys; r=[json.loads(l) for l in sys.stdin]; print(len(r), r[1][\"text\"], r[1][\"start\"] + 1, r[5][\"cc\"], r[5][\"kind\"], r[3][\"text\"])'"
expect_status 0
expect_out_text "$ROWS Tab	Name 5 CH city O\"Hara
"
case_end

run_in "export: jsonl --by doc holds the text, meta and ents of each document" "$TMP/q.stream" \
	"ner-tsv -f jsonl --by doc | $PY -c 'import json,sys; d=json.loads(sys.stdin.readline()); print(d[\"id\"], d[\"meta\"][\"title\"], len(d[\"ents\"]), d[\"ents\"][2][\"label\"], d[\"text\"][d[\"ents\"][2][\"start\"]:d[\"ents\"][2][\"end\"]])'"
expect_status 0
expect_out_text "q \"Quoted\" title, with \\ a backslash $ROWS ORG NA
"
case_end

printf 'Gen Asim Munir visited Tehran. He met Baqeri.\n\nKarachi waited.\n' > "$TMP/c.txt"
run "export: conll has a token a line with BIO tags, sentences apart" \
	"nerpipe -f conll $TMP/c.txt"
expect_status 0
expect_out_text "-DOCSTART-	O

Gen	B-RANK
Asim	B-PER
Munir	I-PER
visited	O
Tehran	B-LOC
.	O

He	O
met	O
Baqeri	B-PER
.	O

Karachi	B-LOC
waited	O
.	O

"
case_end

run "export: sent counts sentences from 1 in each document" \
	"cd $TMP && nerpipe c.txt c.txt 2>/dev/null | cut -f1,5,10"
expect_status 0
expect_out_text "doc	text	sent
c	Gen	1
c	Asim Munir	1
c	Tehran	1
c	Baqeri	2
c	Karachi	3
c~2	Gen	1
c~2	Asim Munir	1
c~2	Tehran	1
c~2	Baqeri	2
c~2	Karachi	3
"
case_end

run_in "export: a column named twice is a usage error" "$TMP/q.stream" "ner-tsv --meta file,start"
expect_status 64
expect_err_has "column 'start' given twice"
case_end

run_in "export: an unknown format is a usage error" "$TMP/q.stream" "ner-tsv -f xml"
expect_status 64
expect_err_has "no format 'xml'"
case_end

run "export: nerpipe -f with an unknown format is a usage error" "nerpipe -f xml $TMP/c.txt"
expect_status 64
case_end

run_in "export: --by doc is for jsonl only" "$TMP/q.stream" "ner-tsv --by doc"
expect_status 64
case_end

# Entity ids: one for spellings of one name, apart for names that may be
# two people.
printf 'The Ministry of Defence met the Ministry of Defense. Maj Gen Ali Karimi and Maj Gen Ali Karami spoke. Gen Mohammad Baqeri and Gen Mohammad Bagheri came.\n' > "$TMP/e.txt"
run "export: entity ids join spellings of one name, never two names" \
	"nerpipe $TMP/e.txt | awk -F'\t' 'NR > 1 && \$4 != \"RANK\" { print \$11 }' | sort | uniq -c | awk '{ print \$1 }' | sort | tr '\n' ' '"
expect_status 0
# Defence/Defense: 2 mentions one id; Baqeri/Bagheri: 2 mentions one id;
# Karimi and Karami: one mention each.
expect_out_text "1 1 2 2 "
case_end

# The samples forwards, backwards and one process per file give the same
# rows: canonical names and entity ids depend on nothing outside the
# document.
run "export: rows do not depend on the order or the split of the input" \
	"cd $TOP/tests/corpus && nerpipe *.txt | tail -n +2 | sort > $TMP/fwd &&
	 nerpipe \$(ls *.txt | sort -r) | tail -n +2 | sort > $TMP/back &&
	 for f in *.txt; do nerpipe \$f | tail -n +2; done | sort > $TMP/each &&
	 cmp $TMP/fwd $TMP/back && cmp $TMP/fwd $TMP/each && wc -l < $TMP/fwd"
expect_status 0
[ "$(cat "$OUT")" -gt 100 ] || fail "too few rows: $(cat "$OUT")"
case_end

mkdir -p "$TMP/x" "$TMP/y"
cp "$TMP/c.txt" "$TMP/x/news.txt"
cp "$TMP/c.txt" "$TMP/y/news.txt"
run "export: two files of one name get two document ids, with a warning" \
	"cd $TMP && nerpipe x/news.txt y/news.txt | cut -f1 | uniq"
expect_status 0
expect_out_text "doc
news
y/news
"
expect_err_has "y/news.txt: document id 'news' is taken by an earlier file; this one is 'y/news'"
case_end
