"""joinup for Python: rules about public-service partnerships, through the C API (ctypes only).

    import joinup

    with joinup.Policy.standard() as policy, joinup.Document.parse(text, origin="plan.yaml") as doc:
        result = policy.evaluate(doc, as_of="2026-11-21")
        if result.fails("error"):
            for v in result.violations:
                print(f"{v.data_file}:{v.data_line}:{v.data_column}: {v.severity}: {v.rule_id}: {v.message}")
        sarif = result.report("sarif")

Policies, documents, waivers and results hold library memory: use them as context managers (or
call close()); the garbage collector frees them otherwise. A result is lazy: its counts are read at
once, each violation is rendered when it is first read, and each report when it is first asked
for. Errors raise joinup.Error (or one of its subclasses) carrying the status, message, origin,
line, column and every diagnostic; str() of an error is what the `joinup` command prints.

The library (libjoinup.so.<ABI>) is found, in this order: at the path in the JOINUP_LIBRARY
environment variable when it is set; beside the installed package (where `cmake --install` put
both); on the system's library path. When none has it, importing joinup raises ImportError
naming every place it looked.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import decimal
import math
import os
import threading
from ctypes import POINTER, Structure, byref, c_char_p, c_double, c_int, c_int64, c_size_t, c_uint32, c_uint64, c_void_p
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union, overload

ABI_VERSION = 0

__all__ = [
    "ABI_VERSION", "Error", "RuleError", "DataError", "LimitError", "Diagnostic", "Rule", "Policy", "Document",
    "Waivers", "WaiverOutcome", "Result", "Summary", "Violation", "ExplanationEntry", "RuleOutcome",
    "report_formats", "version",
]

# ---------------------------------------------------------------------------------------------
# The C declarations (bindings/c/joinup.h)
# ---------------------------------------------------------------------------------------------

_NUL_TERMINATED = ctypes.c_size_t(-1).value
_SEVERITIES = ("error", "warning", "info")
_OUTCOMES = ("pass", "fail", "undetermined", "not-applicable")
_LEVELS = ("error", "warning", "note")
_FORMATS = {"auto": 0, "yaml": 1, "json": 2}

OK, ERROR, MISUSE, NO_MEMORY, INVALID_ARGUMENT, INVALID_UTF8, NOT_FOUND, RULE_ERROR, UNSUPPORTED, DATA_ERROR, \
    TOO_LARGE, TOO_DEEP, STEP_LIMIT, UNKNOWN_RULE, MEMORY_LIMIT = range(15)


class _Diagnostic(Structure):
    _fields_ = [("level", c_int), ("code", c_char_p), ("message", c_char_p), ("origin", c_char_p),
                ("line", c_uint32), ("column", c_uint32), ("length", c_uint32), ("source_line", c_char_p),
                ("help", c_char_p), ("rendered", c_char_p)]


class _CompileOptions(Structure):
    _fields_ = [("struct_size", c_size_t), ("max_file_bytes", c_uint64), ("max_expression_depth", c_uint32)]


class _RuleText(Structure):
    _fields_ = [("origin", c_char_p), ("text", c_char_p), ("length", c_size_t)]


class _Rule(Structure):
    _fields_ = [("id", c_char_p), ("package", c_char_p), ("short_id", c_char_p), ("title", c_char_p),
                ("severity", c_int), ("tag_count", c_size_t), ("tags", POINTER(c_char_p)), ("source", c_char_p),
                ("rationale", c_char_p), ("remedy", c_char_p), ("file", c_char_p), ("line", c_uint32),
                ("column", c_uint32), ("text", c_char_p)]


class _LoadOptions(Structure):
    _fields_ = [("struct_size", c_size_t), ("max_depth", c_uint32), ("max_bytes", c_uint64),
                ("max_string_bytes", c_uint64)]


class _EvaluateOptions(Structure):
    _fields_ = [("struct_size", c_size_t), ("as_of", c_char_p), ("undetermined_fails", c_int),
                ("only", POINTER(c_char_p)), ("only_count", c_size_t), ("tags", POINTER(c_char_p)),
                ("tag_count", c_size_t), ("max_steps", c_uint64), ("max_regex_bytes", c_uint64),
                ("max_string_bytes", c_uint64), ("waivers", c_void_p), ("max_memory_bytes", c_uint64)]


class _Summary(Structure):
    _fields_ = [("rules", c_uint32), ("passed", c_uint32), ("failed", c_uint32), ("undetermined", c_uint32),
                ("not_applicable", c_uint32), ("violations", c_uint32), ("undetermined_subjects", c_uint32),
                ("failed_by_severity", c_uint32 * 3), ("findings", c_uint32), ("findings_by_severity", c_uint32 * 3),
                ("waived", c_uint32), ("waived_findings", c_uint32)]


class _WaiverOutcome(Structure):
    _fields_ = [("rule", c_char_p), ("subject", c_char_p), ("reason", c_char_p), ("approved_by", c_char_p),
                ("expires", c_char_p), ("origin", c_char_p), ("line", c_uint32), ("column", c_uint32),
                ("state", c_int), ("matched", c_uint32), ("note", c_char_p)]


class _ExplanationEntry(Structure):
    _fields_ = [("expression", c_char_p), ("value", c_char_p)]


class _Violation(Structure):
    _fields_ = [("rule_id", c_char_p), ("severity", c_int), ("outcome", c_int), ("message", c_char_p),
                ("subject", c_char_p), ("data_file", c_char_p), ("data_line", c_uint32), ("data_column", c_uint32),
                ("rule_file", c_char_p), ("rule_line", c_uint32), ("rule_column", c_uint32), ("clause", c_char_p),
                ("require_text", c_char_p), ("explanation_count", c_size_t),
                ("explanation", POINTER(_ExplanationEntry)), ("remedy", c_char_p), ("waived", c_int),
                ("waiver_reason", c_char_p)]


class _RuleOutcome(Structure):
    _fields_ = [("rule_id", c_char_p), ("severity", c_int), ("outcome", c_int), ("subjects", c_uint32),
                ("first_violation", c_size_t), ("violation_count", c_size_t)]


_LIBRARY_NAME = f"libjoinup.so.{ABI_VERSION}"


def _library_candidates() -> List[Tuple[str, str]]:
    """Where the library may be, in the order tried: (path or name, how to say where that is)."""
    candidates = []
    explicit = os.environ.get("JOINUP_LIBRARY")
    if explicit:
        return [(explicit, f"{explicit} (JOINUP_LIBRARY)")]
    try:
        from . import _location  # written by cmake --install beside the installed package
    except ImportError:
        _location = None
    if _location is not None:
        here = os.path.dirname(os.path.abspath(__file__))
        relative = os.path.normpath(os.path.join(here, _location.RELATIVE))
        for path in dict.fromkeys([relative, _location.ABSOLUTE]):
            candidates.append((path, path))
    candidates.append((_LIBRARY_NAME, "the system's library path"))
    return candidates


def _open_library() -> ctypes.CDLL:
    tried = []
    for path, where in _library_candidates():
        if os.sep in path and not os.path.exists(path):
            tried.append(where)
            continue
        try:
            return ctypes.CDLL(path)
        except OSError:
            tried.append(where)
    looked = ", ".join(tried[:-1]) + (" and " if len(tried) > 1 else "") + tried[-1]
    raise ImportError(f"joinup cannot find its library {_LIBRARY_NAME}: it looked in {looked}; install joinup "
                      f"with `cmake --install`, or set JOINUP_LIBRARY to the library's path.")


def _load_library() -> ctypes.CDLL:
    lib = _open_library()
    P, E = c_void_p, POINTER(c_void_p)
    signatures = {
        "joinup_version": (c_char_p, []),
        "joinup_abi_version": (c_int, []),
        "joinup_status_text": (c_char_p, [c_int]),
        "joinup_error_status": (c_int, [P]),
        "joinup_error_text": (c_char_p, [P]),
        "joinup_error_diagnostic_count": (c_int, [P, POINTER(c_size_t)]),
        "joinup_error_diagnostic": (c_int, [P, c_size_t, POINTER(POINTER(_Diagnostic))]),
        "joinup_error_free": (None, [P]),
        "joinup_compile_options_init": (None, [POINTER(_CompileOptions)]),
        "joinup_policy_compile_texts": (c_int, [POINTER(_RuleText), c_size_t, POINTER(_CompileOptions), E, E]),
        "joinup_policy_load": (c_int, [POINTER(c_char_p), c_size_t, POINTER(_CompileOptions), E, E]),
        "joinup_policy_load_standard": (c_int, [POINTER(_CompileOptions), E, E]),
        "joinup_policy_free": (None, [P]),
        "joinup_policy_rule_count": (c_int, [P, POINTER(c_size_t)]),
        "joinup_policy_rule": (c_int, [P, c_size_t, POINTER(POINTER(_Rule))]),
        "joinup_policy_note_count": (c_int, [P, POINTER(c_size_t)]),
        "joinup_policy_note": (c_int, [P, c_size_t, POINTER(POINTER(_Diagnostic))]),
        "joinup_load_options_init_sized": (None, [POINTER(_LoadOptions), c_size_t]),
        "joinup_document_parse": (c_int, [c_char_p, c_size_t, c_char_p, c_int, POINTER(_LoadOptions), E, E]),
        "joinup_document_load_file": (c_int, [c_char_p, c_int, POINTER(_LoadOptions), E, E]),
        "joinup_document_free": (None, [P]),
        "joinup_builder_new": (c_int, [c_char_p, POINTER(_LoadOptions), E]),
        "joinup_builder_free": (None, [P]),
        "joinup_builder_message": (c_char_p, [P]),
        "joinup_builder_begin_map": (c_int, [P]),
        "joinup_builder_begin_list": (c_int, [P]),
        "joinup_builder_key": (c_int, [P, c_char_p, c_size_t]),
        "joinup_builder_end": (c_int, [P]),
        "joinup_builder_null": (c_int, [P]),
        "joinup_builder_bool": (c_int, [P, c_int]),
        "joinup_builder_int": (c_int, [P, c_int64]),
        "joinup_builder_number": (c_int, [P, c_double]),
        "joinup_builder_string": (c_int, [P, c_char_p, c_size_t]),
        "joinup_builder_date": (c_int, [P, c_char_p]),
        "joinup_builder_finish": (c_int, [P, E, E]),
        "joinup_evaluate_options_init_sized": (None, [POINTER(_EvaluateOptions), c_size_t]),
        "joinup_waivers_parse": (c_int, [c_char_p, c_size_t, c_char_p, E, E]),
        "joinup_waivers_load_file": (c_int, [c_char_p, E, E]),
        "joinup_waivers_count": (c_int, [P, POINTER(c_size_t)]),
        "joinup_waivers_free": (None, [P]),
        "joinup_result_fails": (c_int, [P, c_int, POINTER(c_int)]),
        "joinup_result_waiver_count": (c_int, [P, POINTER(c_size_t)]),
        "joinup_result_waiver": (c_int, [P, c_size_t, POINTER(POINTER(_WaiverOutcome))]),
        "joinup_report_format": (c_int, [c_size_t, POINTER(c_char_p)]),
        "joinup_result_report": (c_int, [P, c_char_p, POINTER(c_char_p)]),
        "joinup_policy_evaluate": (c_int, [P, P, POINTER(_EvaluateOptions), E, E]),
        "joinup_result_summary": (c_int, [P, POINTER(POINTER(_Summary))]),
        "joinup_result_violation_count": (c_int, [P, POINTER(c_size_t)]),
        "joinup_result_violation": (c_int, [P, c_size_t, POINTER(POINTER(_Violation))]),
        "joinup_result_rule_count": (c_int, [P, POINTER(c_size_t)]),
        "joinup_result_rule": (c_int, [P, c_size_t, POINTER(POINTER(_RuleOutcome))]),
        "joinup_result_as_of": (c_int, [P, POINTER(c_char_p)]),
        "joinup_result_free": (None, [P]),
    }
    for name, (restype, argtypes) in signatures.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    if lib.joinup_abi_version() != ABI_VERSION:
        raise ImportError(f"libjoinup has ABI {lib.joinup_abi_version()}, this binding needs {ABI_VERSION}")
    return lib


_lib = _load_library()


def _s(b: Optional[bytes]) -> str:
    return b.decode("utf-8") if b else ""


def _b(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def _cstr(s: str, what: str) -> bytes:
    """A string passed to the library as a NUL-terminated C string: one with a NUL in it would be
    cut short there (a path 'a.yaml\0/../x' read as 'a.yaml'), so it is refused."""
    data = _b(s)
    if b"\0" in data:
        raise ValueError(f"{what} contains a NUL character: {s!r}")
    return data


def _path(path: Union[str, "os.PathLike[str]"]) -> bytes:
    p = os.fspath(path)
    if isinstance(p, bytes):
        if b"\0" in p:
            raise ValueError(f"the path contains a NUL character: {p!r}")
        return p
    return _cstr(p, "the path")


def _format(format: str) -> int:
    if format not in _FORMATS:
        raise ValueError(f"unknown data format {format!r}: expected one of {', '.join(_FORMATS)}")
    return _FORMATS[format]


def version() -> str:
    """The library's version, "MAJOR.MINOR.PATCH"."""
    return _s(_lib.joinup_version())


def report_formats() -> Tuple[str, ...]:
    """The report formats of `joinup check --format` the library has: "text", "json", "sarif", ..."""
    names = []
    name = c_char_p()
    while _lib.joinup_report_format(len(names), byref(name)) == OK:
        names.append(_s(name.value))
    return tuple(names)


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Diagnostic:
    """One problem found in rules or data, or a note about them (level "note"), with where it is."""
    level: str
    code: str
    message: str
    origin: str
    line: int
    column: int
    source_line: str
    help: str
    rendered: str


def _diagnostic(c: _Diagnostic) -> Diagnostic:
    return Diagnostic(_LEVELS[c.level] if 0 <= c.level < 3 else "error", _s(c.code), _s(c.message), _s(c.origin),
                      c.line, c.column, _s(c.source_line), _s(c.help), _s(c.rendered))


class Error(Exception):
    """A call into the library failed. `status` is the C status code, `status_text` its text;
    `message`, `origin`, `line` and `column` are those of the first diagnostic, `diagnostics`
    holds all of them, and `text` (also what str() gives) every diagnostic as the `joinup`
    command prints it: location, the source line, a caret under the spot, and the help."""

    def __init__(self, status: int, diagnostics: Sequence[Diagnostic] = (), text: str = ""):
        self.status = status
        self.status_text = _s(_lib.joinup_status_text(status))
        self.diagnostics = list(diagnostics)
        first = self.diagnostics[0] if self.diagnostics else None
        self.message = first.message if first else self.status_text
        self.origin = first.origin if first else ""
        self.line = first.line if first else 0
        self.column = first.column if first else 0
        where = self.origin + (f":{self.line}:{self.column}" if self.line else "")
        self.text = text.rstrip("\n") or (f"{where}: {self.message}" if where else self.message)
        super().__init__(self.text)

    def __str__(self) -> str:
        return self.text


class RuleError(Error):
    """The rules do not compile (or use a form this version does not support)."""


class DataError(Error):
    """The data does not parse or cannot be a document: bad syntax, a duplicate key, invalid UTF-8,
    a number that is NaN or infinite."""


class LimitError(Error):
    """An input or an evaluation exceeded a limit: size, depth, step or memory budget."""


_ERROR_CLASSES = {RULE_ERROR: RuleError, UNSUPPORTED: RuleError, DATA_ERROR: DataError, INVALID_UTF8: DataError,
                  TOO_LARGE: LimitError, TOO_DEEP: LimitError, STEP_LIMIT: LimitError,
                  MEMORY_LIMIT: LimitError}


def _raise(status: int, err: c_void_p) -> None:
    """Raises the exception for a failed call, taking (and freeing) its error object."""
    diagnostics = []
    text = ""
    if err:
        try:
            n = c_size_t()
            _lib.joinup_error_diagnostic_count(err, byref(n))
            for i in range(n.value):
                d = POINTER(_Diagnostic)()
                if _lib.joinup_error_diagnostic(err, i, byref(d)) == OK:
                    diagnostics.append(_diagnostic(d.contents))
            text = _s(_lib.joinup_error_text(err))
        finally:
            _lib.joinup_error_free(err)
    raise _ERROR_CLASSES.get(status, Error)(status, diagnostics, text)


def _check(status: int, err: Optional[c_void_p] = None) -> None:
    if status != OK:
        _raise(status, err if err is not None else c_void_p())


def _each(handle: Any, count: Any, item: Any, ctype: Any) -> Iterator[Any]:
    """The structs a handle lists through a count function and an item-by-index function (each
    borrowed from the handle: read them before it is freed)."""
    n = c_size_t()
    _check(count(handle, byref(n)))
    for i in range(n.value):
        p = POINTER(ctype)()
        _check(item(handle, i, byref(p)))
        yield p.contents


# ---------------------------------------------------------------------------------------------
# Handles
# ---------------------------------------------------------------------------------------------

class _Handle:
    """A library handle. Every call that passes it holds it in use (_use()), so that close() from
    another thread never frees it under a running call: the last call to finish frees it then."""
    _free: Any = None

    def __init__(self, handle: c_void_p):
        self._handle: Optional[c_void_p] = handle
        self._lock = threading.Lock()
        self._users = 0
        self._closing = False

    def close(self) -> None:
        """Releases the library's memory now (or, while another thread's call uses it, when that
        call returns); the object may not be used afterwards."""
        lock = getattr(self, "_lock", None)
        if lock is None:  # __init__ did not run to the end
            return
        with lock:
            if not self._handle:
                return
            if self._users:
                self._closing = True
                return
            handle, self._handle = self._handle, None
        type(self)._free(handle)

    @contextlib.contextmanager
    def _use(self) -> Iterator[c_void_p]:
        with self._lock:
            if not self._handle or self._closing:
                raise ValueError(f"{type(self).__name__} is closed")
            self._users += 1
            handle = self._handle
        try:
            yield handle
        finally:
            with self._lock:
                self._users -= 1
                last = self._closing and self._users == 0 and self._handle
                if last:
                    self._handle = None
            if last:
                type(self)._free(handle)

    def __copy__(self) -> Any:
        raise TypeError(f"a joinup.{type(self).__name__.lstrip('_')} cannot be copied: share the object itself")

    def __deepcopy__(self, memo: Any) -> Any:
        raise TypeError(f"a joinup.{type(self).__name__.lstrip('_')} cannot be copied: share the object itself")

    def __reduce__(self) -> Any:
        raise TypeError(f"a joinup.{type(self).__name__.lstrip('_')} cannot be pickled")

    def __enter__(self):
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def _live(self) -> c_void_p:
        if not self._handle or self._closing:
            raise ValueError(f"{type(self).__name__} is closed")
        return self._handle


def _unsigned(name: str, n: Any, bits: int) -> int:
    """A limit as the C ABI takes it: a whole number from 0 to 2**bits - 1, never wrapped."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{name} must be an int, not {type(n).__name__}")
    if n < 0:
        raise ValueError(f"{name} must not be negative (got {n})")
    if n >= 2**bits:
        raise OverflowError(f"{name} must be less than 2**{bits} (got {n})")
    return n


def _uint64(name: str, n: Any) -> int:
    return _unsigned(name, n, 64)


def _uint32(name: str, n: Any) -> int:
    return _unsigned(name, n, 32)


def _compile_options(max_file_bytes: Optional[int], max_expression_depth: Optional[int]) -> Any:
    if max_file_bytes is None and max_expression_depth is None:
        return None
    o = _CompileOptions()
    _lib.joinup_compile_options_init(byref(o))
    if max_file_bytes is not None:
        o.max_file_bytes = _uint64("max_file_bytes", max_file_bytes)
    if max_expression_depth is not None:
        o.max_expression_depth = _uint32("max_expression_depth", max_expression_depth)
    return byref(o)


def _load_options(max_depth: Optional[int], max_bytes: Optional[int]) -> Any:
    if max_depth is None and max_bytes is None:
        return None
    o = _LoadOptions()
    _lib.joinup_load_options_init_sized(byref(o), ctypes.sizeof(o))
    if max_depth is not None:
        o.max_depth = _uint32("max_depth", max_depth)
    if max_bytes is not None:
        o.max_bytes = _uint64("max_bytes", max_bytes)
    return byref(o)


def _strings(values: Iterable[str]) -> Tuple[Any, int]:
    encoded = [_cstr(v, "a rule id or tag") for v in values]
    return (c_char_p * len(encoded))(*encoded), len(encoded)


@dataclass(frozen=True)
class Rule:
    """A rule of a policy, as written in its file."""
    id: str
    package: str
    short_id: str
    title: str
    severity: str
    tags: Tuple[str, ...]
    source: str
    rationale: str
    remedy: str
    file: str
    line: int
    column: int
    text: str


@dataclass(frozen=True)
class Summary:
    """Counts of a result: rules by outcome, failed rules by severity, findings. A rule whose every
    finding is waived counts as `waived`, not failed or undetermined."""
    rules: int
    passed: int
    failed: int
    undetermined: int
    not_applicable: int
    violations: int
    undetermined_subjects: int
    failed_by_severity: Dict[str, int]
    findings: int
    findings_by_severity: Dict[str, int]
    waived: int = 0
    waived_findings: int = 0


@dataclass(frozen=True)
class ExplanationEntry:
    expression: str
    value: str


@dataclass(frozen=True)
class Violation:
    """A finding: a subject that failed a rule ("fail") or could not be judged ("undetermined")."""
    rule_id: str
    severity: str
    outcome: str
    message: str
    subject: str
    data_file: str
    data_line: int
    data_column: int
    rule_file: str
    rule_line: int
    rule_column: int
    clause: str
    require_text: str
    explanation: Tuple[ExplanationEntry, ...]
    remedy: str
    waived: bool = False
    waiver_reason: str = ""


@dataclass(frozen=True)
class WaiverOutcome:
    """A waiver given to the evaluation and what became of it: "used", "unused", "expired" or
    "not-evaluated" (its rule was left out by `only` or `tags`)."""
    rule: str
    subject: str
    reason: str
    approved_by: str
    expires: str
    origin: str
    line: int
    column: int
    state: str
    matched: int
    note: str


_WAIVER_STATES = ("used", "unused", "expired", "not-evaluated")


class Waivers(_Handle):
    """Accepted exceptions to rules (a waivers file, docs/ci.md), for Policy.evaluate(waivers=...).
    A waived finding is still reported but does not fail the check."""
    _free = _lib.joinup_waivers_free

    @classmethod
    def parse(cls, text: Union[str, bytes], origin: str = "<memory>") -> "Waivers":
        """Parses waivers (YAML, or JSON when `origin` ends in .json); raises DataError with the
        line and column of every problem."""
        data = text if isinstance(text, bytes) else _b(text)
        handle, err = c_void_p(), c_void_p()
        _check(_lib.joinup_waivers_parse(data, len(data), _cstr(origin, "the origin"), byref(handle), byref(err)), err)
        return cls(handle)

    @classmethod
    def load(cls, path: Union[str, "os.PathLike[str]"]) -> "Waivers":
        """Reads a waivers file."""
        handle, err = c_void_p(), c_void_p()
        _check(_lib.joinup_waivers_load_file(_path(path), byref(handle), byref(err)), err)
        return cls(handle)

    def __len__(self) -> int:
        n = c_size_t()
        with self._use() as h:
            _check(_lib.joinup_waivers_count(h, byref(n)))
        return n.value


class _ResultHandle(_Handle):
    """The library's result, shared by a Result and its lazy sequences (none of which refers back
    to the Result, so that dropping the Result frees the library's memory at once)."""
    _free = _lib.joinup_result_free

    def violation(self, index: int) -> Violation:
        with self._use() as h:
            p = POINTER(_Violation)()
            _check(_lib.joinup_result_violation(h, index, byref(p)))
            v = p.contents
            return Violation(
                _s(v.rule_id), _SEVERITIES[v.severity], _OUTCOMES[v.outcome], _s(v.message), _s(v.subject),
                _s(v.data_file), v.data_line, v.data_column, _s(v.rule_file), v.rule_line, v.rule_column,
                _s(v.clause), _s(v.require_text),
                tuple(ExplanationEntry(_s(v.explanation[k].expression), _s(v.explanation[k].value))
                      for k in range(v.explanation_count)),
                _s(v.remedy), bool(v.waived), _s(v.waiver_reason))


class RuleOutcome:
    """The outcome of one evaluated rule; `violations` are its findings (rendered when read)."""

    def __init__(self, violations: "_Violations", rule_id: str, severity: str, outcome: str, subjects: int,
                 first: int, count: int):
        self._violations = violations
        self.rule_id = rule_id
        self.severity = severity
        self.outcome = outcome
        self.subjects = subjects
        self.first_violation = first
        self.violation_count = count

    @property
    def violations(self) -> Tuple[Violation, ...]:
        return tuple(self._violations[self.first_violation:self.first_violation + self.violation_count])

    def __repr__(self) -> str:
        return (f"RuleOutcome(rule_id={self.rule_id!r}, severity={self.severity!r}, outcome={self.outcome!r}, "
                f"subjects={self.subjects}, violations={self.violation_count})")


class _Violations(Sequence[Violation]):
    """A result's findings, each rendered by the library the first time it is read."""

    def __init__(self, handle: _ResultHandle, count: int):
        self._handle = handle
        self._items: List[Optional[Violation]] = [None] * count

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Violation: ...

    @overload
    def __getitem__(self, index: slice) -> List[Violation]: ...

    def __getitem__(self, index: Union[int, slice]) -> Union[Violation, List[Violation]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._items)))]
        if index < 0:
            index += len(self._items)
        if not 0 <= index < len(self._items):
            raise IndexError("violation index out of range")
        item = self._items[index]
        if item is None:
            item = self._items[index] = self._handle.violation(index)
        return item

    def __iter__(self) -> Iterator[Violation]:
        for i in range(len(self._items)):
            yield self[i]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (_Violations, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __repr__(self) -> str:
        return f"<{len(self._items)} violations>"


class Result:
    """What an evaluation found. The counts are read at once; each violation is rendered when it is
    first read and each report when it is first asked for. The result does not depend on the
    policy or the document staying open. It holds library memory: use it as a context manager
    (or call close()) where many results are made; the garbage collector frees it otherwise."""

    def __init__(self, handle: c_void_p, undetermined_fails: bool = True):
        self._owner = _ResultHandle(handle)
        self.undetermined_fails = undetermined_fails
        s = POINTER(_Summary)()
        _check(_lib.joinup_result_summary(handle, byref(s)))
        c = s.contents
        self.summary = Summary(c.rules, c.passed, c.failed, c.undetermined, c.not_applicable, c.violations,
                               c.undetermined_subjects, dict(zip(_SEVERITIES, c.failed_by_severity)), c.findings,
                               dict(zip(_SEVERITIES, c.findings_by_severity)), c.waived, c.waived_findings)
        as_of = c_char_p()
        _check(_lib.joinup_result_as_of(handle, byref(as_of)))
        self.as_of = _s(as_of.value)
        n = c_size_t()
        _check(_lib.joinup_result_violation_count(handle, byref(n)))
        self.violations: Sequence[Violation] = _Violations(self._owner, n.value)
        self._rules: Optional[Tuple[RuleOutcome, ...]] = None
        self._reports: Dict[str, str] = {}

    def close(self) -> None:
        """Releases the library's memory now; violations not read yet can no longer be."""
        self._owner.close()

    def __enter__(self) -> "Result":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _live(self) -> c_void_p:
        return self._owner._live()

    @property
    def rules(self) -> Tuple[RuleOutcome, ...]:
        """Each evaluated rule's outcome, in rule-set order."""
        if self._rules is None:
            with self._owner._use() as h:
                self._rules = tuple(
                    RuleOutcome(self.violations, _s(r.rule_id), _SEVERITIES[r.severity], _OUTCOMES[r.outcome],
                                r.subjects, r.first_violation, r.violation_count)
                    for r in _each(h, _lib.joinup_result_rule_count, _lib.joinup_result_rule, _RuleOutcome))
        return self._rules

    @property
    def waivers(self) -> Tuple[WaiverOutcome, ...]:
        """What became of each waiver given to the evaluation (empty without waivers)."""
        with self._owner._use() as h:
            return tuple(
                WaiverOutcome(_s(w.rule), _s(w.subject), _s(w.reason), _s(w.approved_by), _s(w.expires), _s(w.origin),
                              w.line, w.column, _WAIVER_STATES[w.state], w.matched, _s(w.note))
                for w in _each(h, _lib.joinup_result_waiver_count, _lib.joinup_result_waiver, _WaiverOutcome))

    def report(self, format: str = "text") -> str:
        """The result as `joinup check --format FORMAT` writes it for this file: one of
        report_formats() ("text", "json", "sarif", "junit", "github", "html", ...)."""
        if format not in self._reports:
            text = c_char_p()
            with self._owner._use() as h:
                status = _lib.joinup_result_report(h, _cstr(format, "format"), byref(text))
                if status == OK:
                    self._reports[format] = _s(text.value)
            if status == INVALID_ARGUMENT:
                raise ValueError(f"unknown report format {format!r}: expected one of {', '.join(report_formats())}")
            _check(status)
        return self._reports[format]

    @property
    def json(self) -> str:
        """The JSON document of `joinup check --format json` (docs/json-output.md)."""
        return self.report("json")

    @property
    def text(self) -> str:
        """The text report of `joinup check`, without colour."""
        return self.report("text")

    def fails(self, threshold: str = "error") -> bool:
        """Whether the check fails at `threshold` (as `joinup check --fail-on`): a finding at or
        above it that counts (undetermined ones unless undetermined_fails=False; waived ones never),
        or an unused or expired waiver when the threshold admits warnings."""
        if threshold not in _SEVERITIES:
            raise ValueError(f"unknown severity {threshold!r}: expected error, warning or info")
        fails = c_int()
        with self._owner._use() as h:
            _check(_lib.joinup_result_fails(h, _SEVERITIES.index(threshold), byref(fails)))
        return bool(fails.value)

    def __repr__(self) -> str:
        s = self.summary
        return f"<joinup.Result as of {self.as_of}: {s.rules} rules, {s.failed} failed, {s.findings} findings>"


class Policy(_Handle):
    """A compiled, immutable rule set; safe to evaluate from several threads at once."""
    _free = _lib.joinup_policy_free

    @classmethod
    def compile(cls, text: str, origin: str = "<memory>", *, max_file_bytes: Optional[int] = None,
                max_expression_depth: Optional[int] = None) -> "Policy":
        """Compiles rule text; raises RuleError with every diagnostic when it has errors."""
        return cls.compile_texts({origin: text}, max_file_bytes=max_file_bytes,
                                 max_expression_depth=max_expression_depth)

    @classmethod
    def compile_texts(cls, texts: Mapping[str, str], *, max_file_bytes: Optional[int] = None,
                      max_expression_depth: Optional[int] = None) -> "Policy":
        """Compiles several rule texts, {origin: text}, into one policy."""
        encoded = [(_cstr(o, "the origin"), _b(t)) for o, t in texts.items()]
        array = (_RuleText * len(encoded))(*[_RuleText(o, t, len(t)) for o, t in encoded])
        handle, err = c_void_p(), c_void_p()
        _check(_lib.joinup_policy_compile_texts(array, len(encoded), _compile_options(max_file_bytes,
                                                max_expression_depth), byref(handle), byref(err)), err)
        return cls(handle)

    @classmethod
    def load(cls, *paths: Union[str, "os.PathLike[str]"], max_file_bytes: Optional[int] = None,
             max_expression_depth: Optional[int] = None) -> "Policy":
        """Reads rule files and directories. A YAML file in a directory that is not a rule file by
        its content (a data or waivers file) is skipped, with a note in `notes`."""
        encoded = [_path(p) for p in paths]
        array, n = (c_char_p * len(encoded))(*encoded), len(encoded)
        handle, err = c_void_p(), c_void_p()
        _check(_lib.joinup_policy_load(array, n, _compile_options(max_file_bytes, max_expression_depth),
                                       byref(handle), byref(err)), err)
        return cls(handle)

    @classmethod
    def standard(cls) -> "Policy":
        """The standard rule pack (JOINUP_RULES, or the installed pack)."""
        handle, err = c_void_p(), c_void_p()
        _check(_lib.joinup_policy_load_standard(None, byref(handle), byref(err)), err)
        return cls(handle)

    @property
    def rules(self) -> List[Rule]:
        with self._use() as h:
            return [Rule(_s(c.id), _s(c.package), _s(c.short_id), _s(c.title), _SEVERITIES[c.severity],
                         tuple(_s(c.tags[k]) for k in range(c.tag_count)), _s(c.source), _s(c.rationale),
                         _s(c.remedy), _s(c.file), c.line, c.column, _s(c.text))
                    for c in _each(h, _lib.joinup_policy_rule_count, _lib.joinup_policy_rule, _Rule)]

    @property
    def notes(self) -> List[Diagnostic]:
        """The notes of loading the policy: one for each YAML file of a rule directory that was
        skipped as not a rule file (level "note", code "not-a-rule-file", the file as its origin).
        Empty for a compiled policy. When a load fails, the error's diagnostics end with them."""
        with self._use() as h:
            notes = _each(h, _lib.joinup_policy_note_count, _lib.joinup_policy_note, _Diagnostic)
            return [_diagnostic(d) for d in notes]

    def evaluate(self, document: "Document", *, as_of: Union[datetime.date, str, None] = None,
                 undetermined_fails: bool = True, only: Sequence[str] = (), tags: Sequence[str] = (),
                 max_steps: int = 0, max_memory_bytes: Optional[int] = None,
                 waivers: Optional[Waivers] = None) -> Result:
        """Evaluates the selected rules against a document. `as_of` is a datetime.date or
        "YYYY-MM-DD" (default: today, UTC); `waivers` marks the findings they cover as waived.
        `max_steps` (0: unlimited) and `max_memory_bytes` (default 256 MiB, 0: unlimited) bound the
        evaluation: LimitError when one is used up."""
        if not isinstance(document, Document):
            raise TypeError("evaluate() needs a joinup.Document")
        if waivers is not None and not isinstance(waivers, Waivers):
            raise TypeError("waivers must be joinup.Waivers")
        o = _EvaluateOptions()
        _lib.joinup_evaluate_options_init_sized(byref(o), ctypes.sizeof(o))
        if as_of is not None:
            o.as_of = _cstr(as_of.isoformat() if isinstance(as_of, datetime.date) else str(as_of), "as_of")
        o.undetermined_fails = 1 if undetermined_fails else 0
        only_array, o.only_count = _strings(only)
        tag_array, o.tag_count = _strings(tags)
        o.only = ctypes.cast(only_array, POINTER(c_char_p))
        o.tags = ctypes.cast(tag_array, POINTER(c_char_p))
        o.max_steps = _uint64("max_steps", max_steps)
        if max_memory_bytes is not None:
            o.max_memory_bytes = _uint64("max_memory_bytes", max_memory_bytes)
        handle, err = c_void_p(), c_void_p()
        with contextlib.ExitStack() as using:
            if waivers is not None:
                o.waivers = using.enter_context(waivers._use())
            status = _lib.joinup_policy_evaluate(using.enter_context(self._use()),
                                                 using.enter_context(document._use()), byref(o), byref(handle),
                                                 byref(err))
        _check(status, err)
        return Result(handle, undetermined_fails)


_INT64_MIN, _INT64_MAX = -2**63, 2**63 - 1


class Document(_Handle):
    """Immutable data to check: parsed from JSON or YAML, read from a file, or built from Python values."""
    _free = _lib.joinup_document_free

    @classmethod
    def parse(cls, text: Union[str, bytes], origin: str = "<memory>", format: str = "auto", *,
              max_depth: Optional[int] = None, max_bytes: Optional[int] = None) -> "Document":
        """Parses JSON or YAML text; raises DataError with the line and column of a problem."""
        data = text if isinstance(text, bytes) else _b(text)
        handle, err = c_void_p(), c_void_p()
        _check(_lib.joinup_document_parse(data, len(data), _cstr(origin, "the origin"), _format(format),
                                          _load_options(max_depth, max_bytes), byref(handle), byref(err)), err)
        return cls(handle)

    @classmethod
    def load(cls, path: Union[str, "os.PathLike[str]"], format: str = "auto", *, max_depth: Optional[int] = None,
             max_bytes: Optional[int] = None) -> "Document":
        """Reads a data file."""
        handle, err = c_void_p(), c_void_p()
        _check(_lib.joinup_document_load_file(_path(path), _format(format),
                                              _load_options(max_depth, max_bytes), byref(handle), byref(err)), err)
        return cls(handle)

    @classmethod
    def from_value(cls, value: Any, origin: str = "<memory>", *, max_depth: Optional[int] = None,
                   max_bytes: Optional[int] = None) -> "Document":
        """Builds a document from mappings, lists and tuples, str, int, float, decimal.Decimal,
        bool, None and datetime.date (a datetime.datetime is refused: pass its .date()). A number
        that is NaN or infinite raises DataError; an integer beyond 64 bits, OverflowError."""
        b = c_void_p()
        _check(_lib.joinup_builder_new(_cstr(origin, "the origin"), _load_options(max_depth, max_bytes), byref(b)))

        def where(path: List[str]) -> str:
            return "".join(path) or "the root"

        def refuse(path: List[str], message: str) -> None:
            text = f"{origin}: {message} at {where(path)}"
            d = Diagnostic("error", "data-value", message, origin, 0, 0, "", "", text)
            raise DataError(INVALID_ARGUMENT, [d], text)

        try:
            def call(status: int) -> None:
                if status != OK:
                    message = _s(_lib.joinup_builder_message(b))
                    d = Diagnostic("error", "builder", message, origin, 0, 0, "", "", message)
                    raise _ERROR_CLASSES.get(status, Error)(status, [d])

            def number(v: float, path: List[str]) -> None:
                if math.isnan(v) or math.isinf(v):
                    refuse(path, f"the number {v} is not a number a document can hold (NaN or infinite)")
                call(_lib.joinup_builder_number(b, v))

            def emit(v: Any, path: List[str]) -> None:
                if v is None:
                    call(_lib.joinup_builder_null(b))
                elif isinstance(v, bool):
                    call(_lib.joinup_builder_bool(b, int(v)))
                elif isinstance(v, int):
                    if not _INT64_MIN <= v <= _INT64_MAX:
                        raise OverflowError(f"{v} at {where(path)} does not fit in a 64-bit integer")
                    call(_lib.joinup_builder_int(b, v))
                elif isinstance(v, float):
                    number(v, path)
                elif isinstance(v, decimal.Decimal):
                    if not v.is_finite():
                        refuse(path, f"the decimal {v} is not a number a document can hold (NaN or infinite)")
                    if v == v.to_integral_value() and _INT64_MIN <= v <= _INT64_MAX:
                        call(_lib.joinup_builder_int(b, int(v)))
                    else:
                        number(float(v), path)
                elif isinstance(v, str):
                    data = _b(v)
                    call(_lib.joinup_builder_string(b, data, len(data)))
                elif isinstance(v, datetime.datetime):
                    raise TypeError(f"a datetime at {where(path)} is not a date: pass its .date()")
                elif isinstance(v, datetime.date):
                    call(_lib.joinup_builder_date(b, _b(v.isoformat())))
                elif isinstance(v, Mapping):
                    call(_lib.joinup_builder_begin_map(b))
                    for k, item in v.items():
                        key = _b(str(k))
                        call(_lib.joinup_builder_key(b, key, len(key)))
                        emit(item, path + [("." if path else "") + str(k)])
                    call(_lib.joinup_builder_end(b))
                elif isinstance(v, (list, tuple)):
                    call(_lib.joinup_builder_begin_list(b))
                    for i, item in enumerate(v):
                        emit(item, path + [f"[{i}]"])
                    call(_lib.joinup_builder_end(b))
                else:
                    raise TypeError(f"cannot put a {type(v).__name__} in a document (at {where(path)})")

            emit(value, [])
            handle, err = c_void_p(), c_void_p()
            _check(_lib.joinup_builder_finish(b, byref(handle), byref(err)), err)
            return cls(handle)
        finally:
            _lib.joinup_builder_free(b)
