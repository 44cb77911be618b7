"""The Jsonnet engines: go-jsonnet (the reference) and rjsonnet, behind one call."""

from __future__ import annotations

from collections.abc import Callable

from amber.compiler.jsonnet.imports import Importer

EngineCall = Callable[[str, Importer, dict[str, str], int], str]


def _go(entry: str, importer: Importer, ext_vars: dict[str, str], max_stack: int) -> str:
    import _gojsonnet

    # evaluate_snippet with bytes we read ourselves: the entry file is confined and recorded
    # like every import, and what we hash is exactly what the engine saw.
    source = importer.read(entry).decode("utf-8")
    nul = source.find("\0")
    if nul >= 0:  # the binding passes the source as a C string; say what go-jsonnet's lexer says
        line, col = source.count("\n", 0, nul) + 1, nul - source.rfind("\n", 0, nul)
        raise RuntimeError(f"{entry}:{line}:{col} Could not lex the character '\\x00'")
    return str(
        _gojsonnet.evaluate_snippet(
            entry,
            source,
            ext_vars=ext_vars,
            max_stack=max_stack,
            import_callback=importer.callback,
        )
    )


def _rust(entry: str, importer: Importer, ext_vars: dict[str, str], max_stack: int) -> str:
    import rjsonnet

    def callback(directory: str, rel: str) -> tuple[str, str]:
        # rjsonnet asks for the entry file through the callback too, and wants text.
        if directory == "." and rel == entry:
            return entry, importer.read(entry).decode("utf-8")
        found = importer.callback(directory, rel)
        if found is None:
            raise RuntimeError("import refused")  # importer.problem says why
        return found[0], found[1].decode("utf-8")

    return str(
        rjsonnet.evaluate_file(
            entry,
            ext_vars=ext_vars,
            max_stack=max_stack,
            import_callback=callback,
        )
    )


ENGINES: dict[str, EngineCall] = {"go": _go, "rust": _rust}


def missing_engine(engine: str) -> str:
    package = "gojsonnet" if engine == "go" else "rjsonnet"
    extra = "compiler" if engine == "go" else "rust"
    return (
        f"the {engine!r} Jsonnet engine is not installed "
        f"(pip install 'amber-config[{extra}]' provides {package})"
    )
