# ner-norm: files and stdin in, clean documents out; bad input repaired and
# reported, never dropped.
. "$(dirname "$0")/../setup"

printf 'Gen Asim Munir met him.\n' > "$TMP/a.txt"

run "norm: a file becomes one document" ner-norm "$TMP/a.txt"
expect_status 0
expect_out_text "$(printf '#doc\ta\n#meta\tfile\t%s\n#text\tGen Asim Munir met him.\\n\n#end\ta\n' "$TMP/a.txt")
"
expect_err_empty
case_end

run_in "norm: stdin is one document called stdin" "$TMP/a.txt" ner-norm
expect_status 0
expect_out_has "#doc	stdin"
expect_out_has "#text	Gen Asim Munir met him.\\n"
case_end

run_in "norm: --id names the stdin document" "$TMP/a.txt" ner-norm --id wire42
expect_status 0
expect_out_has "#doc	wire42"
expect_out_has "#end	wire42"
case_end

printf 'Tehran\xff and \xe2\x80 Iran\n' > "$TMP/bad.txt"
run "norm: invalid UTF-8 becomes U+FFFD with a warning naming file and byte" ner-norm "$TMP/bad.txt"
expect_status 0
expect_out_has "$(printf '#text\tTehran\xef\xbf\xbd and \xef\xbf\xbd\xef\xbf\xbd Iran')"
expect_err_has "ner-norm: $TMP/bad.txt: byte 6: invalid UTF-8, replaced by U+FFFD"
expect_err_has "byte 12: invalid UTF-8"
case_end

printf 'Gen\0Munir\n' > "$TMP/nul.txt"
run "norm: a NUL byte becomes U+FFFD with a warning" ner-norm "$TMP/nul.txt"
expect_status 0
expect_out_has "$(printf '#text\tGen\xef\xbf\xbdMunir')"
expect_err_has "byte 3: NUL byte"
case_end

head -c 3000 /dev/urandom > "$TMP/binary.txt"
printf '\377\376' >> "$TMP/binary.txt"
run "norm: a binary file gives at most ten warnings and a count" ner-norm "$TMP/binary.txt"
expect_status 0
[ "$(grep -c 'replaced by U+FFFD' "$ERR")" -le 11 ] || fail "too many warnings"
expect_err_has "more bad bytes replaced"
expect_out_has "#end	binary"
case_end

printf '\xef\xbb\xbfTehran\r\nIslamabad\rKabul' > "$TMP/crlf.txt"
run "norm: BOM stripped, CRLF and CR made LF" ner-norm "$TMP/crlf.txt"
expect_status 0
expect_out_has "#text	Tehran\\n"
expect_out_has "#text	Islamabad\\n"
expect_out_has "#text	Kabul"
expect_out_lacks "$(printf '\xef\xbb\xbf')"
case_end

: > "$TMP/empty.txt"
run "norm: an empty file is an empty document" ner-norm "$TMP/empty.txt"
expect_status 0
expect_out_text "$(printf '#doc\tempty\n#meta\tfile\t%s\n#end\tempty\n' "$TMP/empty.txt")
"
case_end

run "norm: empty stdin is an empty document" ner-norm
expect_status 0
expect_out_text "$(printf '#doc\tstdin\n#end\tstdin')
"
case_end

run "norm: a missing file is reported, marked, and the rest still run" \
	ner-norm "$TMP/nope.txt" "$TMP/a.txt"
expect_status 66
expect_err_has "ner-norm: $TMP/nope.txt: No such file or directory"
expect_out_has "#doc	nope"
expect_out_has "#meta	error	cannot read file"
expect_out_has "#doc	a"
case_end

run "norm: a directory is reported" ner-norm "$TMP"
expect_status 66
expect_err_has "Is a directory"
case_end

printf '#doc\tw1\n#meta\turl\thttp://example.org/a\n#text\tTehran\xff\\n\n#end\tw1\n' > "$TMP/in.stream"
run_in "norm: a stream on stdin passes through with its text repaired" "$TMP/in.stream" ner-norm
expect_status 0
expect_out_has "#meta	url	http://example.org/a"
expect_out_has "$(printf '#text\tTehran\xef\xbf\xbd\\n')"
expect_err_has "byte 6: invalid UTF-8"
case_end

printf '#doc\tw1\n#text\tcut\n' > "$TMP/trunc.stream"
run_in "norm: a truncated stream is passed on, then reported" "$TMP/trunc.stream" ner-norm
expect_status 65
expect_out_has "#text	cut"
expect_err_has "no #end"
case_end

mkdir -p "$TMP/dir"
run "norm: a directory named with a slash still gets an id" ner-norm "$TMP/dir/"
expect_status 66
expect_out_has "#doc	dir"
case_end

printf '#doc\tw2\n#meta\tk\tv\n#text\t\xef\xbb\xbfTehran\n#end\tw2\n' > "$TMP/bom.stream"
run_in "norm: a stream's first text chunk loses its BOM" "$TMP/bom.stream" ner-norm
expect_status 0
expect_out_has "$(printf '#text\tTehran')"
case_end

run "norm: --help" ner-norm --help
expect_status 0
expect_out_has "usage: ner-norm"
case_end

run "norm: unknown option is a usage error" ner-norm --frobnicate
expect_status 64
expect_err_has "Try 'ner-norm --help'"
case_end
