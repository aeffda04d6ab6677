"""Imports flow one way: api -> services -> analytics / models / the pure packages.

Read from the source (every ``import`` and ``from ... import``, also inside functions), so a
forbidden import fails here even when no test executes it:

- the pure packages (``spinta.analytics``, ``spinta.assistant``, ``spinta.plans`` and
  ``spinta.screen_sections``) import nothing of Flask, SQLAlchemy, marshmallow or Werkzeug, and
  of Spinta only each other (``spinta.analytics`` only itself);
- ``spinta.models`` imports no services, schemas or views;
- ``spinta.services`` imports no views (``spinta.api``) and no response schemas;
- ``spinta.store`` (how an analysed match is written, below the use cases) imports no
  services, schemas or views.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORKS = ("flask", "flask_", "sqlalchemy", "marshmallow", "werkzeug", "alembic")
PURE = ("spinta.analytics", "spinta.assistant", "spinta.plans", "spinta.screen_sections")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports (relative imports resolved)."""
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else None
    package = package or module_name(path)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                found.add(f"{base}.{node.module}" if node.module else base)
            else:
                found.add(node.module or "")
    return found


def modules() -> dict[str, set[str]]:
    return {module_name(path): imports(path) for path in sorted((ROOT / "spinta").rglob("*.py"))}


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def is_framework(name: str) -> bool:
    top = name.split(".")[0]
    return top in FRAMEWORKS or top.startswith("flask_")


def violations(rule) -> list[str]:
    found = []
    for module, names in modules().items():
        for name in names:
            reason = rule(module, name)
            if reason is not None:
                found.append(f"{module} imports {name} ({reason})")
    return sorted(found)


def pure_rule(module: str, name: str) -> str | None:
    if not within(module, PURE):
        return None
    if is_framework(name):
        return "a framework"
    if name.startswith("spinta"):
        own = ("spinta.analytics",) if within(module, ("spinta.analytics",)) else PURE
        if not within(name, own):
            return "outside the pure packages"
    return None


def models_rule(module: str, name: str) -> str | None:
    if within(module, ("spinta.models",)) and within(
        name, ("spinta.services", "spinta.schemas", "spinta.api")
    ):
        return "models below services"
    return None


def services_rule(module: str, name: str) -> str | None:
    if within(module, ("spinta.services",)) and within(name, ("spinta.api", "spinta.schemas")):
        return "services below the views"
    return None


def store_rule(module: str, name: str) -> str | None:
    if within(module, ("spinta.store",)) and within(
        name, ("spinta.services", "spinta.schemas", "spinta.api")
    ):
        return "the store below the use cases"
    return None


@pytest.mark.parametrize("rule", [pure_rule, models_rule, services_rule, store_rule])
def test_imports_flow_one_way(rule):
    assert violations(rule) == []


def test_the_pure_packages_exist_and_are_read():
    """The rules above see the packages they are about (a renamed package would pass them
    silently)."""
    names = modules()
    for package in PURE:
        assert package in names, package
    assert "spinta.assistant.parser" in names and "spinta.plans.generator" in names
    assert "spinta.store.report" in names
    assert any(is_framework(n) for n in names["spinta.services.screens"])  # the reader works


def test_a_forbidden_import_is_found(tmp_path, monkeypatch):
    """The checker itself: a pure module importing SQLAlchemy inside a function is caught."""
    fake = tmp_path / "spinta" / "assistant"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "leak.py").write_text("def f():\n    from sqlalchemy import select\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert violations(pure_rule) == ["spinta.assistant.leak imports sqlalchemy (a framework)"]
