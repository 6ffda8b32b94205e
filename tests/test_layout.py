"""The folder tree reads as the architecture, and stays readable: no import cycle, layers that import only
downwards, small folders, small modules.

The import graph is read from the code's own import statements (ast), every
one of them, inside functions too: an import hidden in a function to dodge a
cycle is still a cycle. Only `if TYPE_CHECKING:` blocks are left out, as
they never run.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "extramile"
MAX_MODULES_PER_FOLDER = 12
# Lowest first: a module may import from its own level or any level below, never above (README's map).
LEVELS = {"extramile": 0, "extramile.exceptions": 0, "extramile.names": 0, "extramile.documents": 0,
          "extramile.store": 1, "extramile.identity": 2, "extramile.content": 3, "extramile.participant": 4,
          "extramile.weekly": 5, "extramile.page": 6, "extramile.summary": 7, "extramile.room": 8,
          "extramile.server": 9, "extramile.hub": 9, "extramile.summary_view": 10, "extramile.weekly_page": 10,
          "extramile.cli": 11, "extramile.__main__": 11}
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


class _Imports(ast.NodeVisitor):
    def __init__(self, importer: str) -> None:
        self.importer = importer
        self.found: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        if not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        self.found.update(alias.name for alias in node.names)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            raise AssertionError(f"{self.importer}: relative imports make the layers hard to read")
        for alias in node.names:
            submodule = f"{node.module}.{alias.name}"
            self.found.add(submodule if submodule in MODULES else node.module)


def imports_of(name: str) -> set[str]:
    visitor = _Imports(name)
    visitor.visit(ast.parse(MODULES[name].read_text(encoding="utf-8")))
    return {found for found in visitor.found if found in MODULES and found != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each a cycle or a knot of them."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for neighbour in graph[node]:
            if neighbour not in index:
                visit(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in stack:
                low[node] = min(low[node], index[neighbour])
        if low[node] == index[node]:
            component = []
            while not component or component[-1] != node:
                component.append(stack.pop())
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle_it_is_shown():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_the_package():
    assert cycles({name: imports_of(name) for name in MODULES}) == []


def level_of(name: str) -> int:
    """The level of a module: its folder's, or its own for a module at the top."""
    parts = name.split(".")
    return LEVELS[".".join(parts[:2])] if name != "extramile" else 0


def test_every_module_has_a_level():
    assert [name for name in MODULES if ".".join(name.split(".")[:2]) not in LEVELS] == []


def test_layers_import_only_downwards():
    upwards = sorted(f"{name} -> {imported}" for name in MODULES for imported in imports_of(name)
                     if level_of(imported) > level_of(name))
    assert upwards == []


@pytest.mark.parametrize("folder", sorted({path.parent for path in PACKAGE.rglob("*.py")}),
                         ids=lambda folder: str(folder.relative_to(PACKAGE.parent)))
def test_no_folder_holds_more_than_twelve_modules(folder):
    assert len(list(folder.glob("*.py"))) <= MAX_MODULES_PER_FOLDER


def test_no_module_is_over_four_hundred_lines():
    long = {name: length for name, path in MODULES.items()
            if (length := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_notebooks_written_for_the_flat_package_still_import_what_they_used():
    from extramile import summary_view, weekly_page
    from extramile.summary import summary_view as moved_summary
    from extramile.weekly import weekly_page as moved_weekly

    assert summary_view.show_summary is moved_summary.show_summary
    assert weekly_page.SECTIONS is moved_weekly.SECTIONS
