"""The layering rules of README "Project layout", checked on the source: every import counts.

Imports are read with ``ast`` from every module of ``bot/`` and ``retrieval/``, including imports inside
functions and under ``if TYPE_CHECKING:``, so a rule cannot be dodged by importing late or "for types only".
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "retrieval")


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    imports: frozenset[str]  # absolute dotted names as written (``from a.b import c`` gives ``a.b.c``)
    tree: ast.Module


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(tree: ast.Module, name: str, is_package: bool) -> frozenset[str]:
    """Every import in the module, relative ones resolved against its package."""
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return frozenset(found)


def load_modules() -> dict[str, Module]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = module_name(path)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            modules[name] = Module(name, path, imported_names(tree, name, path.name == "__init__.py"), tree)
    return modules


MODULES = load_modules()


def imports_of(module: Module, *prefixes: str) -> list[str]:
    """The module's imports that are ``prefix`` or inside it."""
    return sorted(i for i in module.imports if any(i == p or i.startswith(p + ".") for p in prefixes))


def in_package(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def internal_target(imported: str) -> str | None:
    """The project module an import loads: the longest known module name the import starts with."""
    candidate = imported
    while candidate:
        if candidate in MODULES:
            return candidate
        candidate = candidate.rpartition(".")[0]
    return None


def test_the_rules_see_the_whole_tree() -> None:
    assert {"bot.discord.app", "bot.services.container", "bot.store.database", "retrieval.engine"} <= MODULES.keys()
    assert "bot.discord.ui.replies" in MODULES["bot.discord.ui.pagination"].imports  # resolved imports


def test_discord_code_reaches_storage_and_retrieval_only_through_the_services() -> None:
    """A module that imports discord never touches the database or the retrieval internals."""
    offenders = {
        name: forbidden
        for name, module in MODULES.items()
        if imports_of(module, "discord")
        and (
            forbidden := [
                i
                for i in imports_of(module, "bot.store", "aiosqlite", "sqlite3", "retrieval")
                if not in_package(i, "retrieval.models")
            ]
        )
    }
    assert offenders == {}


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("retrieval", ("discord", "bot", "asyncio", "aiosqlite", "sqlite3")),  # pure and synchronous
        ("bot.store", ("discord", "bot.services", "bot.discord", "bot.cli", "retrieval")),
        ("bot.records", ("discord", "bot.store", "bot.services", "bot.discord", "bot.cli")),
        ("bot.errors", ("discord", "bot.store", "bot.services", "bot.discord", "bot.cli", "retrieval")),
        ("bot.wording", ("discord", "bot.store", "bot.services", "bot.discord", "bot.cli", "retrieval")),
        ("bot.health", ("discord", "bot.store", "bot.services", "bot.discord", "bot.cli", "retrieval")),
        ("bot.services", ("discord", "bot.discord", "bot.cli")),
        ("bot.cli", ("discord", "bot.store", "aiosqlite", "sqlite3")),  # `run` starts bot.discord.app lazily
    ],
)
def test_each_layer_imports_only_what_is_below_it(layer: str, forbidden: tuple[str, ...]) -> None:
    offenders = {
        name: found
        for name, module in MODULES.items()
        if in_package(name, layer) and (found := imports_of(module, *forbidden))
    }
    assert offenders == {}


def test_features_do_not_import_each_other_or_the_app() -> None:
    """A feature package (ask, timeline, ...) uses the shared ui pieces and the services, never a sibling."""
    features = {name.split(".")[2] for name in MODULES if name.count(".") >= 3 and name.startswith("bot.discord.")}
    features.discard("ui")
    offenders = {}
    for name, module in MODULES.items():
        if not in_package(name, *(f"bot.discord.{f}" for f in features)):
            continue
        own = name.split(".")[2]
        others = [f"bot.discord.{f}" for f in features if f != own] + ["bot.discord.app"]
        if found := imports_of(module, *others):
            offenders[name] = found
    assert offenders == {}


def test_no_import_cycles_even_for_type_checking() -> None:
    graph = {
        name: {t for i in module.imports if (t := internal_target(i)) is not None and t != name}
        for name, module in MODULES.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for name in graph:
        if name not in index:
            visit(name)
    assert cycles == []


def test_discord_handlers_never_reach_through_the_client() -> None:
    """Cogs, views and buttons get their dependencies explicitly, not via ``interaction.client``."""
    offenders = [
        f"{name}:{node.lineno}"
        for name, module in MODULES.items()
        if in_package(name, "bot.discord")
        for node in ast.walk(module.tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "client"
        and isinstance(node.value, ast.Name)
        and node.value.id == "interaction"
    ]
    assert offenders == []
