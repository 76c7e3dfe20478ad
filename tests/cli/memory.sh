# Memory bounded by the largest document, not by the input: one
# document of 4 MB ("word " 800,000 times, one token every 5 bytes) goes
# through nerpipe and through each stage of the shell pipeline with the
# data segment (the heap and private memory, ulimit -d: RLIMIT_DATA)
# limited to 12 times the document's bytes (46 MiB).  Measured here:
# before the token struct shrank, nerpipe needed more than 192 MB of it
# for this document and every stage but ner-norm more than 96 MB; now
# each needs less than 36 MB.  A run that hits the limit ends with "out of memory" (71).
# Where the limit cannot be set or breaks a trivial run (sanitizer
# builds reserve terabytes for their shadow memory), the cases are
# skipped.
. "$(dirname "$0")/../setup"

python3 -c 'import sys; sys.stdout.write("word " * 800000 + "\n")' > "$TMP/words.txt"
bytes=$(wc -c < "$TMP/words.txt")
limit_kb=$((bytes * 12 / 1024))

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

run "memory: nerpipe on a 4 MB document within 12 times its bytes" \
	"(ulimit -d $limit_kb && exec nerpipe $TMP/words.txt)"
expect_status 0
expect_out "$TMP/rows"
case_end

run "memory: ner-norm on a 4 MB document within 12 times its bytes" \
	"(ulimit -d $limit_kb && exec ner-norm $TMP/words.txt)"
expect_status 0
expect_out "$TMP/s0"
case_end

k=0
for stage in ner-tok ner-gaz ner-rules ner-link ner-tsv; do
	want=$TMP/s$((k + 1))
	[ "$stage" = ner-tsv ] && want=$TMP/rows
	run_in "memory: $stage on a 4 MB document within 12 times its bytes" \
		"$TMP/s$k" "(ulimit -d $limit_kb && exec $stage)"
	expect_status 0
	expect_out "$want"
	case_end
	k=$((k + 1))
done
