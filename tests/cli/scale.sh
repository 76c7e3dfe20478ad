# JSON Lines input, and the same rows from one process, many threads and
# many processes (GNU parallel), as README.md shows.
. "$(dirname "$0")/../setup"

# The samples as JSON Lines, one document a line, ids as nerpipe gives
# the files.
for f in "$TOP"/tests/corpus/*.txt; do
	python3 -c 'import json, os, sys
f = sys.argv[1]
print(json.dumps({"id": os.path.basename(f)[:-4], "text": open(f, encoding="utf-8").read()}))' "$f"
done > "$TMP/samples.jsonl"
nerpipe -j 1 "$TOP"/tests/corpus/*.txt > "$TMP/serial.tsv"

run "scale: JSON Lines give the rows of the same texts as files" nerpipe --jsonl "$TMP/samples.jsonl"
expect_status 0
expect_out "$TMP/serial.tsv"
case_end

run_in "scale: JSON Lines from standard input" "$TMP/samples.jsonl" nerpipe --jsonl
expect_status 0
expect_out "$TMP/serial.tsv"
case_end

run "scale: ner-norm --jsonl keeps url, title and date as metadata" \
	"printf '%s\n' '{\"id\": \"r1\", \"text\": \"Gen Asim Munir spoke.\", \"url\": \"https://example.org/a\", \"title\": \"A \\\"title\\\"\", \"date\": \"2025-01-02\", \"other\": 1}' | ner-norm --jsonl"
expect_status 0
expect_out_text "$(printf '#doc\tr1\n#meta\turl\thttps://example.org/a\n#meta\ttitle\tA "title"\n#meta\tdate\t2025-01-02\n#text\tGen Asim Munir spoke.\n#end\tr1')
"
case_end

# Every bad record still gives a document, marked, and the good ones
# after it are tagged.
printf '%s\n' '{"id": 7, "text": "Karachi waited."}' '{"text": "no id"}' \
	'{"id": "r3"}' 'not json' '{"id": "r5", "text": "Quetta"} junk' '' \
	'{"id": "r6", "text": "Lahore"}' '{"id": "r7", "text": "Pesh' > "$TMP/bad.jsonl"
run "scale: each bad JSON Lines record is a document marked with why" \
	"ner-norm --jsonl $TMP/bad.jsonl | grep -E '^#(doc|meta)'"
expect_status 0
expect_out_text "$(printf '#doc\t7
#doc\tline-2
#meta\terror\tno "id" (a non-empty string without TAB or newline, or an integer)
#doc\tr3
#meta\terror\tno "text" string
#doc\tline-4
#meta\terror\tnot one JSON value: null expected
#doc\tline-5
#meta\terror\tnot one JSON value: unexpected character
#doc\tr6
#doc\tline-8
#meta\terror\tnot one JSON value: it ends too early')
"
expect_err_has "bad.jsonl:2: no \"id\""
expect_err_has "bad.jsonl:8: not one JSON value: it ends too early"
case_end

run "scale: bad records make the exit status 65, after all the output" nerpipe --jsonl "$TMP/bad.jsonl"
expect_status 65
expect_out_has "7	0	7	LOC	Karachi"
expect_out_has "r6	0	6	LOC	Lahore"
case_end

run "scale: JSON Lines: a BOM is dropped, a repeated id is made unique, a too big number is no id" \
	"printf '\357\273\277{\"id\": \"a\", \"text\": \"Tehran\"}\n{\"id\": \"a\", \"text\": \"Quetta\"}\n{\"id\": 18446744073709551615, \"text\": \"x\"}\n' | ner-norm --jsonl | grep '^#doc'"
expect_status 0
expect_out_text "$(printf '#doc\ta\n#doc\ta~2\n#doc\tline-3')
"
expect_err_has "<stdin>:2: document id 'a' is taken by an earlier record; this one is 'a~2'"
case_end

run "scale: --jsonl is for files, not URLs" nerpipe --jsonl http://127.0.0.1:9/a
expect_status 64
case_end

run "scale: a JSON Lines file that is missing" nerpipe --jsonl "$TMP/none.jsonl"
expect_status 66
expect_err_has "none.jsonl: No such file or directory"
case_end

# The README's GNU parallel recipes: chunks of two documents in separate
# processes, here and through parallel's remote mechanism pointed at
# this machine (-S :), give the serial rows.
grep -q '^parallel --pipe -N 100 --keep-order nerpipe --jsonl -j 1 < corpus.jsonl |$' "$TOP/README.md" ||
	{ echo "FAIL scale: the README's parallel recipe changed; update this test"; }
for where in "" "-S :"; do
	run "scale: GNU parallel ${where:+$where }over chunks gives the serial rows" \
		"parallel --pipe -N 2 $where --keep-order nerpipe --jsonl -j 1 < $TMP/samples.jsonl |
		 awk 'NR == 1 || !/^doc\tstart\t/'"
	expect_status 0
	expect_out "$TMP/serial.tsv"
	case_end
done

run "scale: GNU parallel over files gives the serial rows" \
	"cd $TOP/tests/corpus && parallel --keep-order nerpipe -j 1 ::: *.txt | awk 'NR == 1 || !/^doc\tstart\t/'"
expect_status 0
expect_out "$TMP/serial.tsv"
case_end
