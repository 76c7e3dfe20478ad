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
expect_err_has "format version 9, this program reads 4: recompile it with ner-gazc"
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

# Crafted gazetteers.  one.gaz holds one entry, "Khan" PER: the header
# (80 bytes: nslots at 16, maxprobe at 32), the index of two slots at 80
# (slot 0 empty, slot 1 at 88: hash, then node 1 at 92), entry 0 at 96
# (capmask at 116, ntoks at 124), node 1 at 128 (keylen, count, entry
# 0, "khan"), the strings from 144 ("\0Khan\0PER\0Khan\0one\0") and
# the filter, one word, at 168.
# Each must be refused, quickly, naming the file: none may hang or read
# outside the file or the document.  Only the header is checked at
# start-up; the rest where a look-up reads it.
printf 'Khan\tPER\t\t\n' > "$TMP/one.tsv"
ner-gazc -q -o "$TMP/one.gaz" "$TMP/one.tsv"
printf 'He met Khan' | ner-norm | ner-tok > "$TMP/khan.stream"
printf 'He met Khan today' | ner-norm | ner-tok > "$TMP/khan2.stream"

# patch NAME OFFSET BYTES: a copy of one.gaz with BYTES (printf escapes)
# written at OFFSET.
patch() {
	cp "$TMP/one.gaz" "$TMP/$1.gaz"
	printf "$3" | dd of="$TMP/$1.gaz" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

run_in "gaz: the uncrafted file tags Khan" "$TMP/khan.stream" "ner-gaz -g $TMP/one.gaz | ner-tsv -c text,type"
expect_status 0
expect_out_text "text	type
Khan	PER
"
case_end

patch loop 32 '\377'
run_in "gaz: a probe limit beyond the index is EX_DATAERR, at once" "$TMP/khan.stream" timeout 5 ner-gaz -g "$TMP/loop.gaz"
expect_status 65
expect_err_has "ner-gaz: $TMP/loop.gaz: not a usable gazetteer: index out of range"
expect_out_empty
case_end

# (and a filter that lets every key through to the index).
patch full 80 '\0\0\0\0\001\0\0\0'
printf '\377\377\377\377\377\377\377\377' | dd of="$TMP/full.gaz" bs=1 seek=168 conv=notrunc 2>/dev/null
run_in "gaz: an index without an empty slot cannot make a look-up go round" "$TMP/khan.stream" "timeout 5 ner-gaz -g $TMP/full.gaz | ner-tsv -c text,type"
expect_status 0
expect_out_text "text	type
Khan	PER
"
case_end

# Three words of filter (filter_size at 72), and the file (file_size at
# 56) as long as that makes it.
patch filtersize 72 '\030'
printf '\300' | dd of="$TMP/filtersize.gaz" bs=1 seek=56 conv=notrunc 2>/dev/null
head -c 16 /dev/zero >> "$TMP/filtersize.gaz"
run_in "gaz: a filter that is no power of two of words is EX_DATAERR, at once" "$TMP/khan.stream" timeout 5 ner-gaz -g "$TMP/filtersize.gaz"
expect_status 65
expect_err_has "ner-gaz: $TMP/filtersize.gaz: not a usable gazetteer: filter size out of range"
expect_out_empty
case_end

# A filter without the key's bits: the key is not found, and the whole
# check says why.
patch nofilter 168 '\0\0\0\0\0\0\0\0'
run_in "gaz: a key missing from the filter is not found" "$TMP/khan.stream" "timeout 5 ner-gaz -g $TMP/nofilter.gaz | ner-tsv -c text,type"
expect_status 0
expect_out_text "text	type
"
case_end

run_in "gaz: NERPIPE_GAZ_VERIFY=1 refuses a changed filter" "$TMP/khan.stream" NERPIPE_GAZ_VERIFY=1 ner-gaz -g "$TMP/nofilter.gaz"
expect_status 65
expect_err_has "$TMP/nofilter.gaz: not a usable gazetteer: checksum does not match"
case_end

patch ntoks 116 '\377\377\377\377'
printf '\040' | dd of="$TMP/ntoks.gaz" bs=1 seek=124 conv=notrunc 2>/dev/null
for s in khan khan2; do
	run_in "gaz: a token count unlike the key's is EX_DATAERR ($s)" "$TMP/$s.stream" timeout 5 ner-gaz -g "$TMP/ntoks.gaz"
	expect_status 65
	expect_err_has "$TMP/ntoks.gaz: not a usable gazetteer: entry's token count does not match its key"
	case_end
done

patch tabtype 151 '\t'
run_in "gaz: a type holding a TAB is EX_DATAERR" "$TMP/khan.stream" timeout 5 ner-gaz -g "$TMP/tabtype.gaz"
expect_status 65
expect_err_has "$TMP/tabtype.gaz: not a usable gazetteer: entry type is not upper-case letters"
case_end

patch nlsource 159 '\n'
run_in "gaz: a source holding a newline is EX_DATAERR" "$TMP/khan.stream" timeout 5 ner-gaz -g "$TMP/nlsource.gaz"
expect_status 65
expect_err_has "$TMP/nlsource.gaz: not a usable gazetteer: entry string is not UTF-8 text"
case_end

patch badcanon 154 '\377'
run_in "gaz: a canonical name that is not UTF-8 is EX_DATAERR when found" "$TMP/khan.stream" timeout 5 ner-gaz -g "$TMP/badcanon.gaz"
expect_status 65
expect_err_has "ner-gaz: $TMP/badcanon.gaz: not a usable gazetteer: canonical name is not UTF-8 text"
case_end

patch keylen 128 '\377'
run_in "gaz: a key running off the nodes is EX_DATAERR" "$TMP/khan.stream" timeout 5 ner-gaz -g "$TMP/keylen.gaz"
expect_status 65
expect_err_has "not a usable gazetteer: node out of range"
case_end

# A byte no look-up reads (the canonical name's last letter, still
# text): only the checksum tells, when NERPIPE_GAZ_VERIFY asks for the
# whole check; it names the first thing wrong in a crafted file too.
patch changed 157 'm'
run_in "gaz: a changed file is used as it is" "$TMP/khan.stream" "ner-gaz -g $TMP/changed.gaz | ner-tsv -c text,canonical"
expect_status 0
expect_out_text "text	canonical
Khan	Kham
"
case_end

run_in "gaz: NERPIPE_GAZ_VERIFY=1 refuses a changed file by its checksum" "$TMP/khan.stream" NERPIPE_GAZ_VERIFY=1 ner-gaz -g "$TMP/changed.gaz"
expect_status 65
expect_err_has "ner-gaz: $TMP/changed.gaz: not a usable gazetteer: checksum does not match"
expect_out_empty
case_end

run_in "gaz: NERPIPE_GAZ_VERIFY=1 passes a sound file" "$TMP/khan.stream" "NERPIPE_GAZ_VERIFY=1 ner-gaz -g $TMP/one.gaz | ner-tsv -c text"
expect_status 0
expect_out_text "text
Khan
"
case_end

run "gazc: --check passes sound files" ner-gazc --check "$TMP/one.gaz" "$GAZ/titles.gaz"
expect_status 0
expect_out_empty
case_end

run "gazc: --check names a changed file and what is wrong" ner-gazc --check "$TMP/one.gaz" "$TMP/changed.gaz" "$TMP/keylen.gaz"
expect_status 65
expect_err_has "ner-gazc: $TMP/changed.gaz: not a usable gazetteer: checksum does not match"
expect_err_has "ner-gazc: $TMP/keylen.gaz: not a usable gazetteer: checksum does not match"
case_end

printf 'list l ./loop.gaz\nrule r 10: (<l>) => PER\n' > "$TMP/loop.rules"
run_in "rules: a list with a probe limit beyond its index is EX_DATAERR" "$TMP/khan.stream" "cd $TMP && timeout 5 ner-rules -r loop.rules"
expect_status 65
expect_err_has "loop.gaz: not a usable gazetteer: index out of range"
case_end

printf 'list l ./keylen.gaz\nrule r 10: (<l>) => PER\n' > "$TMP/keylen.rules"
run_in "rules: a list with a key running off its nodes is EX_DATAERR when read" "$TMP/khan.stream" "cd $TMP && timeout 5 ner-rules -r keylen.rules"
expect_status 65
expect_err_has "ner-rules: ./keylen.gaz: not a usable gazetteer: node out of range"
case_end

printf 'list l ./keylen.gaz\nrule r 10: ([in=l:PER]) => PER\n' > "$TMP/keylen-in.rules"
run_in "rules: an in= test that meets a bad node is EX_DATAERR" "$TMP/khan.stream" "cd $TMP && timeout 5 ner-rules -r keylen-in.rules"
expect_status 65
expect_err_has "ner-rules: ./keylen.gaz: not a usable gazetteer: node out of range"
case_end

mkfifo "$TMP/fifo.gaz"
run_in "gaz: a FIFO is refused, not waited on" "$TMP/khan.stream" timeout 5 ner-gaz -g "$TMP/fifo.gaz"
expect_status 66
expect_err_has "ner-gaz: $TMP/fifo.gaz: not a regular file"
case_end

# -o writes only regular files: a symbolic link, a FIFO or a device is
# left as it is.
ln -s "$TMP/target.gaz" "$TMP/link.gaz"
run "gazc: -o a symbolic link is refused, its target not written" ner-gazc -o "$TMP/link.gaz" "$TMP/one.tsv"
expect_status 73
expect_err_has "ner-gazc: $TMP/link.gaz: not a regular file (a symbolic link)"
[ -L "$TMP/link.gaz" ] && [ ! -e "$TMP/target.gaz" ] || fail "the link or its target was written"
case_end

mkfifo "$TMP/out.fifo"
run "gazc: -o a FIFO is refused and left as it is" ner-gazc -o "$TMP/out.fifo" "$TMP/one.tsv"
expect_status 73
expect_err_has "ner-gazc: $TMP/out.fifo: not a regular file (a device or FIFO)"
[ -p "$TMP/out.fifo" ] || fail "the FIFO was replaced"
case_end

if [ "$(id -u)" = 0 ]; then
	mknod "$TMP/full" c 1 7
	run "gazc: -o a device is refused and left as it is" ner-gazc -o "$TMP/full" "$TMP/one.tsv"
	expect_status 73
	expect_err_has "not a regular file (a device or FIFO)"
	[ -c "$TMP/full" ] || fail "the device node was replaced"
	case_end
fi

run "gazc: a directory as a source is EX_NOINPUT" ner-gazc -o "$TMP/z.gaz" "$TMP"
expect_status 66
expect_err_has "ner-gazc: $TMP: is a directory"
case_end

# The fold= guard of generated respellings (gazetteers/README): a row is
# kept only where the spelling has the fold key of its canonical name,
# and only the first such row of a key; the guard is not an attribute.
printf '%s\n' \
	"$(printf 'Bathinda\tLOC\t\tkind=city')" \
	"$(printf 'Patiala\tLOC\tBathinda\tkind=city;fold=Patiala')" \
	"$(printf 'Bhatinda\tLOC\tBhatinda Fort\tkind=fort;fold=Bhatinda')" \
	"$(printf 'Bhatinda\tLOC\tBathinda\tkind=city;fold=Bhatinda')" \
	"$(printf 'Bhatinda\tLOC\tBathinda\tkind=town;fold=Bhatinda')" \
	"$(printf 'Basra\tLOC\tBasrah\tkind=city;fold=Basrah')" > "$TMP/guard.tsv"
run "gazc: the fold= guard leaves out what does not fold as its name" \
	ner-gazc -o "$TMP/guard.gaz" "$TMP/guard.tsv"
expect_status 0
expect_err_has "ner-gazc: $TMP/guard.gaz: 3 entries (3 respellings left out by their fold= guard)"
case_end

printf 'Bathinda, Bhatinda, Patiala and Basra.\n' > "$TMP/guard.txt"
run "gaz: the respellings a guard let in, without the guard" \
	"ner-norm $TMP/guard.txt | ner-tok | ner-gaz -g $TMP/guard.gaz | ner-tsv -H -c text,canonical -a kind,fold"
expect_status 0
expect_out_text "Bathinda	Bathinda	city	
Bhatinda	Bathinda	city	
Basra	Basrah	city	
"
case_end
