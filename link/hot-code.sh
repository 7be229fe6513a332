#!/bin/sh
# Write link/hot-code.order: the functions of `clio` that run once it is connected, hottest first,
# one symbol a line. build.rs hands the file to the linker (lld's --symbol-ordering-file), which
# lays those functions out together at the start of the code.
#
# Why: the kernel maps the 16 pages around each page of code a process touches (its
# fault-around), so the code a connected bot runs, spread over a 9 MB program, kept most of the
# program resident. Laid out together, it takes a few megabytes.
#
# How: `examples/bot_latency` runs `clio run` under valgrind's callgrind against the fake
# Discord, with the shipped pack and its mix of commands, autocompletes and buttons; the counts are
# zeroed as the start-up ends (when clio lets go of its start-up code, src/ops/pages.rs), so only
# what ran after is listed. Run it again after large changes (a function it does not list still
# works; it is only laid out with the rest). Needs valgrind and python3.
#
#   link/hot-code.sh
set -eu
cd "$(dirname "$0")/.."
# The examples first, then `clio` alone, as `cargo build --release` and the Dockerfile build it:
# built together with an example, its dependencies take the dev-dependencies' features too, and
# its functions get other names.
cargo build --release --quiet --example bot_latency --example bare_bot
cargo build --release --quiet --bin clio
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A wrapper named `clio`, so that bot_latency starts it as it starts clio (`clio run`).
cat > "$work/clio" <<EOF
#!/bin/sh
exec valgrind --tool=callgrind --demangle=no \
  --zero-before='*let_go_of_code_pages*' --callgrind-out-file="$work/callgrind.out" \
  "$PWD/target/release/clio" "\$@"
EOF
chmod +x "$work/clio"
target/release/examples/bot_latency --prebuilt --starts 1 --count 1000 --clio "$work/clio" >/dev/null
python3 - "$work/callgrind.out" "$PWD/target/release/clio" link/hot-code.order <<'EOF'
import re, sys

out, program, order = sys.argv[1], sys.argv[2], sys.argv[3]
names = {"ob": {}, "fn": {}}
cost = {}
ob = fn = None
after_call = False
with open(out) as f:
    for line in f:
        line = line.rstrip("\n")
        m = re.match(r"^(c?)(ob|fn|fl|fi|fe|cfi|cfl)=\((\d+)\)(?: (.*))?$", line)
        if m:
            called, kind, num, name = m.groups()
            if kind in ("ob", "fn"):
                if name is not None:
                    names[kind][num] = name
                if not called:
                    if kind == "ob":
                        ob = names["ob"].get(num)
                    else:
                        fn = names["fn"].get(num)
            continue
        if line.startswith("calls="):
            after_call = True
            continue
        if line and (line[0].isdigit() or line[0] in "+-*"):
            if after_call:
                after_call = False  # the inclusive cost of a call, not the function's own
                continue
            parts = line.split()
            if len(parts) >= 2 and ob == program and fn:
                cost[fn] = cost.get(fn, 0) + int(parts[1])
hot = sorted((c, n) for n, c in cost.items() if c > 0)
hot.reverse()
if len(hot) < 100:
    sys.exit(f"only {len(hot)} functions of {program} ran after the start: was the count zeroed?")
with open(order, "w") as f:
    for _, name in hot:
        f.write(name + "\n")
print(f"{order}: {len(hot)} functions")
EOF
