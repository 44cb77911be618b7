"""The Jsonnet engines: go-jsonnet (the reference) and rjsonnet, behind one call."""

from __future__ import annotations

from collections.abc import Callable

from amber.compiler.arguments import Arguments
from amber.compiler.jsonnet.imports import Importer, Refused
from amber.compiler.jsonnet.natives import NATIVES

EngineCall = Callable[[str, Importer, Arguments, int], str]


def _go(entry: str, importer: Importer, arguments: Arguments, max_stack: int) -> str:
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
            ext_vars=arguments.ext_vars,
            ext_codes=arguments.ext_code,
            tla_vars=arguments.tla_vars,
            tla_codes=arguments.tla_code,
            max_stack=max_stack,
            import_callback=importer.callback,
            native_callbacks=NATIVES,
        )
    )


def _rust(entry: str, importer: Importer, arguments: Arguments, max_stack: int) -> str:
    import rjsonnet

    def callback(directory: str, rel: str) -> tuple[str, str]:
        # rjsonnet asks for the entry file through the callback too, and wants text.
        if directory == "." and rel == entry:
            return entry, importer.read(entry).decode("utf-8")
        found = importer.callback(directory, rel)
        if found is None:
            raise RuntimeError("import refused")  # importer.problem says why
        try:
            return found[0], found[1].decode("utf-8")
        except UnicodeDecodeError:  # importbin of binary data
            importer.refuse(
                directory,
                rel,
                Refused(
                    f"importbin of {rel}, which is not text, needs the go engine "
                    "(rjsonnet's import callback takes text)",
                    file=found[0],
                ),
            )
            raise RuntimeError("import refused") from None

    try:
        return str(
            rjsonnet.evaluate_file(
                entry,
                ext_vars=arguments.ext_vars,
                ext_codes=arguments.ext_code,
                tla_vars=arguments.tla_vars,
                tla_codes=arguments.tla_code,
                max_stack=max_stack,
                import_callback=callback,
                native_callbacks=NATIVES,
            )
        )
    except BaseException as exc:  # a Rust panic is a BaseException (pyo3's PanicException)
        if type(exc).__name__ != "PanicException":
            raise
        raise RuntimeError(f"the rust engine panicked: {exc}") from None


ENGINES: dict[str, EngineCall] = {"go": _go, "rust": _rust}


def missing_engine(engine: str) -> str:
    package = "gojsonnet" if engine == "go" else "rjsonnet"
    extra = "compiler" if engine == "go" else "rust"
    return (
        f"the {engine!r} Jsonnet engine is not installed "
        f"(pip install 'amber-config[{extra}]' provides {package})"
    )
