"""The layering the README states, checked where import-linter cannot look.

``lint-imports`` (run by ``make test``) checks Python imports against the contract in ``pyproject.toml``,
including imports inside functions. These tests check that the contract is the README's, that templates keep to it
(``{% load %}``, ``{% url %}``, ``{% include %}`` and ``{% extends %}``) and that no code reaches a higher layer by
a string (``import_module("...")``, ``apps.get_model("app", ...)``).
"""

import ast
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_TEMPLATES = ROOT / "apothecary" / "templates"


def contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    (layers,) = [c for c in config["contracts"] if c["type"] == "layers"]
    return layers


def layer_table() -> list[list[str]]:
    """The contract's layers, top first, each a list of sibling modules."""
    return [[name.strip() for name in layer.split("|")] for layer in contract()["layers"]]


def rank_of(module: str) -> tuple[int, str] | None:
    """(layer index, the contract's module) for a dotted module name; None when it is in no layer."""
    best = None
    for index, layer in enumerate(layer_table()):
        for name in layer:
            if module == name or module.startswith(name + "."):
                if best is None or len(name) > len(best[1]):
                    best = (index, name)
    return best


def allowed(importer: str, imported: str) -> bool:
    """Whether ``importer`` may use ``imported``: the same layer module, or one in a lower layer."""
    mine, theirs = rank_of(importer), rank_of(imported)
    if mine is None or theirs is None:
        return True
    return theirs[1] == mine[1] or theirs[0] > mine[0]


def readme_layers() -> list[list[str]]:
    """The layers as the README's Layout section lists them (the fenced block after "Layers, top first")."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"Layers, top first.*?```\n(.*?)```", text, re.S)
    assert block, "README.md has no 'Layers, top first' block in its Layout section"
    rows = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    return [[name.strip() for name in row.split("|")] for row in rows if row]


def test_the_contract_is_the_one_the_readme_states():
    assert readme_layers() == layer_table()


def test_a_lazy_import_inside_a_function_breaks_the_contract(tmp_path):
    """import-linter reads every import statement, not only the top-level ones: a package whose lower layer imports
    the higher one inside a function fails ``lint-imports``, and passes once that import is gone."""
    import subprocess
    import sys

    package = tmp_path / "house"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "top.py").write_text("from house import bottom\n")
    (package / "bottom.py").write_text("def later():\n    from house import top\n\n    return top\n")
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_package = house\n\n"
        "[importlinter:contract:layers]\nname = Layers\ntype = layers\nlayers =\n    house.top\n    house.bottom\n"
    )
    lint = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]
    environment = {"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"}

    broken = subprocess.run(lint, cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "house.bottom -> house.top (l.2)" in broken.stdout

    (package / "bottom.py").write_text("def later():\n    return None\n")
    kept = subprocess.run(lint, cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120)
    assert kept.returncode == 0, kept.stdout + kept.stderr


# --- Templates ------------------------------------------------------------------------------------------------------


def app_of_path(path: Path) -> str | None:
    """The app whose ``templates`` folder holds ``path`` (None for the project's own templates or a library's)."""
    try:
        relative = Path(path).resolve().relative_to(ROOT)
    except ValueError:
        return None
    if relative.parts[:2] == ("apothecary", "templates"):
        return None
    return relative.parts[0] if "templates" in relative.parts else None


def project_templates() -> list[tuple[str, Path]]:
    """Every template inside an app's ``templates`` folder, with its app."""
    apps = {name for layer in layer_table() for name in layer if "." not in name}
    found = []
    for app in sorted(apps):
        for path in sorted((ROOT / app / "templates").rglob("*")):
            if path.is_file() and path.suffix in {".html", ".txt", ".xml"}:
                found.append((app, path))
    return found


TAG = re.compile(r"{%-?\s*(load|url|include|extends)\s+(.*?)\s*-?%}", re.S)


def template_uses(text: str) -> list[tuple[str, str]]:
    """(kind, name) for each tag library loaded, URL name reversed, and template included or extended by literal."""
    uses = []
    for kind, rest in TAG.findall(text):
        if kind == "load":
            words = rest.split()
            libraries = words[words.index("from") + 1 :] if "from" in words else words
            uses += [("load", library) for library in libraries]
        else:
            literal = re.match(r"""(['"])(.+?)\1""", rest)
            if literal:
                uses.append((kind, literal.group(2)))
    return uses


@pytest.fixture(scope="module")
def resolvers():
    """Maps from a tag library, a URL name and a template name to the module that provides it."""
    from django.template import engines
    from django.template.loader import get_template
    from django.urls import get_resolver

    libraries = engines["django"].engine.libraries  # name -> dotted module path

    def library(name: str) -> str:
        return libraries[name]

    names: dict[str, str] = {}

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                callback = pattern.callback
                module = getattr(callback, "view_class", callback).__module__
                names.setdefault(f"{namespace}{pattern.name}", module)

    walk(get_resolver().url_patterns)

    def url(name: str) -> str:
        assert name in names, f"no URL is named {name!r}"
        return names[name]

    def template(name: str) -> str | None:
        app = app_of_path(get_template(name).origin.name)
        return app

    return {"load": library, "url": url, "include": template, "extends": template}


def test_templates_use_only_their_own_or_lower_layers(resolvers):
    problems = []
    templates = project_templates()
    assert len(templates) > 50, "the walk found the apps' templates"
    for app, path in templates:
        for kind, name in template_uses(path.read_text(encoding="utf-8")):
            provider = resolvers[kind](name)
            if provider and not allowed(app, provider):
                problems.append(f"{path.relative_to(ROOT)}: {{% {kind} {name} %}} uses {provider.split('.')[0]}")
    assert not problems, "templates reach a higher layer:\n" + "\n".join(problems)


def test_the_template_check_sees_a_higher_layer():
    """The check above can fail: a catalogue template reversing an orders URL is refused, the reverse is allowed."""
    assert not allowed("catalogue", "orders.views")
    assert allowed("orders", "catalogue.templatetags.catalogue_tags")
    assert template_uses('{% load a b from c %}{% url "orders:cart" %}{% include "x/y.html" with a=1 %}') == [
        ("load", "c"),
        ("url", "orders:cart"),
        ("include", "x/y.html"),
    ]


# --- Imports by string ----------------------------------------------------------------------------------------------


def python_files() -> list[Path]:
    apps = {name.split(".")[0] for layer in layer_table() for name in layer}
    return [
        path
        for app in sorted(apps)
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and "tests" not in path.parts
    ]


def imports_by_string(source: str) -> list[str]:
    """Modules named by ``import_module("x")``, ``__import__("x")`` or apps named by ``get_model("app", ...)``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        first = node.args[0]
        if name in {"import_module", "__import__", "get_model"} and isinstance(first, ast.Constant):
            value = str(first.value)
            found.append(value.split(".")[0] if name == "get_model" else value)
    return found


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_code_reaches_a_higher_layer_by_a_string():
    problems = []
    for path in python_files():
        importer = module_name(path)
        for imported in imports_by_string(path.read_text(encoding="utf-8")):
            if not allowed(importer, imported):
                problems.append(f"{path.relative_to(ROOT)} names {imported}")
    assert not problems, "\n".join(problems)
    assert imports_by_string('apps.get_model("orders", "Order")\nimport_module("api.urls")') == ["orders", "api.urls"]
