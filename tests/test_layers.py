"""Imports point one way: the plugins and their support library never import upward.

    blogtools (the application: commands, preview, publishing, checks)
        ↓ may import
    plugins/pelican/plugins/* (each a Pelican namespace plugin, importing no other plugin)
        ↓ may import
    blogsupport (problems, caches, workers, text: imports neither of the above)

Read from the source with ``ast``, every import, at the top or inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sitebuild import PLUGIN_FOLDER, ROOT

FOLDER = PLUGIN_FOLDER
PLUGINS = sorted(p.name for p in FOLDER.iterdir() if (p / "__init__.py").is_file())
NAMESPACE = "pelican.plugins"
PELICANS_OWN = {"_utils", "signals"}  # Pelican's modules in the namespace


def _owner(module: str) -> str:
    """Who a module belongs to: a plugin's short name, or the top-level package."""
    inside = module.removeprefix(f"{NAMESPACE}.").split(".")[0]
    if module.startswith(f"{NAMESPACE}.") and inside not in PELICANS_OWN:
        return inside
    return module.split(".")[0]


def imported(path: Path) -> set[str]:
    """Whose modules a module imports (relative imports excluded): a top-level package,
    or a plugin by its short name."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names |= {_owner(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == NAMESPACE:  # from pelican.plugins import citations
                names |= {alias.name for alias in node.names}
            else:
                names.add(_owner(node.module))
    return names


def _is_sys_path(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "path"
        and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
    )


def edits_sys_path(path: Path) -> bool:
    """Whether a module changes ``sys.path``: a call of its methods, or an assignment."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        mutators = {"insert", "append", "extend", "remove", "pop", "clear"}
        if isinstance(node, ast.Attribute) and _is_sys_path(node.value) and node.attr in mutators:
            return True
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if _is_sys_path(target) or (
                isinstance(target, ast.Subscript) and _is_sys_path(target.value)
            ):
                return True
    return False


def modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def test_the_plugins_are_found():
    assert {"citations", "sampling_charts", "search_index", "fixed_urls"} <= set(PLUGINS)


@pytest.mark.parametrize("plugin", PLUGINS)
def test_a_plugin_imports_neither_the_application_nor_another_plugin(plugin):
    others = set(PLUGINS) - {plugin}
    for path in modules(FOLDER / plugin):
        wrong = imported(path) & ({"blogtools", "pelicanconf", "publishconf", "tasks"} | others)
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"
        assert not edits_sys_path(path), f"{path.relative_to(ROOT)} edits sys.path"


def test_the_support_library_imports_nothing_above_it():
    paths = modules(ROOT / "blogsupport")
    assert len(paths) >= 5
    for path in paths:
        wrong = imported(path) & ({"blogtools", "pelicanconf", "publishconf"} | set(PLUGINS))
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"
        assert not edits_sys_path(path), f"{path.relative_to(ROOT)} edits sys.path"


def test_the_application_leaves_the_plugins_to_pelican():
    """blogtools drives Pelican, which loads the plugins; it reaches none of them itself."""
    for path in modules(ROOT / "blogtools"):
        wrong = imported(path) & set(PLUGINS)
        assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


def test_nothing_but_the_tests_conftest_edits_sys_path():
    """``pip install -e .`` (which blog.py runs) makes every package importable by name."""
    tracked = [p for p in ROOT.rglob("*.py") if not {".venv", ".git"} & set(p.parts)]
    tracked = [p for p in tracked if "node_modules" not in p.parts and p.is_file()]
    assert len(tracked) > 50
    editing = [p.relative_to(ROOT).as_posix() for p in tracked if edits_sys_path(p)]
    assert set(editing) <= {"tests/conftest.py"}, editing


def test_the_sys_path_check_finds_every_kind_of_edit(tmp_path):
    module = tmp_path / "m.py"
    for edit in ("sys.path.insert(0, 'x')", "sys.path[:0] = ['x']", "sys.path += ['x']",
                 "sys.path = ['x']", "sys.path.append('x')"):  # fmt: skip
        module.write_text(f"import sys\n{edit}\n")
        assert edits_sys_path(module), edit
    module.write_text("import sys\nprint(sys.path[0], list(sys.path))\n")
    assert not edits_sys_path(module)


def test_the_check_reads_what_it_judges(tmp_path):
    """The reading above finds an upward import, at the top or deferred."""
    module = tmp_path / "m.py"
    module.write_text(
        "def f():\n    from blogtools.publish import x\n"
        "    import pelican.plugins.citations.build\n"
        "from pelican.plugins import fixed_urls, link_cards\nfrom pelican.plugins._utils import y\n"
        "from pelican.contents import Article\n"
    )
    assert imported(module) == {"blogtools", "citations", "fixed_urls", "link_cards", "pelican"}


@pytest.mark.parametrize("plugin", PLUGINS)
def test_a_plugin_s_init_only_names_its_entry_point(plugin):
    """Its docstring, and ``register`` from the module that holds the plugin."""
    tree = ast.parse((FOLDER / plugin / "__init__.py").read_text(encoding="utf-8"))
    doc, entry, exported = tree.body
    assert isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)
    assert isinstance(entry, ast.ImportFrom) and entry.level == 1
    assert [alias.name for alias in entry.names] == ["register"]
    assert (FOLDER / plugin / f"{entry.module}.py").is_file()
    assert ast.literal_eval(exported.value) == ["register"]
