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
