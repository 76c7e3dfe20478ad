# tests/cli/fetch.sh - ner-fetch against local pages and a loopback HTTP server.
#
# Every URL here is http://127.0.0.1:PORT/ served by tests/fetch/server.py,
# which this script starts and stops; nothing else is contacted.
. "$(dirname "$0")/../setup"

FIX=$TOP/tests/fetch
PAGES=$FIX/pages
TAB=$(printf '\t')

python3 "$FIX/server.py" "$TMP/port" "$TMP/log" 2>"$TMP/server.err" &
SRV=$!
trap 'kill "$SRV" 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do
	[ -s "$TMP/port" ] && break
	sleep 0.1
done
[ -s "$TMP/port" ] || { echo "FAIL fetch-server: did not start: $(cat "$TMP/server.err")"; exit 1; }
B=http://127.0.0.1:$(cat "$TMP/port")
# Short waits so that the retry and politeness cases run quickly.
FAST="--delay 0 --retry-delay 50 --timeout 5"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# requests PATH: how many times the server was asked for PATH.
requests() { grep -cx "GET $1" "$TMP/log" || true; }
# doc_ids: the ids of the documents on stdout, one a line.
doc_ids() { sed -n "s/^#doc$TAB//p" "$OUT" | tr '\n' ' '; }

cd "$PAGES"

# --- local files -----------------------------------------------------------

# The example of ner-fetch(1).
run local-file 'ner-fetch article.html'
expect_status 0
expect_out "$FIX/article.expected"
expect_err_empty
case_end

# The same example as printed in the man page.
sed -n '/^\$ ner\\-fetch article.html$/,/^\.RE$/p' "$TOP/stages/ner-fetch.1" |
	sed '1d;$d;s/\\e/\\/g' >"$TMP/man-example"
run man-example 'ner-fetch article.html'
expect_out "$TMP/man-example"
case_end

run local-cp1252-guessed 'ner-fetch cp1252.html'
expect_status 0
expect_out_has "$(printf '#text\tThe \342\200\234na\303\257ve\342\200\235 caf\303\251 diplomacy \342\200\223 as one envoy called it \342\200\223 cost \342\202\2545 million')"
expect_out_has "$(printf '#meta\ttitle\tCaf\303\251 talks')"
expect_err_empty
case_end

run local-cp1256-meta 'ner-fetch cp1256.html'
expect_status 0
expect_out_has "$(printf '#text\t\330\247\331\204\330\252\331\202\331\211 \331\210\330\262\331\212\330\261 \330\247\331\204\330\257\331\201\330\247\330\271 \330\250\331\202\330\247\330\246\330\257 \330\247\331\204\330\254\331\212\330\264\330\214')"
expect_err_empty
case_end

run broken-html 'ner-fetch broken.html'
expect_status 0
expect_out_has "stray & ampersands & such"
expect_out_has "Final paragraph with no closing tags at all"
expect_out_has "$(printf '#end\tbroken')"
expect_err_empty
case_end

run no-article 'ner-fetch empty.html'
expect_status 0
expect_out_has "$(printf '#doc\tempty')"
expect_out_has "$(printf '#end\tempty')"
expect_out_lacks "Politics"
expect_err_has "ner-fetch: empty.html: no article found"
case_end

# One page per kind of boilerplate (tests/fetch/boiler/README): the
# exact stream, text and metadata.
for page in "$FIX"/boiler/*.html; do
	name=$(basename "$page" .html)
	# In the pages' folder, so that #meta file is the bare name (and
	# $VALGRIND can wrap the command).
	cd "$FIX/boiler" || exit 1
	run "boiler-$name" "ner-fetch $name.html"
	cd "$PAGES" || exit 1
	expect_status 0
	expect_out "$FIX/boiler/$name.expected"
	expect_err_empty
	case_end
done

run no-headline "ner-fetch --no-headline '$FIX/boiler/headline.html'"
expect_status 0
expect_out_lacks "$(printf '#text\tSaudi Arabia buys air defence radars from France')"
expect_out_has "$(printf '#meta\ttitle\tSaudi Arabia buys air defence radars from France\n#text\tSaudi Arabia has agreed')"
expect_err_empty
case_end

# Issue 12 item 6: a bad \u escape in JSON-LD never reaches the stream.
run bad-escape-utf8 "ner-fetch '$FIX/boiler/bad-escape.html' | python3 -c 'import sys; sys.stdin.buffer.read().decode(\"utf-8\")'"
expect_status 0
case_end

# A page nested deeper than libxml2's default limit (256) keeps its
# article; one deeper than ner-fetch's own limit (2048) is an error.
nest() {
	python3 -c "import sys; d = int(sys.argv[1]); print('<html><body>' + '<div>' * d + '<p>' + 'Troops from Ghana and Togo patrolled the border near Lome on Friday, officials said. ' * 4 + '</p>' + '</div>' * d + '</body></html>')" "$1"
}
nest 600 >"$TMP/deep600.html"
nest 3000 >"$TMP/deep3000.html"
run nested-600 "ner-fetch $TMP/deep600.html"
expect_status 0
expect_out_has "Troops from Ghana and Togo patrolled the border"
expect_err_empty
case_end

run nested-3000 "ner-fetch $TMP/deep3000.html $TMP/deep600.html"
expect_status 65
expect_out_has "$(printf '#meta\terror\tpage nested deeper than 2048 elements')"
expect_out_has "Troops from Ghana and Togo patrolled the border"
expect_err_has "ner-fetch: $TMP/deep3000.html: page nested deeper than 2048 elements"
case_end

run missing-file 'ner-fetch nosuch.html article.html'
expect_status 66
expect_out_has "$(printf '#doc\tnosuch\n#meta\tfile\tnosuch.html\n#meta\terror\tNo such file or directory\n#end\tnosuch')"
expect_out_has "$(printf '#doc\tarticle')"
expect_err_has "ner-fetch: nosuch.html: No such file or directory"
case_end

run text-dir-and-save "ner-fetch --text-dir $TMP/txt --save $TMP/raw article.html"
expect_status 0
expect_out "$FIX/article.expected"
[ -f "$TMP/txt/article.txt" ] || fail "no $TMP/txt/article.txt"
# The article body: the stream's text without its headline paragraph.
grep '^#text' "$FIX/article.expected" | cut -f2- | tr -d '\n' |
	sed 's/\\n/\n/g; s/\\t/\t/g; s/\\\\/\\/g' | tail -n +3 > "$TMP/body.want"
cmp -s "$TMP/txt/article.txt" "$TMP/body.want" || fail "article.txt is not the body: $(diff "$TMP/txt/article.txt" "$TMP/body.want" | head -5)"
grep -q "Defence ministers meet in Brussels" "$TMP/txt/article.txt" && fail "headline in article.txt"
grep -q "Copyright" "$TMP/txt/article.txt" && fail "footer in article.txt"
cmp -s "$TMP/raw/article.html" article.html || fail "saved page differs"
case_end

mkdir -p "$TMP/d1" "$TMP/d2"
cp article.html "$TMP/d1/page.html"
cp broken.html "$TMP/d2/page.html"
run "two files of one name are two documents" \
	"ner-fetch --text-dir $TMP/tdup $TMP/d1/page.html $TMP/d2/page.html | grep '^#doc'; ls $TMP/tdup"
expect_status 0
expect_out_text "#doc	page
#doc	page~2
page.txt
page~2.txt
"
expect_err_has "$TMP/d2/page.html: document id 'page' is taken by an earlier input; this one is 'page~2'"
case_end

# --- over HTTP ---------------------------------------------------------------

run redirect-chain "ner-fetch $FAST $B/redirect/3"
expect_status 0
expect_out_has "$(printf '#meta\turl\t%s/redirect/3\n#meta\tfinal_url\t%s/pages/article.html\n#meta\tcanonical_url\t%s/world/defence-ministers-meet.html\n#meta\ttitle\tDefence ministers meet in Brussels\n#meta\tdate\t2026-03-14T09:30:00Z\n#meta\tsite\tExample Wire\n#meta\tfetched\t20' "$B" "$B" "$B")"
expect_out_has "$(printf '#meta\tstatus\t200\n#text\tDefence ministers meet in Brussels')"
expect_out_lacks "cookies"
expect_out_lacks "Related stories"
expect_err_empty
[ "$(requests /pages/article.html)" = 1 ] || fail "article fetched $(requests /pages/article.html) times"
case_end

run too-many-redirects "ner-fetch $FAST $B/redirect/11"
expect_status 69
expect_out_has "$(printf '#meta\terror\ttoo many redirects (more than 10)')"
expect_out_lacks "#text"
expect_err_has "ner-fetch: $B/redirect/11: too many redirects (more than 10)"
case_end

run max-redirs-option "ner-fetch $FAST --max-redirs 2 $B/redirect/3"
expect_status 69
expect_err_has "too many redirects (more than 2)"
case_end

run redirect-to-file "ner-fetch $FAST $B/to-file"
expect_status 69
expect_out_has "$(printf '#meta\terror\trefused redirect to file:///etc/passwd')"
expect_out_lacks "root:"
expect_err_has "ner-fetch: $B/to-file: refused redirect to file:///etc/passwd: only http and https are followed"
case_end

run not-found "ner-fetch $FAST $B/status/404"
expect_status 69
expect_out_has "$(printf '#meta\tstatus\t404\n#meta\terror\tHTTP status 404\n#end')"
expect_out_lacks "#text"
expect_err_has "ner-fetch: $B/status/404: HTTP status 404"
[ "$(requests /status/404)" = 1 ] || fail "404 asked $(requests /status/404) times, not once"
case_end

run server-error-retried "ner-fetch $FAST --retries 2 $B/status/500"
expect_status 69
expect_out_has "$(printf '#meta\tstatus\t500\n#meta\terror\tHTTP status 500')"
expect_err_has "ner-fetch: $B/status/500: HTTP status 500"
[ "$(requests /status/500)" = 3 ] || fail "500 asked $(requests /status/500) times, not 3"
case_end

t0=$(now_ms)
run retry-after-429 "ner-fetch $FAST $B/flaky429"
t1=$(now_ms)
expect_status 0
expect_out_has "$(printf '#meta\tstatus\t200')"
expect_out_has "Defence ministers from thirty-two countries"
expect_err_empty
[ "$(requests /flaky429)" = 2 ] || fail "asked $(requests /flaky429) times, not twice"
[ $((t1 - t0)) -ge 1000 ] || fail "Retry-After: 1 not honoured (took $((t1 - t0)) ms)"
case_end

t0=$(now_ms)
run stalled-timeout "ner-fetch --delay 0 --retries 0 --timeout 1 $B/stall"
t1=$(now_ms)
expect_status 69
expect_out_has "$(printf '#meta\terror\ttimed out')"
expect_err_has "ner-fetch: $B/stall: timed out"
# The server stays silent for 30 s: ending well before that shows the
# 1 s timeout ended the fetch.  Not a speed check: the bound is loose,
# since an ASan build on a busy machine once took 6.6 s.
[ $((t1 - t0)) -lt 20000 ] || fail "took $((t1 - t0)) ms"
case_end

run gzip-bomb "ner-fetch $FAST $B/bomb"
expect_status 69
expect_out_has "$(printf '#meta\terror\tbody larger than 10485760 bytes')"
expect_err_has "ner-fetch: $B/bomb: body larger than 10485760 bytes"
case_end

run max-size-option "ner-fetch $FAST --max-size 1000 $B/pages/article.html"
expect_status 69
expect_err_has "body larger than 1000 bytes"
case_end

run http-charset-1252 "ner-fetch $FAST $B/cp1252"
expect_status 0
expect_out_has "$(printf '#text\tDelegates from Fran\303\247ois\342\200\231 office said')"
expect_err_empty
case_end

run http-meta-1256 "ner-fetch $FAST $B/pages/cp1256.html"
expect_status 0
expect_out_has "$(printf '\331\210\331\202\330\247\331\204 \330\247\331\204\331\205\330\252\330\255\330\257\330\253')"
expect_err_empty
case_end

run only-http "ner-fetch $FAST ftp://127.0.0.1/x"
expect_status 69
expect_out_has "$(printf '#meta\turl\tftp://127.0.0.1/x\n')"
expect_err_has "ner-fetch: ftp://127.0.0.1/x: only http and https URLs are fetched"
case_end

# The slow first page finishes last but is written first.
run output-order "ner-fetch $FAST -j 4 $B/slow/700/article.html $B/pages/broken.html $B/status/404 $B/slow/300/cp1256.html article.html"
expect_status 69
ids=$(doc_ids)
case $ids in
"article-"*" broken-"*" 404-"*" cp1256-"*" article ") ;;
*) fail "order: $ids" ;;
esac
expect_err_has "HTTP status 404"
case_end

printf '# news to read\n\n%s/pages/broken.html\n  %s/pages/article.html  \n#%s/status/404\n' "$B" "$B" "$B" >"$TMP/urls"
run_in stdin-list "$TMP/urls" "ner-fetch $FAST"
expect_status 0
case $(doc_ids) in
"broken-"*" article-"*) ;;
*) fail "ids: $(doc_ids)" ;;
esac
expect_err_empty
case_end

t0=$(now_ms)
run per-host-delay "ner-fetch -j 4 --per-host 1 --delay 300 $B/pages/article.html $B/pages/broken.html $B/pages/empty.html"
t1=$(now_ms)
expect_status 0
[ $((t1 - t0)) -ge 600 ] || fail "3 requests to one host took only $((t1 - t0)) ms"
case_end

run http-save "ner-fetch $FAST --save $TMP/saved --text-dir $TMP/texts $B/pages/article.html"
expect_status 0
id=$(doc_ids | tr -d ' ')
cmp -s "$TMP/saved/$id.html" article.html || fail "saved body differs ($id)"
grep -q "^HTTP/1.0 200" "$TMP/saved/$id.headers" || fail "no headers file"
grep -q "thirty-two countries" "$TMP/texts/$id.txt" || fail "no text file"
case_end

# --- usage and output errors --------------------------------------------------

run bad-jobs 'ner-fetch --jobs 0 article.html'
expect_status 64
expect_out_empty
expect_err_has "ner-fetch: --jobs: expected a number from 1 to 256, not '0'"
case_end

run bad-option 'ner-fetch --frobnicate article.html'
expect_status 64
expect_out_empty
expect_err_has "ner-fetch: unknown option '--frobnicate'"
expect_err_has "Try 'ner-fetch --help'."
case_end

run version 'ner-fetch -V'
expect_status 0
expect_out_text "ner-fetch $(ner-tok --version | cut -d' ' -f2)
"
expect_err_empty
case_end

run help 'ner-fetch --help'
expect_status 0
expect_out_has "usage: ner-fetch"
expect_err_empty
case_end

run closed-stdout 'ner-fetch article.html >&-'
expect_status 74
expect_err_has "ner-fetch: standard output: write error"
case_end
