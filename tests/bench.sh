#!/usr/bin/env bash
# tests/bench.sh - throughput, peak memory and short-document latency.
#
# Builds a corpus of at least 50 MB from the sample articles (each file
# holds the articles again and again, about 100 KB a file), then times
# nerpipe (one process) and the equivalent shell pipeline over it, and
# nerpipe on one short article.  Figures go to stdout.
set -eu
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$top/bin:$PATH"
size_mb=${BENCH_MB:-50}
work=$(mktemp -d "${TMPDIR:-/tmp}/nerpipe-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

samples=(${BENCH_SAMPLES:-"$top"/tests/corpus/*.txt})
cat "${samples[@]}" > "$work/one"
per_file=$((100 * 1024))
reps=$(( per_file / $(wc -c < "$work/one") + 1 ))
for _ in $(seq "$reps"); do cat "$work/one"; done > "$work/block"
block=$(wc -c < "$work/block")
nfiles=$(( size_mb * 1024 * 1024 / block + 1 ))
mkdir "$work/corpus"
for i in $(seq -w 1 "$nfiles"); do cp "$work/block" "$work/corpus/doc$i.txt"; done
bytes=$(cat "$work/corpus"/*.txt | wc -c)

# measure LABEL CMD: wall seconds and peak resident memory of CMD's
# process tree (the largest single process), via getrusage.
measure() {
	python3 - "$@" <<'PY'
import resource, subprocess, sys, time
label, cmd = sys.argv[1], sys.argv[2]
t = time.monotonic()
subprocess.run(["bash", "-c", cmd], check=True, stdout=subprocess.DEVNULL)
wall = time.monotonic() - t
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{label}\t{wall:.3f}\t{peak:.1f}")
PY
}

cd "$work/corpus"
echo "corpus: $nfiles files, $bytes bytes ($(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1048576}') MiB)"
entries=$(ner-gaz --help >/dev/null; python3 -c "
import struct
h = open('$top/gazetteers/entities.gaz','rb').read(48)
print(struct.unpack('<8sIIIIII', h[:32])[4])")
echo "gazetteer: gazetteers/entities.gaz, $entries entries"
printf 'what\tseconds\tpeak_MiB\tMB/s\n'
for what in nerpipe pipeline; do
	if [ $what = nerpipe ]; then
		cmd="nerpipe *.txt"
	else
		cmd="$(nerpipe --print '*.txt' | sed "s/'\*.txt'/*.txt/")"
	fi
	r=$(measure "$what" "$cmd")
	secs=$(cut -f2 <<<"$r")
	printf '%s\t%s\n' "$r" "$(awk -v b="$bytes" -v s="$secs" 'BEGIN{printf "%.2f", b/1e6/s}')"
done

# One short document, gazetteer load included: the median of 21 runs.
short=${samples[0]}
for _ in $(seq 21); do
	python3 -c "
import subprocess, time
t = time.monotonic()
subprocess.run(['nerpipe', '$short'], check=True, stdout=subprocess.DEVNULL)
print(f'{(time.monotonic() - t) * 1000:.1f}')"
done | sort -n | sed -n 11p | sed "s/^/one short document ($(wc -c < "$short") bytes), median ms: /"
