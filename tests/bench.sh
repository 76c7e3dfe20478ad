#!/usr/bin/env bash
# tests/bench.sh - throughput, peak memory, latency and where the time goes.
#
# Builds two corpora from the sample articles (tests/corpus, tests/world):
# "large", about 50 MB in files of about 0.8 MB, and "articles", about
# 10 MB in files of about 3.2 KB, the size of a news article.  On each it
# times, in one run: cat | wc -w (the floor: reading and splitting words),
# nerpipe with its default threads, nerpipe -j 1, and (large only) the
# shell pipeline of separate processes.  Then one short article end to
# end (median of 21), and each stage's share of the time, stage by stage
# over the article corpus.  Figures go to stdout.  Sizes: BENCH_MB,
# BENCH_ARTICLES_MB.
set -eu
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$top/bin:$PATH"
large_mb=${BENCH_MB:-50}
articles_mb=${BENCH_ARTICLES_MB:-10}
work=$(mktemp -d "${TMPDIR:-/tmp}/nerpipe-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

samples=(${BENCH_SAMPLES:-"$top"/tests/corpus/*.txt "$top"/tests/world/*.txt})
cat "${samples[@]}" > "$work/all"

# make_corpus DIR FILE_BYTES TOTAL_MB: files of about FILE_BYTES each,
# cut at paragraph ends from the samples read over and over, until
# TOTAL_MB (tests/make-corpus).
make_corpus() {
	"$top/tests/make-corpus" "$work/all" "$@"
}
make_corpus "$work/large" 800000 "$large_mb"
make_corpus "$work/articles" 3200 "$articles_mb"

# measure CMD: wall seconds and peak resident MiB of the largest process
# CMD started, via getrusage, as "SECONDS<TAB>MIB".
measure() {
	python3 - "$1" <<'PY'
import resource, subprocess, sys, time
t = time.monotonic()
subprocess.run(["bash", "-c", sys.argv[1]], check=True, stdout=subprocess.DEVNULL)
wall = time.monotonic() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{wall:.3f}\t{peak:.1f}")
PY
}

cores=$(getconf _NPROCESSORS_ONLN)
printf 'machine: %s cores online; nerpipe default threads: %s\n' "$cores" "$cores"
printf 'corpus\twhat\tseconds\tpeak_MiB\tMB/s\tx_wc\n'
for corpus in large articles; do
	cd "$work/$corpus"
	bytes=$(cat ./*.txt | wc -c)
	files=$(ls | wc -l)
	wc_secs=
	for what in wc nerpipe nerpipe-j1 pipeline; do
		case $what in
		wc) cmd="cat ./*.txt | wc -w" ;;
		nerpipe) cmd="nerpipe ./*.txt" ;;
		nerpipe-j1) cmd="nerpipe -j 1 ./*.txt" ;;
		pipeline)
			[ "$corpus" = large ] || continue
			cmd="$(nerpipe --print '*.txt' | sed "s/'\*.txt'/*.txt/")" ;;
		esac
		r=$(measure "$cmd")
		secs=${r%%$'\t'*}
		[ "$what" = wc ] && wc_secs=$secs
		printf '%s (%s files, %s bytes)\t%s\t%s\t%s\t%s\n' "$corpus" "$files" "$bytes" \
			"$what" "$r" \
			"$(awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.2f", b / 1e6 / s }')" \
			"$(awk -v w="$wc_secs" -v s="$secs" 'BEGIN { printf "%.3f", w / s }')"
	done
done

# One short document, start-up included: the median of 21 runs.
short=$top/tests/corpus/01_munir_tehran.txt
python3 - "$short" <<'PY'
import os, statistics, subprocess, sys, time
ts = []
for _ in range(21):
    t = time.perf_counter()
    subprocess.run(["nerpipe", sys.argv[1]], check=True, stdout=subprocess.DEVNULL)
    ts.append((time.perf_counter() - t) * 1000)
print(f"one short article ({os.path.getsize(sys.argv[1])} bytes), end to end: "
      f"median {statistics.median(ts):.2f} ms, fastest {min(ts):.2f} ms (21 runs)")
PY

# Each stage's share: the chain run stage by stage over the article
# corpus, each reading the stream the one before wrote to a file.
cd "$work/articles"
IFS='|' read -r -a stages <<<"$(nerpipe --print x.txt | sed 's/ x\.txt//; s/ | /|/g')"
in=
total=0
declare -a secs_of
for k in "${!stages[@]}"; do
	s=${stages[$k]}
	if [ -z "$in" ]; then
		cmd="$s ./*.txt > $work/s$k"
	else
		cmd="$s < $in > $work/s$k"
	fi
	r=$(measure "$cmd")
	secs_of[$k]=${r%%$'\t'*}
	total=$(awk -v a="$total" -v b="${secs_of[$k]}" 'BEGIN { print a + b }')
	in=$work/s$k
done
echo "share of each stage, one process each over the article corpus (reading and writing the stream included):"
for k in "${!stages[@]}"; do
	printf '  %-32s %6.3f s  %5.1f%%\n' "${stages[$k]}" "${secs_of[$k]}" \
		"$(awk -v a="${secs_of[$k]}" -v t="$total" 'BEGIN { print 100 * a / t }')"
done
