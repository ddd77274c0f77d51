"""Reading YAML as a node tree with line numbers.

ruamel.yaml's safe composer (C extension when installed) keeps every node's
position and is ~15x faster than the round-trip loader on large sources; the
comments it drops are recovered from the raw lines by :func:`comments_above`.
Every problem becomes a :class:`PipelineError` naming ``file:line``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any

# The node classes are light; the YAML() factory is imported lazily below.
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from i18n_pipeline.errors import PipelineError

_NULL = "tag:yaml.org,2002:null"
#: How :func:`plain` reads a scalar of each tag; any other scalar is its text.
_SCALARS: dict[str, Callable[[str], Any]] = {
    _NULL: lambda value: None,
    "tag:yaml.org,2002:bool": lambda value: value.lower() in ("true", "yes", "on"),
    "tag:yaml.org,2002:int": lambda value: int(value.replace("_", ""), 0),
    "tag:yaml.org,2002:float": float,
}
#: Parser messages that, in hand-written documents, nearly always mean a misindented line or an unquoted ': '.
_INDENTATION_SYMPTOMS = ("mapping values are not allowed", "did not find expected", "expected <block end>", "could not find expected ':'")


def compose(text: str, path: str) -> Node | None:
    """Parse ``text`` into a node tree; syntax errors name ``path:line:column``."""
    import warnings

    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, ReusedAnchorWarning, YAMLError
    from ruamel.yaml.reader import ReaderError

    yaml = YAML(typ="safe", pure=False)
    try:
        with warnings.catch_warnings():
            # YAML allows redefining an anchor (the later one wins); ruamel's multi-line
            # warning about it would break the one-line output of every command.
            warnings.simplefilter("ignore", ReusedAnchorWarning)
            root: Node | None = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem_text = exc.problem or ""
        at_end = getattr(exc.problem_mark, "index", None)
        if exc.context_mark is not None and (
            "end of stream" in problem_text
            or "<stream end>" in problem_text
            or (isinstance(at_end, int) and at_end >= len(text.rstrip()))
        ):
            mark = exc.context_mark  # where the unclosed thing started is what to fix
        problem = f"{exc.problem} ({exc.context})" if exc.context and exc.problem else exc.problem or exc.context or "invalid YAML"
        if "duplicate anchor" in (exc.context or "") and exc.context_mark is not None:
            # libyaml's wording ("second occurrence (found duplicate anchor; first occurrence)").
            problem = f"anchor defined twice (first at line {exc.context_mark.line + 1})"
        problem = " ".join(problem.split())
        if any(symptom in problem for symptom in _INDENTATION_SYMPTOMS):
            problem += "; check the indentation of this line and the line above, or quote a value containing ': '"
        raise PipelineError(
            f"YAML syntax error: {problem}",
            path,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from exc
    except ReaderError as exc:
        # Its str() spans two lines and names "<unicode string>"; say it once, with a position.
        position = exc.position if isinstance(exc.position, int) else 0
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        character = exc.character if isinstance(exc.character, int) else 0
        raise PipelineError(
            f"YAML syntax error: character U+{character:04X} is not allowed in YAML ({exc.reason})",
            path,
            line=line,
            column=column,
        ) from exc
    except YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PipelineError(f"YAML syntax error: {first}", path) from exc
    except RecursionError:
        raise PipelineError(f"YAML is nested too deeply (more than {MAX_DEPTH} levels)", path) from None
    _check_aliases(root, path)
    return root


#: Nodes a document may expand to through aliases; a "billion laughs" file stops here.
MAX_EXPANDED_NODES = 1_000_000
#: Nesting levels allowed. Real files use fewer than ten; the limit keeps every later
#: recursive walk (e.g. :func:`plain`) far from Python's recursion limit, whichever parser
#: (C or pure Python) composed the tree.
MAX_DEPTH = 100


def _check_aliases(root: Node | None, path: str) -> None:
    """Reject alias cycles and alias bombs before anything walks the tree recursively.

    The composer shares one node object per anchor, so a ``&x [*x]`` list
    contains itself and a chain of anchors can stand for billions of nodes.
    One iterative pass computes each distinct node's expanded size.
    """
    if root is None:
        return
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if len(on_path) > MAX_DEPTH:
            raise PipelineError(f"YAML is nested too deeply (more than {MAX_DEPTH} levels)", path, line_of(node))
        ident = id(node)
        if not isinstance(node, (MappingNode, SequenceNode)):
            sizes[ident] = 1
            continue
        children: list[Node] = (
            [part for pair in node.value for part in pair] if isinstance(node, MappingNode) else list(node.value)
        )
        if children_done:
            on_path.discard(ident)
            sizes[ident] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[ident] > MAX_EXPANDED_NODES:
                raise PipelineError("YAML aliases expand to too much data (more than a million values)", path, line_of(node))
        elif ident in on_path:
            raise PipelineError("YAML alias refers to a structure that contains it (a cycle)", path, line_of(node))
        elif ident not in sizes:
            on_path.add(ident)
            stack.append((node, True))
            for child in children:
                if type(child) is ScalarNode and len(on_path) <= MAX_DEPTH:
                    sizes[id(child)] = 1  # most nodes: settled here rather than through the stack
                elif id(child) not in sizes:
                    stack.append((child, False))


def read_text(path: Path, shown: str) -> str:
    return decode(read_bytes(path, shown), shown)


def read_bytes(path: Path, shown: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PipelineError(f"cannot read file: {exc.strerror}", shown) from exc


def decode(data: bytes, shown: str) -> str:
    """A source's text: UTF-8, with or without a byte-order mark."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PipelineError("file is not valid UTF-8", shown, line=line) from exc


def line_of(node: Node) -> int:
    """1-based line where ``node`` starts."""
    line: int = node.start_mark.line
    return line + 1


def mapping_items(
    node: Node, path: str, what: str, allowed: Collection[str] | None = None, required: dict[str, str] | None = None
) -> dict[str, tuple[Node, Node]]:
    """A mapping's entries by key, rejecting duplicates, (optionally) unknown keys, and missing ``required`` ones.

    ``required`` maps each key the mapping must have to a hint for the error ("" for none).
    """
    if not isinstance(node, MappingNode):
        raise PipelineError(f"{what} must be a mapping, not {describe(node)}", path, line_of(node))
    out: dict[str, tuple[Node, Node]] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise PipelineError(f"{what} has a non-text key", path, line_of(key_node))
        key = str(key_node.value)
        if key in out:
            raise PipelineError(f"duplicate key '{key}' in {what} (first at line {line_of(out[key][0])})", path, line_of(key_node))
        if allowed is not None and key not in allowed:
            raise PipelineError(f"unknown key '{key}' in {what}{suggest(key, allowed)}", path, line_of(key_node))
        out[key] = (key_node, value_node)
    for key, hint in (required or {}).items():
        if key not in out:
            raise PipelineError(f"missing required field '{key}' in {what}{hint}", path, line_of(node))
    return out


def refuse_duplicate_keys(node: Node | None, path: str, what: str) -> None:
    """A key given twice anywhere in ``node`` is an error: YAML would silently keep one of the two values."""
    stack: list[tuple[Node, str]] = [(node, what)] if node is not None else []
    while stack:
        current, where = stack.pop()
        children: list[tuple[Node, str]] = []
        if isinstance(current, MappingNode):
            first: dict[str, Node] = {}
            for key_node, value_node in current.value:
                key = str(key_node.value) if isinstance(key_node, ScalarNode) else None
                if key is not None and key in first:
                    raise PipelineError(f"duplicate key '{key}' in {where} (first at line {line_of(first[key])})", path, line_of(key_node))
                if key is not None:
                    first[key] = key_node
                children.append((value_node, f"'{key}'" if where == what else f"{where[:-1]}.{key}'"))
        elif isinstance(current, SequenceNode):
            children = [(child, where) for child in current.value]
        stack.extend(reversed(children))  # the first duplicate in the file is the one named


def suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f" (expected one of: {', '.join(sorted(choices))})"


def describe(node: Node | None) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node is None or (isinstance(node, ScalarNode) and node.tag == _NULL):
        return "empty"
    value = str(node.value)
    return f"'{value[:40]}…'" if len(value) > 40 else f"'{value}'"


def is_null(node: Node | None) -> bool:
    return node is None or (isinstance(node, ScalarNode) and node.tag == _NULL and node.value in ("", "~", "null", "Null", "NULL"))


def text(node: Node, path: str, what: str) -> str:
    """A scalar's source text exactly as written (``2023`` stays ``"2023"``); empty is an error."""
    if is_null(node):
        raise PipelineError(f"{what} is empty", path, line_of(node))
    if not isinstance(node, ScalarNode):
        raise PipelineError(f"{what} must be text, not {describe(node)}", path, line_of(node))
    return str(node.value)


def plain(node: Node | None) -> Any:
    """Convert a node to plain Python data (for configuration values)."""
    if node is None:
        return None
    if isinstance(node, MappingNode):
        return {str(k.value): plain(v) for k, v in node.value}
    if isinstance(node, SequenceNode):
        return [plain(v) for v in node.value]
    convert = _SCALARS.get(node.tag or "")
    try:
        return node.value if convert is None else convert(node.value)
    except ValueError:  # an int or float YAML 1.1 spells differently (017, .inf): kept as written
        return node.value


def comments_above(lines: list[str], line: int) -> list[str]:
    """YAML ``#`` comment lines directly above 1-based ``line`` (no blank line between)."""
    found: list[str] = []
    index = line - 2
    while index >= 0:
        stripped = lines[index].strip()
        if not stripped.startswith("#"):
            break
        found.append(stripped.lstrip("#").strip())
        index -= 1
    found.reverse()
    return [c for c in found if c]


__all__ = ["MappingNode", "Node", "ScalarNode", "SequenceNode"]  # ruamel's node classes, named through this module
