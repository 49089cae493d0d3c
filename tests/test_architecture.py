"""The layering rules of ARCHITECTURE.md, checked on the source (so a regression fails CI)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(), filename=str(path))


def imported_names(tree) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_mojito_never_imports_recruiting():
    offenders = [str(p.relative_to(ROOT)) for p, tree in modules("mojito")
                 if any(n == "recruiting" or n.startswith("recruiting.") for n in imported_names(tree))]
    assert offenders == []


def test_only_mojito_imports_httpx():
    offenders = [str(p.relative_to(ROOT)) for p, tree in modules("recruiting")
                 if any(n == "httpx" or n.startswith("httpx.") for n in imported_names(tree))]
    assert offenders == []


def test_only_services_call_the_client():
    """Views, admin, tasks, webhook handlers and commands reach JobMojito through recruiting/services."""
    offenders = []
    for path, tree in modules("recruiting"):
        if "services" in path.relative_to(ROOT).parts:
            continue
        if any(n == "mojito.client" for n in imported_names(tree)):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_no_unbounded_http_calls():
    """No module-level httpx.get/post (a new connection per call) and no timeout=None anywhere."""
    offenders = []
    for package in ("mojito", "recruiting"):
        for path, tree in modules(package):
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    func = node.func
                    if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                            and func.value.id == "httpx" and func.attr in {"get", "post", "put", "patch", "delete", "request", "stream"}):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} httpx.{func.attr}")
                    for kw in node.keywords:
                        if kw.arg == "timeout" and isinstance(kw.value, ast.Constant) and kw.value.value is None:
                            offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} timeout=None")
    assert offenders == []


def test_services_never_import_tasks():
    """Services return what should be queued; the task modules (or the caller) queue it."""
    offenders = [str(p.relative_to(ROOT)) for p, tree in modules("recruiting/services")
                 if any(n == "recruiting.tasks" or n.startswith("recruiting.tasks.") or n == "celery"
                        or n.startswith("celery.") for n in imported_names(tree))]
    assert offenders == []


def test_celery_tasks_live_in_the_tasks_package():
    stray = sorted(p.name for p in (ROOT / "recruiting").glob("*task*.py"))
    assert stray == []
    assert (ROOT / "recruiting" / "tasks" / "__init__.py").is_file()


def _sandbox_import_graph() -> dict[str, set[str]]:
    """Module -> the mojito.sandbox modules it imports, counting imports inside functions and
    ``importlib.import_module("...")`` with a constant name (a hidden import is still a dependency).
    Package ``__init__`` files are facades and left out; ``from mojito.sandbox import x`` is ``x``."""
    names = {}
    for path in (ROOT / "mojito" / "sandbox").rglob("*.py"):
        if path.name != "__init__.py":
            names[".".join(path.relative_to(ROOT).with_suffix("").parts)] = path
    graph = {}
    for name, path in names.items():
        package = name.rsplit(".", 1)[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in node.names)
            elif (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "import_module"
                  and node.args and isinstance(node.args[0], ast.Constant)):
                found.add(node.args[0].value)
        graph[name] = {n for n in found if n in names and n != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_sandbox_modules_have_no_import_circle():
    assert _cycles(_sandbox_import_graph()) == []


def test_sandbox_candidate_lifecycle_webhooks_depend_in_one_direction():
    """candidate pages -> lifecycle -> webhooks -> state: the lower never reaches back up."""
    graph = _sandbox_import_graph()
    c, lc, wh = "mojito.sandbox.candidate", "mojito.sandbox.lifecycle", "mojito.sandbox.webhooks"
    assert lc in graph[c] and wh in graph[lc]
    assert not graph[wh] & {c, lc} and c not in graph[lc]
    assert "mojito.sandbox.state" in graph[wh]
