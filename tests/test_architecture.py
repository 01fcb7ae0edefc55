"""The import contract of service/, read from the source by grimp (nothing is run):

- no import cycles (a package's __init__ importing its own modules aside);
- layers: admin > inbound > subscriptions > rounds > mail and the other feature folders >
  the shared base (the modules at service/'s root: config, database, tokens, weeks, ...).
  The entry and wiring modules (the factory in __init__, cli, jobs, scheduler, ...) sit on
  top and may import anything. A lower layer never imports a higher layer's functions;
  the models are one schema, so any feature may import any feature's *models*.

Every import counts, at module level or inside a function, so an import moved into a
function to dodge a cycle is still seen here.
"""

from __future__ import annotations

import grimp
import pytest

LAYERS = {"admin": 5, "inbound": 4, "subscriptions": 3, "rounds": 2, "mail": 1}
OTHER_FEATURE = 1  # any other folder under service/ (confidence, ops, i18n, ...)
SHARED_BASE = 0  # a module at service/'s root
ENTRY = 9  # may import anything; nothing below imports them
ENTRY_MODULES = {"__main__", "cli", "jobs", "scheduler", "models", "devserver"}

# Exceptions to the contract, each with the reason it is allowed. None today: whoever has
# to add one names it here, and the tests fail once it is no longer needed.
PENDING_CYCLES: set[frozenset[str]] = set()
PENDING_UPWARD: set[tuple[str, str]] = set()


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("service", cache_dir=None)


def layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return ENTRY  # service/__init__.py: the app factory
    if len(parts) == 2 and parts[1] not in LAYERS:
        return ENTRY if parts[1] in ENTRY_MODULES else SHARED_BASE
    return LAYERS.get(parts[1], OTHER_FEATURE)


def is_models(module: str) -> bool:
    return module.rsplit(".", 1)[-1] == "models"


def imports(graph) -> list[tuple[str, str]]:
    """Every direct import between two service modules, except a package's __init__
    importing its own modules (how a package registers its parts)."""
    edges = []
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            if imported.startswith(importer + "."):
                continue
            edges.append((importer, imported))
    return edges


def cycles(edges: list[tuple[str, str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan, iterative)."""
    succ: dict[str, list[str]] = {}
    for a, b in edges:
        succ.setdefault(a, []).append(b)
        succ.setdefault(b, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for root in succ:
        if root in index:
            continue
        work = [(root, iter(succ[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(frozenset(group))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(succ[child])))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return groups


def test_the_contract_reads_every_feature(graph):
    """A guard for the test itself: grimp found the service's modules and their imports."""
    modules = graph.modules
    for feature in ("service.admin", "service.inbound", "service.subscriptions",
                    "service.rounds", "service.mail"):  # fmt: skip
        assert feature in modules
    assert ("service.rounds.dispatch", "service.mail.bulk") in imports(graph)


def test_no_import_cycles(graph):
    found = set(cycles(imports(graph)))
    assert found - PENDING_CYCLES == set(), "import cycles: break them (see the module docstring)"
    assert PENDING_CYCLES <= found, "a pending cycle is gone: remove it from PENDING_CYCLES"


def test_no_function_imported_from_a_higher_layer(graph):
    upward = {
        (importer, imported)
        for importer, imported in imports(graph)
        if layer(imported) > layer(importer) and not is_models(imported)
    }
    assert upward - PENDING_UPWARD == set(), (
        "a lower layer imports a higher layer's functions: move the function down, or pass "
        "it in from above"
    )
    assert PENDING_UPWARD <= upward, "a pending upward import is gone: remove it from the list"


def test_the_cycle_finder_finds_a_cycle():
    """The contract can fail: a small graph with a cycle and a package's own import."""
    edges = [("a.x", "a.y"), ("a.y", "a.z"), ("a.z", "a.x"), ("a.z", "b.w")]
    assert cycles(edges) == [frozenset({"a.x", "a.y", "a.z"})]
    assert cycles([("a.x", "b.y")]) == []
