# A long text in parts (ner-stream(5), "Parts"): ner-norm cuts it,
# ner-tok counts offsets from the whole document, the tails join the
# parts into one document again.  Small --part-size values stand in for
# the 1 MiB of a real run.
. "$(dirname "$0")/../setup"

conf_with() {
	sed "s/^ner-norm\$/ner-norm $1/" "$TOP/pipeline.conf" > "$TMP/parts.conf"
}

# Paragraphs that each name everyone in full, so that no link crosses a
# cut: the output in parts must be the whole text's, byte for byte.
python3 - "$TMP/self.txt" <<'EOF'
import random, sys
random.seed(7)
s = ('Gen. Asim Munir met Col. Turki bin Saleh in Tehran on Monday, and '
     'U.S. officials said No. 5 was next.')
u = 'Gen. \u00d6mer Asim Munir visited Z\u00fcrich and \u201cKarachi\u201d.'
paras = [' '.join(random.choice((s, u)) for _ in range(random.randint(1, 5)))
         for _ in range(40)]
open(sys.argv[1], 'w', encoding='utf-8').write('\n\n'.join(paras) + '\n')
EOF

# The six sample articles as one document (links may cross a cut there).
for f in "$TOP"/tests/corpus/*.txt; do cat "$f"; printf '\n\n'; done > "$TMP/corpus.txt"

run "parts: ner-norm cuts a long text into numbered parts of one id" \
	"ner-norm --part-size 1000 $TMP/self.txt | grep -c '^#doc	self\$'; \
	 ner-norm -p 1000 $TMP/self.txt | grep '^#meta	part' | head -4"
expect_status 0
expect_out_has "#meta	part	1"
expect_out_has "#meta	part	2"
expect_out_has "#meta	part_start	"
case_end

run "parts: a text under the part size is one document with no part line" \
	"ner-norm -p 100000 $TMP/self.txt"
expect_status 0
expect_out_lacks "#meta	part"
case_end

run "parts: the parts' text is the whole text, each part at most its size" \
	"ner-norm -p 700 $TMP/self.txt | ner-tok | ner-tsv --text | cmp - $TMP/self.txt && \
	 ner-norm -p 700 $TMP/self.txt | awk -F'\t' '/^#doc/ { n = 0 } /^#text/ { t = \$2; gsub(/\\\\n/, \"x\", t); n += length(t) } /^#end/ && n > 700 { print \"long\", n }'"
expect_status 0
expect_out_empty
case_end

# Every format, whole and in parts, through the stages one by one.
chain() {
	ner-norm "$@" | ner-tok | ner-gaz -g entities.gaz | ner-rules -r nerpipe.rules | ner-link
}
chain "$TMP/self.txt" > "$TMP/whole.stream"
chain -p 900 "$TMP/self.txt" > "$TMP/parts.stream"
for fmt in "-f tsv" "-f csv" "-f jsonl" "-f conll" "-f jsonl --by doc"; do
	ner-tsv $fmt < "$TMP/whole.stream" > "$TMP/want"
	run_in "parts: ner-tsv $fmt joins the parts into the whole document" \
		"$TMP/parts.stream" "ner-tsv $fmt"
	expect_status 0
	expect_out "$TMP/want"
	case_end
done

ner-html < "$TMP/whole.stream" > "$TMP/want.html"
run_in "parts: ner-html makes one article of the parts" "$TMP/parts.stream" ner-html
expect_status 0
expect_out "$TMP/want.html"
case_end

dump_db() {
	sqlite3 "$1" 'SELECT * FROM documents; SELECT * FROM mentions ORDER BY start;
		SELECT * FROM entity_names ORDER BY 1, 2; SELECT * FROM entities ORDER BY 1'
}
ner-db "$TMP/whole.db" < "$TMP/whole.stream"
dump_db "$TMP/whole.db" > "$TMP/want.db"
run_in "parts: ner-db loads the parts as one document" "$TMP/parts.stream" \
	"ner-db -b 1 $TMP/parts.db && sqlite3 $TMP/parts.db 'SELECT count(*) FROM documents' && \
	 sqlite3 $TMP/parts.db 'SELECT * FROM documents; SELECT * FROM mentions ORDER BY start;
		SELECT * FROM entity_names ORDER BY 1, 2; SELECT * FROM entities ORDER BY 1'"
expect_status 0
{ echo 1; cat "$TMP/want.db"; } > "$TMP/want.db1"
expect_out "$TMP/want.db1"
case_end

# nerpipe: in one thread, in two, and as processes; the article is
# under the part size, the long text is not.
nerpipe "$TOP/tests/corpus/01_munir_tehran.txt" "$TMP/self.txt" > "$TMP/want.rows"
conf_with "--part-size 4000"
for opt in "-j 1" "-j 2" "--exec"; do
	run "parts: nerpipe $opt joins the parts" \
		"nerpipe -c $TMP/parts.conf $opt $TOP/tests/corpus/01_munir_tehran.txt $TMP/self.txt"
	expect_status 0
	expect_out "$TMP/want.rows"
	case_end
done

# Offsets count code points of the whole text, in every part.
check_offsets='
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
n = 0
for line in sys.stdin:
	r = json.loads(line)
	if text[r["start"]:r["end"]] != r["text"]:
		print("bad", r)
	n += 1
print(n > 0)
'
for ps in 1000 300 40 4; do
	conf_with "-p $ps"
	run "parts: at part size $ps, each row's text is the document's text[start:end]" \
		"nerpipe -c $TMP/parts.conf -f jsonl $TMP/corpus.txt | python3 -c '$check_offsets' $TMP/corpus.txt"
	expect_status 0
	expect_out_text "True
"
	case_end
done

# Where no link crosses a cut the rows are the same: the mentions the
# gazetteers and rules find, their offsets and sentences, whatever the
# part size (ner-link's rows and its ranks left out).
nerpipe -f tsv "$TMP/corpus.txt" | cut -f 1-5,7,10 | grep -v 'link:' > "$TMP/want.corpus"
conf_with "-p 2000"
run "parts: the corpus in parts of 2000 bytes has the same rows where no link crosses a cut" \
	"nerpipe -c $TMP/parts.conf $TMP/corpus.txt | cut -f 1-5,7,10 | grep -v 'link:'"
expect_status 0
expect_out "$TMP/want.corpus"
case_end

# Cuts where ner-tok splits the same: a text with no paragraph, a
# "No." before a number, a short line that could be a wrapped one.
python3 - "$TMP/lines.txt" <<'EOF'
import sys
s = ''.join('Line %d of the wire copy says that No. %d and Gen. Asim Munir met.\n'
            % (i, i) if i % 3 else 'A short line %d\n' % i for i in range(200))
s += ' '.join('No. %d' % i for i in range(300)) + '\n'
open(sys.argv[1], 'w').write(s)
EOF
ner-norm "$TMP/lines.txt" | ner-tok | grep -v '^#' > "$TMP/want.tok"
for ps in 2000 500 150; do
	run "parts: ner-tok gives the same tokens in parts of $ps bytes" \
		"ner-norm -p $ps $TMP/lines.txt | ner-tok | grep -v '^#'"
	expect_status 0
	expect_out "$TMP/want.tok"
	case_end
done

# A stream torn inside a later part: the parts before come out as one
# document, marked, and the stage says so.
n=$(grep -n '^#meta	part	3$' "$TMP/parts.stream" | cut -d: -f1)
head -n $((n + 4)) "$TMP/parts.stream" > "$TMP/torn.stream"
run_in "parts: a stream torn inside a part gives the joined document so far" \
	"$TMP/torn.stream" "ner-tsv -f jsonl --by doc"
expect_status 65
expect_lines 1
expect_out_has '"error":"truncated stream"'
expect_err_has "stream ends inside document 'self'"
case_end

run_in "parts: ner-db leaves a document torn inside a part out, keeping its earlier load" \
	"$TMP/torn.stream" "cp $TMP/whole.db $TMP/torn.db; ner-db $TMP/torn.db; echo \$?; dump_db $TMP/torn.db"
{ echo 65; cat "$TMP/want.db"; } > "$TMP/want.torn"
expect_status 0
expect_out "$TMP/want.torn"
case_end

# A part left out between the stages (an awk that drops a document, say)
# is a malformed stream: the tails say so and stop; ner-db keeps the
# earlier load of the document instead of a fragment of it.
awk '/^#doc/ { n++ } n != 2' "$TMP/parts.stream" > "$TMP/gap.stream"
run_in "parts: a part left out is an error in ner-tsv" "$TMP/gap.stream" ner-tsv
expect_status 65
expect_err_has "does not follow the part before it"
case_end

run_in "parts: ... and in ner-tsv -t, which would write a text with a hole" \
	"$TMP/gap.stream" ner-tsv -t
expect_status 65
expect_err_has "does not follow the part before it"
case_end

run_in "parts: ner-db keeps the earlier load of a document with a part left out" \
	"$TMP/gap.stream" "cp $TMP/whole.db $TMP/gap.db; ner-db $TMP/gap.db; echo \$?; dump_db $TMP/gap.db"
expect_status 0
expect_out "$TMP/want.torn"
case_end

# A malformed line inside a later part: the same.
n=$(grep -n '^#meta	part	3$' "$TMP/parts.stream" | cut -d: -f1)
sed "$((n + 3))s/^[0-9]*	/x	/" "$TMP/parts.stream" > "$TMP/bad.stream"
run_in "parts: ner-db keeps the earlier load of a document with a malformed part" \
	"$TMP/bad.stream" "cp $TMP/whole.db $TMP/bad.db; ner-db $TMP/bad.db; echo \$?; dump_db $TMP/bad.db"
expect_status 0
expect_out "$TMP/want.torn"
case_end

run_in "parts: --by doc marks a document whose later parts never came" \
	"$TMP/bad.stream" "ner-tsv -f jsonl --by doc"
expect_status 65
expect_lines 1
expect_out_has '"error":"stream ended inside the document"'
case_end

# The mentions of a long document wait in a temporary file: one that
# cannot be written (here: over the file size limit, with SIGXFSZ
# ignored so that the write fails) is an I/O error, never a document
# without its mentions and exit 0.
run_in "parts: --by doc fails when its temporary file cannot be written" \
	"$TMP/parts.stream" "(trap '' XFSZ; ulimit -f 1; ner-tsv -f jsonl --by doc | cat > /dev/null; echo \${PIPESTATUS[0]})"
expect_out_text "74
"
expect_err_has "temporary file"
case_end

run_in "parts: ner-tok refuses a malformed part line" "$TMP/parts.stream" \
	"sed 's/^#meta	part_start	.*/#meta	part_start	x/' | ner-tok"
expect_status 65
expect_err_has "bad #meta part"
case_end

# Part lines the tails cannot trust: a word for part_sentence, a part
# line twice, a later part without its part_start.
n=$(grep -n '^#meta	part	2$' "$TMP/parts.stream" | cut -d: -f1)
for what in "part_sentence banana" "part 2 twice" "no part_start"; do
	case $what in
	"part_sentence banana") bad="${n}s/\$/\\n#meta	part_sentence	banana/" ;;
	"part 2 twice") bad="${n}s/\$/\\n#meta	part	2/" ;;
	"no part_start") bad="/^#meta	part_start	/d" ;;
	esac
	run_in "parts: a malformed part line is refused: $what" "$TMP/parts.stream" \
		"sed '$bad' | ner-tsv"
	expect_status 65
	expect_err_has "bad #meta part"
	case_end
done

run "parts: --part-size wants a number of bytes from 1" "ner-norm --part-size 0 $TMP/self.txt"
expect_status 64
expect_err_has "--part-size"
case_end

# JSON Lines: a long record is cut as a file is, its url and title in
# every part, and joined again.
python3 -c '
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
print(json.dumps({"id": "r1", "text": text, "url": "https://example.org/a", "title": "T"}))
print(json.dumps({"id": "r2", "text": "Gen. Asim Munir in Tehran."}))
' "$TMP/self.txt" > "$TMP/recs.jsonl"
nerpipe --jsonl -f jsonl "$TMP/recs.jsonl" > "$TMP/want.jsonl"
conf_with "-p 900"
run "parts: a long JSON Lines record in parts gives the whole record's rows" \
	"nerpipe -c $TMP/parts.conf --jsonl -f jsonl $TMP/recs.jsonl"
expect_status 0
expect_out "$TMP/want.jsonl"
case_end

run "parts: each part of a JSON Lines record keeps its url and title" \
	"ner-norm --jsonl -p 900 $TMP/recs.jsonl | grep -c '^#meta	url	https://example.org/a\$'"
expect_status 0
expect_out_text "$(ner-norm --jsonl -p 900 "$TMP/recs.jsonl" | grep -c '^#doc	r1$')
"
case_end
