#!/usr/bin/env bash
# bench.sh measures concvet against its floor and the linters users
# already run, on one target, cold and warm, and prints ratios.
#
# Usage: bench/bench.sh [-n RUNS] [-t] [-l LEAF_FILE] [TARGET_DIR [PATTERN]]
#
#   TARGET_DIR  module to analyse (default: the Go standard library, "std")
#   PATTERN     package pattern (default ./..., or std)
#   -n RUNS     runs per measurement; the median is reported (default 3)
#   -t          also measure staticcheck (installed from the module proxy)
#   -l FILE     also measure a re-run after touching FILE (relative to
#               TARGET_DIR; pick a file of a package nothing imports): a
#               comment is appended, the tool re-run warm, and the file
#               restored
#
# What is measured, each with /usr/bin/time -v (wall time, CPU time =
# user+sys of the whole process tree, peak RSS = largest single process):
#   concvet   the full suite (concvet PATTERN, which drives go vet)
#   floor     a vet tool whose only analyzer requires buildssa: loading,
#             type-checking and SSA, the floor for any SSA-based suite
#   govet     go vet PATTERN
#   staticcheck (with -t)
# Cold means "analysis caches cleared, build cache warm": every tool starts
# from a copy of a build cache that holds the target's compiled packages
# (go list -export -deps -test) but no analysis results. The vet-based
# tools (concvet, floor, go vet) keep their results in that GOCACHE;
# staticcheck keeps them in STATICCHECK_CACHE, which starts empty. Warm
# runs repeat with those caches, nothing changed.
set -euo pipefail

runs=3
with_others=0
leaf=""
while getopts "n:tl:" opt; do
	case $opt in
	n) runs=$OPTARG ;;
	t) with_others=1 ;;
	l) leaf=$OPTARG ;;
	*) sed -n '2,20p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
target=${1:-std}
pattern=${2:-}
if [ "$target" = std ]; then
	dir=$(go env GOROOT)/src
	pattern=${pattern:-std}
else
	dir=$(cd "$target" && pwd)
	pattern=${pattern:-./...}
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
(cd "$repo" && go build -o "$work/concvet" ./cmd/concvet && go build -o "$work/floor" ./bench/floor)
if [ $with_others = 1 ]; then
	GOBIN=$work go install honnef.co/go/tools/cmd/staticcheck@v0.8.2 >/dev/null 2>&1 ||
		echo "warning: could not install staticcheck; skipping it" >&2
fi

# measure NAME CACHE CMD... : runs the command once, appends "wall cpu rss"
measure() {
	local name=$1 cache=$2
	shift 2
	local out="$work/time.$name"
	( cd "$dir" && GOCACHE=$cache STATICCHECK_CACHE=$sccache /usr/bin/time -v "$@" >/dev/null 2>"$out" ) || true
	local wall cpu rss
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$out")
	cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$out")
	rss=$(awk -F': ' '/Maximum resident set size/ {print int($2/1024)}' "$out")
	echo "$wall $cpu $rss" >>"$work/$name.samples"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

tools=(concvet floor govet)
declare -A cmd
cmd[concvet]="$work/concvet $pattern"
cmd[floor]="go vet -vettool=$work/floor $pattern"
cmd[govet]="go vet $pattern"
if [ $with_others = 1 ] && [ -x "$work/staticcheck" ]; then
	tools+=(staticcheck)
	cmd[staticcheck]="$work/staticcheck $pattern"
fi

# A build cache with the target's compiled packages and no analysis.
buildcache="$work/buildcache"
echo "warming a build cache for $pattern ..." >&2
(cd "$dir" && GOCACHE=$buildcache go list -export -deps -test "$pattern" >/dev/null 2>&1) || true

for i in $(seq "$runs"); do
	for t in "${tools[@]}"; do
		cache="$work/cache.$t.$i"
		mkdir -p "$cache"
		cp -a "$buildcache" "$cache/go"
		gocache=$cache/go
		sccache=$cache/staticcheck
		# shellcheck disable=SC2086
		measure "$t.cold" "$gocache" ${cmd[$t]}
		# shellcheck disable=SC2086
		measure "$t.warm" "$gocache" ${cmd[$t]}
		if [ -n "$leaf" ]; then
			cp "$dir/$leaf" "$work/leaf.orig"
			printf '\n// touched by bench.sh\n' >>"$dir/$leaf"
			# shellcheck disable=SC2086
			measure "$t.touch" "$gocache" ${cmd[$t]}
			cp "$work/leaf.orig" "$dir/$leaf"
		fi
		chmod -R u+w "$cache" 2>/dev/null; rm -rf "$cache"
	done
	echo "run $i/$runs done" >&2
done

col() { awk -v c="$1" '{print $c}' "$work/$2.samples" | median; }
printf '\ntarget: %s (%s), %d run(s), medians\n\n' "$target" "$pattern" "$runs"
printf '| %-11s | %9s | %9s | %9s | %9s | %10s | %10s |\n' command "cold wall" "cold cpu" "warm wall" "warm cpu" "touch wall" "peak RSS"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "-------------" "-----------" "-----------" "-----------" "-----------" "------------" "------------"
for t in "${tools[@]}"; do
	touch_wall=n/a
	if [ -n "$leaf" ]; then
		touch_wall="$(col 1 "$t.touch")s"
	fi
	printf '| %-11s | %8ss | %8ss | %8ss | %8ss | %10s | %7s MB |\n' "$t" "$(col 1 "$t.cold")" "$(col 2 "$t.cold")" "$(col 1 "$t.warm")" "$(col 2 "$t.warm")" "$touch_wall" "$(col 3 "$t.cold")"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a/b; else print "n/a" }'; }
printf '\nconcvet / floor: cold wall %s, cold cpu %s, peak RSS %s\n' \
	"$(ratio "$(col 1 concvet.cold)" "$(col 1 floor.cold)")" \
	"$(ratio "$(col 2 concvet.cold)" "$(col 2 floor.cold)")" \
	"$(ratio "$(col 3 concvet.cold)" "$(col 3 floor.cold)")"
if [[ " ${tools[*]} " == *" staticcheck "* ]]; then
	printf 'concvet / staticcheck: cold wall %s, warm wall %s, peak RSS %s\n' \
		"$(ratio "$(col 1 concvet.cold)" "$(col 1 staticcheck.cold)")" \
		"$(ratio "$(col 1 concvet.warm)" "$(col 1 staticcheck.warm)")" \
		"$(ratio "$(col 3 concvet.cold)" "$(col 3 staticcheck.cold)")"
fi
