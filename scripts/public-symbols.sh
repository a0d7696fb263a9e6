#!/usr/bin/env bash
# Counts the public symbols of the two libraries from their symbol graphs, as the API budget of
# Docs/ARCHITECTURE.md states it (DiffDubCore <= 350, DiffDubIO <= 250): every symbol of
# `swift package dump-symbol-graph --minimum-access-level public` whose module is the library,
# its extensions of other modules' types included (`DiffDubCore@Swift.symbols.json`, ...).
#
#   bash scripts/public-symbols.sh            counts, and exits 1 when a library is over budget
#   bash scripts/public-symbols.sh --list     also lists the symbols, one per line
set -euo pipefail
cd "$(dirname "$0")/.."
# The dump also extracts the test modules' graphs and may exit non-zero on them: only the
# libraries' files matter, so the folder it names is read whatever its status.
swift package dump-symbol-graph --minimum-access-level public >/tmp/diffdub-symbolgraph.log 2>&1 || true
folder=$(grep -o 'Files written to /[^ ]*symbolgraph' /tmp/diffdub-symbolgraph.log | tail -1 | sed 's/^Files written to //')
[ -f "$folder/DiffDubCore.symbols.json" ] || { cat /tmp/diffdub-symbolgraph.log; exit 1; }
python3 - "$folder" "${1:-}" <<'PY'
import glob, json, os, sys
folder, mode = sys.argv[1], sys.argv[2]
budget = {"DiffDubCore": 350, "DiffDubIO": 250}
over = False
for module, limit in budget.items():
    names = []
    for path in glob.glob(os.path.join(folder, module + ".symbols.json")) + glob.glob(os.path.join(folder, module + "@*.symbols.json")):
        for symbol in json.load(open(path))["symbols"]:
            if symbol.get("accessLevel") in ("public", "open"):
                names.append(".".join(symbol["pathComponents"]) + " (" + symbol["kind"]["displayName"] + ")")
    print(f"{module}: {len(names)} public symbols (budget {limit})")
    if mode == "--list":
        for name in sorted(names): print("  " + name)
    over |= len(names) > limit
sys.exit(1 if over else 0)
PY
