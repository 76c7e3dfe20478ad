# ner-gazc and ner-gaz: compile, load, tag; missing and corrupt gazetteers.
. "$(dirname "$0")/../setup"

ner-gazc -q -o "$TMP/small.gaz" "$TOP/tests/data/small.tsv"
printf 'Maj Gen Baqeri met the general in Tehran; IRNA, not irna, said the Pakistan Army agreed.\n' > "$TMP/a.txt"
ner-norm "$TMP/a.txt" | ner-tok > "$TMP/a.stream"

run "gazc: compiles and counts" ner-gazc -o "$TMP/x.gaz" "$TOP/tests/data/small.tsv"
expect_status 0
expect_err_has "ner-gazc: $TMP/x.gaz: 13 entries"
case_end

run_in "gaz: tags ranks, people, places, organisations" "$TMP/a.stream" \
	"ner-gaz -g $TMP/small.gaz | ner-tsv -c doc,start,end,type,text,canonical,source,rank,nato"
expect_status 0
expect_out_text "doc	start	end	type	text	canonical	source	rank	nato
a	0	7	RANK	Maj Gen	Major General	small	Major General	OF-7
a	8	14	PER	Baqeri	Mohammad Bagheri	small		
a	34	40	LOC	Tehran	Tehran	small		
a	42	46	ORG	IRNA	IRNA	small		
a	67	80	ORG	Pakistan Army	Pakistan Army	small		
"
case_end

ner-gaz -g "$TMP/small.gaz" < "$TMP/a.stream" > "$TMP/tagged"
printf 'Pakistan\tLOC\t\t\nMaj\tRANK\t\t\n' > "$TMP/other.tsv"
ner-gazc -q -o "$TMP/other.gaz" "$TMP/other.tsv"
run_in "gaz: an earlier tag is kept" "$TMP/tagged" "ner-gaz -g $TMP/other.gaz | ner-tsv"
expect_status 0
expect_out_has "ORG	Pakistan Army"
expect_out_has "RANK	Maj Gen"
expect_out_lacks "LOC	Pakistan"
case_end

run_in "gaz: --overwrite re-tags, whole mentions only" "$TMP/tagged" "ner-gaz -o -g $TMP/other.gaz | ner-tsv"
expect_status 0
expect_out_has "LOC	Pakistan	Pakistan	other"
expect_out_has "RANK	Maj	Maj	other"
expect_out_lacks "Pakistan Army"
expect_out_lacks "Maj Gen"
case_end

run_in "gaz: a missing gazetteer is EX_NOINPUT" "$TMP/a.stream" ner-gaz -g "$TMP/nope.gaz"
expect_status 66
expect_err_has "ner-gaz: $TMP/nope.gaz: No such file or directory"
expect_out_empty
case_end

head -c 200 "$TMP/small.gaz" > "$TMP/cut.gaz"
run_in "gaz: a truncated gazetteer is EX_DATAERR" "$TMP/a.stream" ner-gaz -g "$TMP/cut.gaz"
expect_status 65
expect_err_has "not a usable gazetteer: size does not match its header"
case_end

printf 'this is not a gazetteer at all, just text that is long enough to pass the size check\n' > "$TMP/junk.gaz"
run_in "gaz: a file that is no gazetteer is EX_DATAERR" "$TMP/a.stream" ner-gaz -g "$TMP/junk.gaz"
expect_status 65
expect_err_has "bad magic number"
case_end

cp "$TMP/small.gaz" "$TMP/v9.gaz"
printf '\011' | dd of="$TMP/v9.gaz" bs=1 seek=8 conv=notrunc 2>/dev/null
run_in "gaz: another format version is EX_DATAERR and says what to do" "$TMP/a.stream" ner-gaz -g "$TMP/v9.gaz"
expect_status 65
expect_err_has "format version 9, this program reads 2: recompile it with ner-gazc"
case_end

printf 'Tehran\tLOC\n' > "$TMP/bad.tsv"
run "gazc: a bad source line is EX_DATAERR naming file and line" ner-gazc -o "$TMP/y.gaz" "$TMP/bad.tsv"
expect_status 65
expect_err_has "$TMP/bad.tsv:1: want 4 TAB-separated fields"
[ ! -e "$TMP/y.gaz" ] || fail "wrote an output anyway"
case_end

printf 'Tehran\tloc\t\t\n' > "$TMP/bad2.tsv"
run "gazc: a bad type is EX_DATAERR" ner-gazc -o "$TMP/y.gaz" "$TMP/bad2.tsv"
expect_status 65
expect_err_has "bad2.tsv:1: type 'loc'"
case_end

run "gazc: a missing source is EX_NOINPUT" ner-gazc -o "$TMP/y.gaz" "$TMP/nope.tsv"
expect_status 66
case_end

run "gazc: no output named is a usage error" ner-gazc "$TOP/tests/data/small.tsv"
expect_status 64
case_end
