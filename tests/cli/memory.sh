# Memory bounded by a part of a document, not by the document: one
# document of 4 MB ("word " 800,000 times, one token every 5 bytes) goes
# through nerpipe and through each stage of the shell pipeline with the
# data segment (the heap and private memory, ulimit -d: RLIMIT_DATA)
# limited to 8 times the document's bytes (31 MiB); then five texts of
# 20 MB, each one document of a kind dense in tokens, through nerpipe
# within 8 times their bytes.  Before the token struct shrank, nerpipe
# needed more than 192 MB for the 4 MB document; before ner-norm cut
# long texts into parts of 1 MiB (ner-stream(5), "Parts"), the 20 MB
# texts needed 136 to 580 MB of RSS, 6.6 to 28 times their bytes
# (20 MB of commas the most).  A run that hits the limit ends with "out
# of memory" (71).  Where the limit cannot be set or breaks a trivial
# run (sanitizer builds reserve terabytes for their shadow memory), the
# cases are skipped.
. "$(dirname "$0")/../setup"

python3 -c 'import sys; sys.stdout.write("word " * 800000 + "\n")' > "$TMP/words.txt"
bytes=$(wc -c < "$TMP/words.txt")
limit_kb=$((bytes * 8 / 1024))

if [ -n "${VALGRIND:-}" ] ||
   ! bash -c "ulimit -d $limit_kb && ner-tok --version; exit \$?" >/dev/null 2>&1; then
	echo "SKIP memory: cannot limit the data segment here"
	exit 0
fi

# The stream before each stage, made without a limit.
ner-norm "$TMP/words.txt" > "$TMP/s0"
ner-tok < "$TMP/s0" > "$TMP/s1"
ner-gaz < "$TMP/s1" > "$TMP/s2"
ner-rules < "$TMP/s2" > "$TMP/s3"
ner-link < "$TMP/s3" > "$TMP/s4"
ner-tsv < "$TMP/s4" > "$TMP/rows"

# One thread: the 8 MiB of address space each thread's stack takes
# count in the data segment too, and 31 MiB do not hold three.
run "memory: nerpipe -j 1 on a 4 MB document within 8 times its bytes" \
	"(ulimit -d $limit_kb && exec nerpipe -j 1 $TMP/words.txt)"
expect_status 0
expect_out "$TMP/rows"
case_end

run "memory: ner-norm on a 4 MB document within 8 times its bytes" \
	"(ulimit -d $limit_kb && exec ner-norm $TMP/words.txt)"
expect_status 0
expect_out "$TMP/s0"
case_end

k=0
for stage in ner-tok ner-gaz ner-rules ner-link ner-tsv; do
	want=$TMP/s$((k + 1))
	[ "$stage" = ner-tsv ] && want=$TMP/rows
	run_in "memory: $stage on a 4 MB document within 8 times its bytes" \
		"$TMP/s$k" "(ulimit -d $limit_kb && exec $stage)"
	expect_status 0
	expect_out "$want"
	case_end
	k=$((k + 1))
done

# Five shapes of 20 MB, one document each: a token every 5, 6, 2 and 1
# bytes, and place names, which every stage tags.
python3 -c '
import sys
n = 20 << 20
for name, unit in (("words", "word "), ("commas", "word, "), ("a", "a "),
                   ("c", ","), ("places", "Tehran Quetta Karachi ")):
	open("%s/%s.txt" % (sys.argv[1], name), "w").write(unit * (n // len(unit)))
' "$TMP"
# The last row: the last Karachi of the place names (none for the rest).
units=$(((20 << 20) / 22))
start=$(((units - 1) * 22 + 14))
head -n 1 "$TMP/rows" > "$TMP/want"
for shape in words commas a c places; do
	limit_kb=$(($(wc -c < "$TMP/$shape.txt") * 8 / 1024))
	[ $shape = places ] &&
		printf 'places\t%s\t%s\tLOC\tKarachi\tKarachi\tplaces\t\t\t1\tLOC-930fc710db3645d8\n' \
			$start $((start + 7)) > "$TMP/want"
	run "memory: nerpipe on 20 MB of '$shape' within 8 times its bytes" \
		"(set -o pipefail; (ulimit -d $limit_kb && exec nerpipe $TMP/$shape.txt) | tail -n 1)"
	expect_status 0
	expect_out "$TMP/want"
	case_end
done
