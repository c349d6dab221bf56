"""Part of render: the compiled program, run in archgen's own process to get its graph.

A render used to start a second Python, import diagrams again and let diagrams run `dot`
once per format, each time laying the graph out anew. Now the program runs here, and its
`Diagram` hands over the graph it built instead of calling `dot`: the renderer then lays it
out once and writes every format from that one layout (render.py). What runs is exactly the
text `archgen compile` prints, with one difference, what happens at the end of the
`with Diagram(...)` block; so a user running the program with plain `python` gets the same
picture.

The program comes from a blueprint, which may come from a stranger. Before it runs, every
statement is checked against what the compiler writes (`check_program`: imports from
diagrams, constant data, `with Diagram/Cluster`, node constructions and edge expressions of
constants and names), and it runs without builtins, importing only diagrams and `os`.
"""

from __future__ import annotations

import ast
import contextvars
import importlib
import threading
import types
from functools import lru_cache
from typing import Any

from .render import Graph

_RESOURCES_LINE = (
    "RESOURCES = os.path.join(os.path.dirname(os.path.dirname(diagrams.__file__)), "
    "'resources')")
_IMAGEPATH = "os.pathsep.join([RESOURCES, '.'])"


# CPython's ast.parse and compile() of a tree are not thread-safe in 3.11 and 3.12 ("AST
# constructor recursion depth mismatch", python/cpython#106905), and renders run side by side
# in threads: every parse and compile of a program holds this lock.
AST_LOCK = threading.Lock()


class NotCompilerOutput(Exception):
    """The program holds something the compiler never writes; nothing of it was run."""


# -- the allow-list --------------------------------------------------------------------------


def _refuse(node: ast.AST, why: str = "a statement the compiler does not write") -> None:
    raise NotCompilerOutput(f"{why}: {ast.unparse(node)[:80]}")


def _constant(node: ast.AST, names: set[str]) -> bool:
    """Data only: constants, dicts and lists of them, the style names, **EDGE_TEXT."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Dict):
        return all(_constant(v, names) for v in node.values) and all(
            k is None or isinstance(k, ast.Constant) for k in node.keys)
    if isinstance(node, ast.List):
        return all(_constant(e, names) for e in node.elts)
    if isinstance(node, ast.Name):
        return node.id in names  # STYLE_*, EDGE_TEXT, RESOURCES
    if isinstance(node, ast.Call):  # os.pathsep.join([RESOURCES, '.']) for imagepath
        return ast.unparse(node) == _IMAGEPATH
    return False


def _call(node: ast.AST, callables: set[str], data: set[str]) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in callables
            and all(_constant(a, data) for a in node.args)
            and all(_constant(k.value, data) for k in node.keywords))


def _edge_expr(node: ast.AST, variables: set[str], data: set[str]) -> bool:
    """`a >> b`, `a << Edge(...) << b`, `a - Edge(...) - b`: names and Edge calls only."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.RShift, ast.LShift, ast.Sub)):
        return _edge_expr(node.left, variables, data) and _edge_expr(node.right, variables,
                                                                     data)
    if isinstance(node, ast.Name):
        return node.id in variables
    return _call(node, {"Edge"}, data)


@lru_cache(maxsize=1)
def check_program(source: str) -> ast.Module:
    """The parsed program, if every statement is one the compiler writes (see compile.py);
    else NotCompilerOutput naming the first that is not. The last program checked is kept:
    compile_blueprint checks what it writes, and a render runs it right after (the tree is
    only read: compiled, never changed)."""
    try:
        with AST_LOCK:
            tree = ast.parse(source)
    except SyntaxError as exc:
        raise NotCompilerOutput(f"not a Python program ({exc.msg})") from None
    imported: set[str] = set()
    data: set[str] = set()
    body = list(tree.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the fixed docstring
    diagram: ast.With | None = None
    for stmt in body:
        if isinstance(stmt, ast.ImportFrom):
            if stmt.level or stmt.module is None or not (
                    stmt.module == "diagrams" or stmt.module.startswith("diagrams.")):
                _refuse(stmt)
            imported |= {a.asname or a.name for a in stmt.names}
        elif isinstance(stmt, ast.Import):
            if [(a.name, a.asname) for a in stmt.names] not in ([("os", None)],
                                                                [("diagrams", None)]):
                _refuse(stmt)
        elif isinstance(stmt, ast.Assign):
            target = stmt.targets[0]
            if len(stmt.targets) != 1 or not isinstance(target, ast.Name):
                _refuse(stmt)
            assert isinstance(target, ast.Name)
            if target.id == "RESOURCES":
                if ast.unparse(stmt) != _RESOURCES_LINE:
                    _refuse(stmt)
            elif not ((target.id.startswith("STYLE_") or target.id == "EDGE_TEXT")
                      and _constant(stmt.value, data)):
                _refuse(stmt)
            data.add(target.id)
        elif isinstance(stmt, ast.With) and diagram is None:
            diagram = stmt
        else:
            _refuse(stmt)
    if diagram is None or len(diagram.items) != 1 or diagram.items[0].optional_vars is not None \
            or not _call(diagram.items[0].context_expr, {"Diagram"}, data):
        raise NotCompilerOutput("no `with Diagram(...)` block of constants")
    callables = imported | {"Node"}
    variables: set[str] = set()

    def block(stmts: list[ast.stmt]) -> None:
        for stmt in stmts:
            if isinstance(stmt, ast.With):
                if len(stmt.items) != 1 or stmt.items[0].optional_vars is not None \
                        or not _call(stmt.items[0].context_expr, {"Cluster"}, data):
                    _refuse(stmt)
                block(stmt.body)
            elif isinstance(stmt, ast.Assign):
                target = stmt.targets[0]
                if not (len(stmt.targets) == 1 and isinstance(target, ast.Name)
                        and target.id not in callables | data
                        and _call(stmt.value, callables, data)):
                    _refuse(stmt)
                assert isinstance(target, ast.Name)
                variables.add(target.id)
            elif isinstance(stmt, ast.Expr) and _edge_expr(stmt.value, variables, data):
                continue
            else:
                _refuse(stmt)

    block(diagram.body)
    return tree


# -- running it --------------------------------------------------------------------------------


def _diagrams_module(found: list[Graph]) -> types.ModuleType:
    """diagrams as the program sees it: the real package, but its Diagram hands the graph
    over at the end of the `with` block (into `found`) instead of running dot."""
    import diagrams

    class Diagram(diagrams.Diagram):  # type: ignore[misc]
        def __exit__(self, *exc: object) -> None:
            diagrams.setdiagram(None)
            if exc[0] is None:
                formats = self.outformat if isinstance(self.outformat, list) else [
                    self.outformat]
                found.append(Graph(self.filename, tuple(formats), self.dot.source))

    module = types.ModuleType("diagrams")
    module.__dict__.update(diagrams.__dict__)
    module.Diagram = Diagram  # type: ignore[attr-defined]
    return module


def graph_of(source: str) -> Graph:
    """Run a compiled program here and return the graph its Diagram built. NotCompilerOutput
    if the program is not one the compiler writes; the program's own exceptions pass."""
    tree = check_program(source)
    with AST_LOCK:
        code = compile(tree, "<archgen program>", "exec")
    found: list[Graph] = []
    ours = _diagrams_module(found)

    def restricted_import(name: str, globals: Any = None, locals: Any = None,
                          fromlist: Any = (), level: int = 0) -> types.ModuleType:
        if name == "diagrams":
            return ours
        if name == "os" or name.startswith("diagrams."):
            return importlib.import_module(name)
        raise ImportError(f"the program may import only diagrams and os, not {name}")

    namespace: dict[str, Any] = {"__builtins__": {"__import__": restricted_import},
                                 "__name__": "__main__"}
    # A context of its own: diagrams keeps the open diagram and cluster in context variables,
    # and renders run side by side in threads.
    contextvars.Context().run(exec, code, namespace)
    if len(found) != 1:
        raise NotCompilerOutput("the program drew no diagram")
    return found[0]

