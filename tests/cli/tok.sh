# ner-tok: tokens from #text, nothing lost, bad streams refused with the line.
. "$(dirname "$0")/../setup"

printf 'Maj. Gen. Baqeri met Pakistan’s army chief.\nHe left.\n' > "$TMP/a.txt"
ner-norm "$TMP/a.txt" > "$TMP/a.stream"

run_in "tok: tokens with offsets, gaps, keys and flags" "$TMP/a.stream" ner-tok
expect_status 0
expect_out_has "$(printf '0\t4\tMaj.\t\tmaj.\tSL\tO\t\t\t')"
expect_out_has "$(printf '10\t16\tBaqeri\t \tbaqeri\t-\tO')"
expect_out_has "$(printf '21\t29\tPakistan\t \tpakistan\t-\tO')"
expect_out_has "$(printf '29\t31\t\xe2\x80\x99s\t\t\x27s\t-\tO')"
expect_out_has "$(printf '44\t46\tHe\t\\n\the\tSL\tO')"
case_end

run_in "tok: the text comes back exactly" "$TMP/a.stream" "ner-tok | ner-tsv --text"
expect_status 0
expect_out "$TMP/a.txt"
case_end

ner-tok < "$TMP/a.stream" > "$TMP/once"
run_in "tok: running twice changes nothing" "$TMP/once" ner-tok
expect_status 0
expect_out "$TMP/once"
case_end

run "tok: no input, no output" ner-tok
expect_status 0
expect_out_empty
case_end

printf '#doc\tx\n0\t1\ta\t\ta\t-\tO\t\t\t\nnot a token\n#end\tx\n' > "$TMP/bad.stream"
run_in "tok: a malformed line is EX_DATAERR naming the line" "$TMP/bad.stream" ner-tok
expect_status 65
expect_err_has "ner-tok: <stdin>:3: line is neither"
case_end

printf '#doc\tx\n#text\tTehran\n' > "$TMP/trunc.stream"
run_in "tok: a truncated stream: the document is written, then an error" "$TMP/trunc.stream" ner-tok
expect_status 65
expect_out_has "$(printf '0\t6\tTehran')"
expect_out_has "$(printf '#meta\terror\ttruncated stream')"
expect_err_has "stream ends inside document 'x'"
case_end

printf '#doc\tx\n#custom\tvalue\n#text\tTehran\n#end\tx\n' > "$TMP/other.stream"
run_in "tok: unknown directives pass through in place" "$TMP/other.stream" ner-tok
expect_status 0
expect_out_has "#custom	value"
case_end

run "tok: a read error is EX_IOERR" ner-tok "$TMP"
expect_status 74
expect_err_has "read error"
case_end

run "tok: a missing input file is EX_NOINPUT" ner-tok "$TMP/nope.stream"
expect_status 66
expect_err_has "nope.stream"
case_end

# A 50 MB line: no fixed buffers, offsets still right at the far end.
awk 'BEGIN { s = "word "; while (length(s) < 50000000) s = s s; printf "%s", substr(s, 1, 50000000); print "Tehran" }' > "$TMP/huge.txt"
run "tok: a 50 MB line" "ner-norm $TMP/huge.txt | ner-tok | tail -n 3 | head -n 1"
expect_status 0
expect_out_has "$(printf '50000000\t50000006\tTehran')"
case_end

printf '#doc\tx\n0\t6\tTehran\t\ttehran\tSL\tB-LOC\t\t\t\n#end\tx\n' > "$TMP/one.stream"
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do cat "$TMP/one.stream" "$TMP/one.stream" "$TMP/one.stream" "$TMP/one.stream"; done > "$TMP/many.stream"
for i in 1 2 3 4 5 6; do cat "$TMP/many.stream" "$TMP/many.stream"; done > "$TMP/more.stream"
if [ -w /dev/full ]; then
	for p in ner-tok ner-tsv; do
		run_in "$p: a write error is said once" "$TMP/more.stream" "$p > /dev/full"
		expect_status 74
		expect_err_has "$p: <stdout>: write error: No space left on device"
		[ "$(grep -c 'write error' "$ERR")" = 1 ] || fail "said $(grep -c 'write error' "$ERR") times"
		case_end
	done
fi
