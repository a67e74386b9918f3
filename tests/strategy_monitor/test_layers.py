"""The apps stand on each other in one direction: no module imports a higher or a sibling app.

strategy_monitor < priorities < funding | risks | engagement < reports | api < demo. A lower layer
that must know about a higher one reads a hook the higher app fills from its `AppConfig.ready()`
(`strategy_monitor.registry`). Imports inside functions count as well: one there would only hide
the cycle. Migrations name other apps by string, which is no import, and are left out.
"""

import ast
from pathlib import Path

LAYERS = {
    "strategy_monitor": 0,
    "priorities": 1,
    "funding": 2,
    "risks": 2,
    "engagement": 2,
    "reports": 3,
    # The read-only API stands beside reports: it reads every app below it.
    "api": 3,
    "demo": 4,
}
# The project's root: tests/strategy_monitor/test_layers.py sits two folders below it.
ROOT = Path(__file__).resolve().parents[2]


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """Return the line and the absolute name of every import in `tree`, at any depth."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def upward_imports(package: str, source: str, filename: str) -> list[str]:
    """Return "file:line imports app (rank)" for each import of a higher or a sibling app."""
    rank = LAYERS[package]
    problems = []
    for line, module in imported_modules(ast.parse(source, filename=filename)):
        target = module.split(".")[0]
        if target in LAYERS and target != package and LAYERS[target] >= rank:
            kind = "a sibling" if LAYERS[target] == rank else "a higher layer"
            problems.append(f"{filename}:{line} imports {module} ({kind}: {target})")
    return problems


def package_sources():
    """Yield each app and one of its Python files, migrations left out."""
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield package, path


def test_no_module_imports_a_higher_or_a_sibling_app():
    problems = []
    checked = 0
    for package, path in package_sources():
        checked += 1
        problems += upward_imports(package, path.read_text(), str(path.relative_to(ROOT)))
    assert checked > 100, f"Only {checked} modules found under {ROOT}: is the tree there?"
    assert not problems, "Imports against the layer order:\n" + "\n".join(problems)


def test_checker_finds_an_upward_import_inside_a_function():
    source = (
        "from priorities.models import Strategy\n"
        "\n"
        "def overview(strategy):\n"
        "    from risks.models import Risk\n"
        "    return Risk.objects.filter(strategy=strategy)\n"
    )
    assert upward_imports("priorities", source, "priorities/planted.py") == [
        "priorities/planted.py:4 imports risks.models (a higher layer: risks)"
    ]


def test_checker_finds_sibling_and_plain_imports_and_lets_downward_ones_through():
    source = (
        "import reports.charts\n"
        "from funding import selectors\n"
        "from priorities.models import Strategy\n"
        "from strategy_monitor import registry\n"
        "from .selectors import risk_list\n"
    )
    assert upward_imports("risks", source, "risks/planted.py") == [
        "risks/planted.py:1 imports reports.charts (a higher layer: reports)",
        "risks/planted.py:2 imports funding (a sibling: funding)",
    ]


def test_checker_lets_the_top_layer_import_every_app():
    source = "from engagement.models import Meeting\nfrom reports import charts\n"
    assert upward_imports("demo", source, "demo/planted.py") == []
