# nerpipe: the driver, its config, and equivalence with the shell pipeline.
. "$(dirname "$0")/../setup"

ner-gazc -q -o "$TMP/small.gaz" "$TOP/tests/data/small.tsv"
printf 'ner-norm\nner-tok\nner-gaz -g %s\nner-tsv\n' "$TMP/small.gaz" > "$TMP/p.conf"
printf 'Gen Asim Munir met Maj Gen Baqeri in Tehran.\n' > "$TMP/a.txt"
printf 'TEHRAN \xe2\x80\x93 IRNA said Pakistan and Iran agreed.\r\n' > "$TMP/b c.txt"

run "nerpipe: tags files" nerpipe -c "$TMP/p.conf" "$TMP/a.txt"
expect_status 0
expect_out_has "a	0	3	RANK	Gen	General	small	General	OF-9"
expect_out_has "a	4	14	PER	Asim Munir"
expect_out_has "a	37	43	LOC	Tehran"
case_end

nerpipe -c "$TMP/p.conf" "$TMP/a.txt" "$TMP/b c.txt" > "$TMP/inproc"
run "nerpipe: --print shows the shell pipeline" nerpipe -c "$TMP/p.conf" --print "$TMP/a.txt" "'$TMP/b c.txt'"
expect_status 0
expect_out_text "ner-norm $TMP/a.txt '$TMP/b c.txt' | ner-tok | ner-gaz -g $TMP/small.gaz | ner-tsv
"
case_end

# A URL is scheme:// and more, as ner-fetch takes it (path_is_url); ner-fetch
# then refuses the schemes it does not fetch.
for url in https://example.org/a ftp://example.org/a; do
	run "nerpipe: $url goes to ner-fetch" nerpipe -c "$TMP/p.conf" --print "$url"
	expect_status 0
	expect_out_text "ner-fetch $url | ner-norm | ner-tok | ner-gaz -g $TMP/small.gaz | ner-tsv --meta url,date
"
	case_end
done

run "nerpipe: output is byte-identical to the printed shell pipeline" \
	"eval \"\$(nerpipe -c $TMP/p.conf --print $TMP/a.txt '$TMP/b c.txt')\""
expect_status 0
expect_out "$TMP/inproc"
case_end

run "nerpipe: --exec runs real processes with the same output" \
	nerpipe -x -c "$TMP/p.conf" "$TMP/a.txt" "'$TMP/b c.txt'"
expect_status 0
expect_out "$TMP/inproc"
case_end

run_in "nerpipe: stdin" "$TMP/a.txt" nerpipe -c "$TMP/p.conf"
expect_status 0
expect_out_has "stdin	0	3	RANK	Gen"
case_end

for i in $(seq 1 3000); do cat "$TMP/a.txt"; done > "$TMP/long.txt"
run "nerpipe: a closed output pipe ends it quietly" \
	"nerpipe -c $TMP/p.conf $TMP/long.txt | head -1"
expect_status 0
expect_out_text "doc	start	end	type	text	canonical	source	rank	nato	sent	entity
"
expect_err_empty
case_end

run "nerpipe: closed pipe with --exec, quiet too" \
	"nerpipe -x -c $TMP/p.conf $TMP/long.txt | head -1"
expect_status 0
expect_err_empty
case_end

run "nerpipe: a missing file is reported and the rest still come out" \
	nerpipe -c "$TMP/p.conf" "$TMP/nope.txt" "$TMP/a.txt"
expect_status 66
expect_err_has "nope.txt: No such file or directory"
expect_out_has "a	4	14	PER	Asim Munir"
case_end

# Threads: the same bytes for any number, with the bundled chain.
eval "$(nerpipe --print "$TOP"/tests/corpus/*.txt "$TOP"/tests/world/*.txt)" > "$TMP/serial.tsv"
for j in 1 2 8; do
	run "nerpipe: -j $j gives the bytes of the shell pipeline" \
		nerpipe -j $j "$TOP"/tests/corpus/*.txt "$TOP"/tests/world/*.txt
	expect_status 0
	expect_out "$TMP/serial.tsv"
	case_end
done

run "nerpipe: threads by default, the same bytes" nerpipe "$TOP"/tests/corpus/*.txt "$TOP"/tests/world/*.txt
expect_status 0
expect_out "$TMP/serial.tsv"
case_end

# A stream that breaks in its fourth document: with threads, the three
# before it come out and nothing after, as with one.
{ for i in 1 2 3; do printf '#doc\td%s\n#text\tGen Asim Munir met Baqeri.\\n\n#end\td%s\n' $i $i; done
  printf '#doc\td4\nnot a stream line\n#end\td4\n'
  printf '#doc\td5\n#text\tTehran agreed.\\n\n#end\td5\n'; } > "$TMP/broken.stream"
nerpipe -j 1 -c "$TMP/p.conf" < "$TMP/broken.stream" > "$TMP/broken1" 2>/dev/null || :
run_in "nerpipe: with threads, an error stops the output where one thread stops it" "$TMP/broken.stream" \
	nerpipe -j 2 -c "$TMP/p.conf"
expect_status 65
expect_out "$TMP/broken1"
expect_out_has "d3	0	3	RANK"
expect_out_lacks "Tehran"
case_end

run "nerpipe: with threads, a missing file is reported and the rest come out" \
	nerpipe -j 2 -c "$TMP/p.conf" "$TMP/nope.txt" "$TMP/a.txt"
expect_status 66
expect_err_has "nope.txt: No such file or directory"
expect_out_has "a	4	14	PER	Asim Munir"
case_end

run "nerpipe: with threads, a closed output pipe ends it quietly" \
	"cp $TMP/long.txt $TMP/long2.txt && nerpipe -j 2 -c $TMP/p.conf $TMP/long.txt $TMP/long2.txt | head -1"
expect_status 0
expect_err_empty
case_end

# The tail runs in a worker thread there, and with rows enough to fill
# its buffers that thread's write is the one that fails: the message must
# carry its errno, not main's.
for k in $(seq 3000); do cat "$TMP/a.txt"; done > "$TMP/many1.txt"
cp "$TMP/many1.txt" "$TMP/many2.txt"
for j in 1 2; do
	run "nerpipe: -j $j, a full disk for stdout is a write error that says why" \
		"nerpipe -j $j -c $TMP/p.conf $TMP/many1.txt $TMP/many2.txt > /dev/full"
	expect_status 74
	expect_err_has "nerpipe: <stdout>: write error: No space left on device"
	case_end
done

run "nerpipe: -j wants a positive number" nerpipe -j 0 "$TMP/a.txt"
expect_status 64
expect_err_has "--jobs: want a number from 1 to 1024"
case_end

printf 'ner-norm\nner-tok "unclosed\n' > "$TMP/bad.conf"
run "nerpipe: a bad config line is EX_CONFIG naming it" nerpipe -c "$TMP/bad.conf" "$TMP/a.txt"
expect_status 78
expect_err_has "nerpipe: $TMP/bad.conf:2: unterminated quote"
case_end

printf 'ner-norm\n# fine\nner-nosuch --x\n' > "$TMP/bad2.conf"
run "nerpipe: an unknown stage is EX_CONFIG naming the line" nerpipe -c "$TMP/bad2.conf" "$TMP/a.txt"
expect_status 78
expect_err_has "bad2.conf:3: unknown stage 'ner-nosuch'"
case_end

printf 'ner-norm\nner-tok --bogus\nner-tsv\n' > "$TMP/bad3.conf"
run "nerpipe: bad stage arguments are EX_CONFIG naming the line" nerpipe -c "$TMP/bad3.conf" "$TMP/a.txt"
expect_status 78
expect_err_has "bad3.conf:2: bad arguments for ner-tok"
case_end

run "nerpipe: a missing config is EX_NOINPUT" nerpipe -c "$TMP/none.conf" "$TMP/a.txt"
expect_status 66
expect_err_has "none.conf: No such file or directory"
case_end

run "nerpipe: URLs and files together are refused" nerpipe -c "$TMP/p.conf" http://127.0.0.1:9/x "$TMP/a.txt"
expect_status 64
case_end

run "nerpipe: the default config and gazetteer are found from any directory" \
	"cd $TMP && nerpipe a.txt"
expect_status 0
expect_out_has "a	0	3	RANK	Gen"
case_end

run "nerpipe: --help" nerpipe --help
expect_status 0
expect_out_has "usage: nerpipe"
case_end

# A head stage further down the chain passes documents on: ner-norm has
# nothing to do to a document nerpipe already holds.
printf 'ner-norm\nner-tok\nner-norm\nner-gaz -g %s\nner-tsv\n' "$TMP/small.gaz" > "$TMP/nn.conf"
run "nerpipe: ner-norm inside the chain passes documents on" \
	nerpipe -c "$TMP/nn.conf" "$TMP/a.txt"
expect_status 0
expect_out_has "a	37	43	LOC	Tehran"
case_end
