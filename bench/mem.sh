#!/usr/bin/env bash
# mem.sh measures the peak RSS of every analysis process that go vet
# starts, for concvet and for go vet's own vet tool, on the same packages,
# and prints per package the two peaks and their ratio.
#
# Usage: bench/mem.sh [-k] [-o OUTDIR] [-c CONCVET] [-g GOVET_TSV] DIR [PATTERN...]
#
#   DIR       directory to run go vet in (a module, or "std" for GOROOT/src)
#   PATTERN   package patterns (default ./..., or std's largest packages)
#   -o OUTDIR where the per-process logs go (default: a fresh temporary
#             directory, printed): concvet.tsv and govet.tsv, and
#             concvet.json, concvet's findings (go vet -json), to check
#             that a change leaves them byte-identical
#   -c FILE   the concvet binary to measure (default: built from this
#             checkout)
#   -g FILE   reuse go vet's log from an earlier run (govet.tsv) instead of
#             measuring go vet again: go vet does not change between runs
#   -k        only measure concvet (no go vet column unless -g is given)
#
# How: go vet runs the vet tool once per package with a vet.cfg file, the
# way concvet's default driver does (go vet -vettool=concvet -json). Here
# the -vettool is a small wrapper that runs the real tool under
# /usr/bin/time and logs, per process, the package's ImportPath (from
# vet.cfg), whether it is vetted only for its facts (VetxOnly, a
# dependency of the patterns), its peak RSS and its CPU time. The
# wrapper's -V=full answer carries a fresh nonce, so the go command's vet
# cache never answers for it: every package is analysed again, while its
# compiled dependencies come from the (warm) build cache. go vet's own
# tool is "go tool vet" ($(go env GOTOOLDIR)/vet), run the same way.
#
# Output: one row per package (a test variant "p [p.test]" is folded into
# p, keeping the larger peak), sorted by concvet's peak: the package, "dep"
# when it was analysed only for facts, go vet's peak, concvet's peak (MB),
# their ratio; then the largest ratio among packages where go vet needs at
# least MINMB (default 40) MB, and the processes' summed CPU time.
# No timing is asserted: this is a measurement, not a test.
set -euo pipefail

out=""
concvet=""
govet_tsv=""
only_concvet=0
while getopts "o:c:g:k" opt; do
	case $opt in
	o) out=$OPTARG ;;
	c) concvet=$OPTARG ;;
	g) govet_tsv=$OPTARG ;;
	k) only_concvet=1 ;;
	*) sed -n '2,20p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { sed -n '2,20p' "$0"; exit 2; }
target=$1
shift
if [ "$target" = std ]; then
	dir=$(go env GOROOT)/src
	[ $# -gt 0 ] || set -- net/http runtime go/types crypto/tls
else
	dir=$(cd "$target" && pwd)
	[ $# -gt 0 ] || set -- ./...
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "$out" ]; then
	out=$(mktemp -d)
	echo "logs in $out" >&2
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ -z "$concvet" ]; then
	concvet=$out/concvet
	(cd "$repo" && go build -o "$concvet" ./cmd/concvet)
fi
concvet=$(cd "$(dirname "$concvet")" && pwd)/$(basename "$concvet")

# wrap TOOL LOG writes a vet tool that runs TOOL under /usr/bin/time and
# appends "importpath vetxonly maxrss_kb cpu_s" to LOG.
wrap() {
	local tool=$1 log=$2 w=$out/wrap-$(basename "$2" .tsv)
	cat >"$w" <<EOF
#!/usr/bin/env bash
set -u
cfg=""
for a in "\$@"; do cfg=\$a; done
case "\$cfg" in
*.cfg) ;;
*)
	for a in "\$@"; do
		if [ "\$a" = -V=full ]; then
			id=\$("$tool" -V=full | sha256sum | cut -c1-32)
			echo "memwrap version devel buildID=\$id-$$-\$RANDOM\$RANDOM-$(date +%s%N)"
			exit 0
		fi
	done
	exec "$tool" "\$@"
	;;
esac
t=\$(mktemp)
/usr/bin/time -f "%M %U %S" -o "\$t" "$tool" "\$@"
rc=\$?
pkg=\$(grep -o '"ImportPath": *"[^"]*"' "\$cfg" | sed 's/.*: *"//; s/"\$//')
only=\$(grep -o '"VetxOnly": *[a-z]*' "\$cfg" | sed 's/.*: *//')
read -r rss usr sys <"\$t" || true
rm -f "\$t"
printf '%s\t%s\t%s\t%s\n' "\$pkg" "\$only" "\$rss" "\$(echo "\$usr \$sys" | awk '{print \$1+\$2}')" >>"$log"
exit \$rc
EOF
	chmod +x "$w"
	echo "$w"
}

# run TOOL LOG PATTERN... runs go vet with the wrapped TOOL; its JSON
# output goes next to LOG.
run() {
	local tool=$1 log=$2
	shift 2
	local w
	: >"$log"
	w=$(wrap "$tool" "$log")
	# go vet exits non-zero on findings and on packages that do not
	# build; the log has what was analysed.
	(cd "$dir" && go vet -vettool="$w" -json "$@" >"${log%.tsv}.json" 2>"$log.stderr") || true
}

run "$concvet" "$out/concvet.tsv" "$@"
if [ -n "$govet_tsv" ]; then
	[ "$govet_tsv" -ef "$out/govet.tsv" ] || cp "$govet_tsv" "$out/govet.tsv"
elif [ $only_concvet = 0 ]; then
	run "$(go env GOTOOLDIR)/vet" "$out/govet.tsv" "$@"
fi
[ -f "$out/govet.tsv" ] || : >"$out/govet.tsv"

awk -F'\t' -v minmb="${MINMB:-40}" '
function base(p) { sub(/ \[.*\]$/, "", p); return p }
FNR == 1 { file++ }
{
	p = base($1); kb = $3 + 0
	if (file == 1) { if (kb > c[p]) c[p] = kb; ccpu += $4; if ($2 != "true") root[p] = 1 }
	else { if (kb > g[p]) g[p] = kb; gcpu += $4 }
}
END {
	printf "%-60s %4s %9s %9s %6s\n", "package", "", "govet MB", "concvet MB", "ratio"
	n = 0
	for (p in c) keys[++n] = p
	# sort by concvet peak, largest first
	for (i = 2; i <= n; i++) { k = keys[i]; j = i - 1; while (j > 0 && c[keys[j]] < c[k]) { keys[j+1] = keys[j]; j-- } keys[j+1] = k }
	worst = 0; worstp = ""
	for (i = 1; i <= n; i++) {
		p = keys[i]
		r = (p in g && g[p] > 0) ? sprintf("%.2f", c[p] / g[p]) : "-"
		if (i <= (ENVIRON["ROWS"] ? ENVIRON["ROWS"] : 25))
			printf "%-60s %4s %9.0f %9.0f %6s\n", p, (p in root) ? "" : "dep", g[p] / 1024, c[p] / 1024, r
		if (p in g && g[p] >= minmb * 1024 && c[p] / g[p] > worst) { worst = c[p] / g[p]; worstp = p }
	}
	printf "packages: %d; largest concvet process %.0f MB (%s)\n", n, c[keys[1]] / 1024, keys[1]
	if (worstp != "") printf "worst ratio where go vet >= %d MB: %.2f (%s: %.0f MB against %.0f MB)\n", minmb, worst, worstp, c[worstp] / 1024, g[worstp] / 1024
	printf "summed process CPU: concvet %.0f s, go vet %.0f s\n", ccpu, gcpu
}' "$out/concvet.tsv" "$out/govet.tsv"
