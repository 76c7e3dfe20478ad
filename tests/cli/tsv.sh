# ner-tsv: the output contract.
. "$(dirname "$0")/../setup"

ner-gazc -q -o "$TMP/small.gaz" "$TOP/tests/data/small.tsv"

run "tsv: empty input still has the header" ner-tsv
expect_status 0
expect_out_text "doc	start	end	type	text	canonical	source	rank	nato	sent	entity
"
case_end

# A TAB between two words of a name is kept and escaped in the text field.
printf 'Asim\tMunir visited Tehran.\n' > "$TMP/tab.txt"
run "tsv: a TAB inside a mention is escaped" \
	"ner-norm $TMP/tab.txt | ner-tok | ner-gaz -g $TMP/small.gaz | ner-tsv --no-header"
expect_status 0
expect_out_has "tab	0	10	PER	Asim\\tMunir	Asim Munir	small"
case_end

printf '#doc\tw\n#meta\turl\thttps://example.org/x\n#meta\tdate\t2025-01-19\n#text\tIRNA said so.\n#end\tw\n' > "$TMP/m.stream"
run_in "tsv: --meta adds url and date columns" "$TMP/m.stream" \
	"ner-tok | ner-gaz -g $TMP/small.gaz | ner-tsv --meta url,date"
expect_status 0
expect_out_text "doc	start	end	type	text	canonical	source	rank	nato	sent	entity	url	date
w	0	4	ORG	IRNA	IRNA	small			1	ORG-45074aad5ec4cb45	https://example.org/x	2025-01-19
"
case_end

run "tsv: the header comes even when the only input cannot be read" ner-tsv "$TMP/nope.stream"
expect_status 66
expect_out_text "doc	start	end	type	text	canonical	source	rank	nato	sent	entity
"
case_end

run "tsv: --meta needs keys" ner-tsv --meta ,
expect_status 64
case_end

printf 'Code points: Baq\xc3\xa9ri in Tehran.\n' > "$TMP/cp.txt"
printf 'Baq\xc3\xa9ri\tPER\t\t\nTehran\tLOC\t\t\n' > "$TMP/cp.tsv"
ner-gazc -q -o "$TMP/cp.gaz" "$TMP/cp.tsv"
run "tsv: offsets count code points, not bytes" \
	"ner-norm $TMP/cp.txt | ner-tok | ner-gaz -g $TMP/cp.gaz | ner-tsv --no-header | cut -f2-5"
expect_status 0
expect_out_text "$(printf '13\t19\tPER\tBaq\xc3\xa9ri\n23\t29\tLOC\tTehran')
"
case_end

# A stage killed upstream leaves a torn last line: what came before it
# still comes out, marked, and the stage exits 65.
printf '#doc\ta\n0\t4\tKhan\t\tkhan\tSL\tB-PER\t\t\t\n5\t9' > "$TMP/torn.stream"
run_in "tsv: a stream torn inside a line keeps the document" "$TMP/torn.stream" ner-tsv -c doc,start,end,type,text
expect_status 65
expect_out_text "doc	start	end	type	text
a	0	4	PER	Khan
"
expect_err_has "ner-tsv: <stdin>:3: stream torn inside a line of document 'a'"
case_end

run_in "link: a stream torn inside a line is marked truncated" "$TMP/torn.stream" ner-link
expect_status 65
expect_out_has "$(printf '0\t4\tKhan')"
expect_out_has "$(printf '#meta\terror\ttruncated stream')"
expect_out_has "$(printf '#end\ta')"
case_end

run "tsv: a stream line that is not UTF-8 is malformed (65), not written on" \
	"printf '#doc\\tx\\n#text\\tGen Asim \\377 Munir\\\\n\\n#end\\tx\\n' | ner-tsv -f jsonl --by doc"
expect_status 65
expect_out_empty
expect_err_has "<stdin>:2: invalid UTF-8"
case_end
