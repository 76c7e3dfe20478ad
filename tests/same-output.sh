#!/usr/bin/env bash
# tests/same-output.sh - does this tree's nerpipe write the same bytes as
# another's?  For changes that must not change output (speed work).
#
# Usage: tests/same-output.sh REF_TREE [DIR...]
#
# REF_TREE is another checkout with its programs built (for instance
# "git worktree add /tmp/ref main && make -C /tmp/ref"); each tree runs
# with its own gazetteers and pipeline.conf.  Compared, stdout and exit
# status: the *.txt of tests/corpus, tests/world, tests/field and of
# each DIR given (for instance /work/shared/corpus/*/docs), one run
# each; the samples in every output format, with -j 1 and -j 2, as
# separate processes (--exec), and stage by stage through ner-html; and
# the two corpora of tests/bench.sh (BENCH_MB and BENCH_ARTICLES_MB, 50
# and 10 by default; 0 leaves one out), with default threads, -j 1 and,
# for the large one, --exec.  Prints "same NAME" or "DIFFERENT NAME" for
# each and exits 1 if any differ.
set -u
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] && [ -x "$1/bin/nerpipe" ] || {
	echo "usage: tests/same-output.sh REF_TREE [DIR...] (REF_TREE/bin/nerpipe built)" >&2
	exit 64
}
ref=$(cd "$1" && pwd)
shift
work=$(mktemp -d "${TMPDIR:-/tmp}/nerpipe-same.XXXXXX")
trap 'rm -rf "$work"' EXIT
bad=0

# compare NAME CMD...: run CMD (a shell string; $T is the tree) in both
# trees, from the top of this one, and compare stdout and exit status.
compare() {
	local name=$1 t
	shift
	for t in "$ref" "$top"; do
		(cd "$top" && T=$t && eval "$*"; echo "exit $?") > "$work/out.${t//\//_}" 2>/dev/null
	done
	if cmp -s "$work/out.${ref//\//_}" "$work/out.${top//\//_}"; then
		echo "same $name"
	else
		echo "DIFFERENT $name"
		bad=1
	fi
}

for d in tests/corpus tests/world tests/field "$@"; do
	compare "$d" '"$T/bin/nerpipe" '"$d"'/*.txt'
done
for f in tsv csv jsonl conll; do
	compare "samples -f $f" '"$T/bin/nerpipe" -f '$f' tests/corpus/*.txt tests/world/*.txt'
done
for j in 1 2; do
	compare "samples -j $j" '"$T/bin/nerpipe" -j '$j' tests/corpus/*.txt tests/world/*.txt'
done
compare "samples --exec" '"$T/bin/nerpipe" --exec tests/corpus/*.txt tests/world/*.txt'
compare "samples through ner-html" '"$T/bin/ner-norm" tests/corpus/*.txt tests/world/*.txt |
	"$T/bin/ner-tok" | "$T/bin/ner-gaz" | "$T/bin/ner-rules" | "$T/bin/ner-link" | "$T/bin/ner-html"'

cat tests/corpus/*.txt tests/world/*.txt > "$work/all"
large_mb=${BENCH_MB:-50}
articles_mb=${BENCH_ARTICLES_MB:-10}
if [ "$large_mb" != 0 ]; then
	tests/make-corpus "$work/all" "$work/large" 800000 "$large_mb"
	compare "large corpus" '"$T/bin/nerpipe" "$work"/large/*.txt'
	compare "large corpus -j 1" '"$T/bin/nerpipe" -j 1 "$work"/large/*.txt'
	compare "large corpus --exec" '"$T/bin/nerpipe" --exec "$work"/large/*.txt'
fi
if [ "$articles_mb" != 0 ]; then
	tests/make-corpus "$work/all" "$work/articles" 3200 "$articles_mb"
	compare "article corpus" '"$T/bin/nerpipe" "$work"/articles/*.txt'
	compare "article corpus -j 1" '"$T/bin/nerpipe" -j 1 "$work"/articles/*.txt'
fi
exit $bad
