"""joinup for Python: rules about public-service partnerships, through the C API (ctypes only).

    import joinup

    with joinup.Policy.standard() as policy, joinup.Document.parse(text, origin="plan.yaml") as doc:
        result = policy.evaluate(doc, as_of="2026-11-21")
        for v in result.violations:
            print(f"{v.data_file}:{v.data_line}:{v.data_column}: {v.severity}: {v.rule_id}: {v.message}")

Policies and documents hold library memory: use them as context managers (or call close()).
Results are plain dataclasses, copied out of the library. Errors raise joinup.Error (or one of
its subclasses) carrying the status, message, origin, line, column and every diagnostic.

The library is found through the JOINUP_LIBRARY environment variable (a path), then as
libjoinup.so.<ABI> on the system's library path.
"""

from __future__ import annotations

import ctypes
import datetime
import os
from ctypes import POINTER, Structure, byref, c_char_p, c_double, c_int, c_int64, c_size_t, c_uint32, c_uint64, c_void_p
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional, Sequence

ABI_VERSION = 0

__all__ = [
    "ABI_VERSION", "Error", "RuleError", "DataError", "LimitError", "Diagnostic", "Rule", "Policy", "Document",
    "Result", "Summary", "Violation", "ExplanationEntry", "RuleOutcome", "version",
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
    TOO_LARGE, TOO_DEEP, STEP_LIMIT, UNKNOWN_RULE = range(14)


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
    _fields_ = [("struct_size", c_size_t), ("max_depth", c_uint32), ("max_bytes", c_uint64)]


class _EvaluateOptions(Structure):
    _fields_ = [("struct_size", c_size_t), ("as_of", c_char_p), ("undetermined_fails", c_int),
                ("only", POINTER(c_char_p)), ("only_count", c_size_t), ("tags", POINTER(c_char_p)),
                ("tag_count", c_size_t), ("max_steps", c_uint64)]


class _Summary(Structure):
    _fields_ = [("rules", c_uint32), ("passed", c_uint32), ("failed", c_uint32), ("undetermined", c_uint32),
                ("not_applicable", c_uint32), ("violations", c_uint32), ("undetermined_subjects", c_uint32),
                ("failed_by_severity", c_uint32 * 3), ("findings", c_uint32), ("findings_by_severity", c_uint32 * 3)]


class _ExplanationEntry(Structure):
    _fields_ = [("expression", c_char_p), ("value", c_char_p)]


class _Violation(Structure):
    _fields_ = [("rule_id", c_char_p), ("severity", c_int), ("outcome", c_int), ("message", c_char_p),
                ("subject", c_char_p), ("data_file", c_char_p), ("data_line", c_uint32), ("data_column", c_uint32),
                ("rule_file", c_char_p), ("rule_line", c_uint32), ("rule_column", c_uint32), ("clause", c_char_p),
                ("require_text", c_char_p), ("explanation_count", c_size_t),
                ("explanation", POINTER(_ExplanationEntry)), ("remedy", c_char_p)]


class _RuleOutcome(Structure):
    _fields_ = [("rule_id", c_char_p), ("severity", c_int), ("outcome", c_int), ("subjects", c_uint32),
                ("first_violation", c_size_t), ("violation_count", c_size_t)]


def _load_library() -> ctypes.CDLL:
    path = os.environ.get("JOINUP_LIBRARY")
    lib = ctypes.CDLL(path or f"libjoinup.so.{ABI_VERSION}")
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
        "joinup_load_options_init": (None, [POINTER(_LoadOptions)]),
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
        "joinup_evaluate_options_init": (None, [POINTER(_EvaluateOptions)]),
        "joinup_policy_evaluate": (c_int, [P, P, POINTER(_EvaluateOptions), E, E]),
        "joinup_result_summary": (c_int, [P, POINTER(POINTER(_Summary))]),
        "joinup_result_violation_count": (c_int, [P, POINTER(c_size_t)]),
        "joinup_result_violation": (c_int, [P, c_size_t, POINTER(POINTER(_Violation))]),
        "joinup_result_rule_count": (c_int, [P, POINTER(c_size_t)]),
        "joinup_result_rule": (c_int, [P, c_size_t, POINTER(POINTER(_RuleOutcome))]),
        "joinup_result_as_of": (c_int, [P, POINTER(c_char_p)]),
        "joinup_result_json": (c_int, [P, POINTER(c_char_p)]),
        "joinup_result_text": (c_int, [P, POINTER(c_char_p)]),
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


def version() -> str:
    """The library's version, "MAJOR.MINOR.PATCH"."""
    return _s(_lib.joinup_version())


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Diagnostic:
    """One problem found in rules or data, with where it is."""
    level: str
    code: str
    message: str
    origin: str
    line: int
    column: int
    source_line: str
    help: str
    rendered: str


class Error(Exception):
    """A call into the library failed. `status` is the C status code, `status_text` its text;
    `message`, `origin`, `line` and `column` are those of the first diagnostic, `diagnostics`
    holds all of them."""

    def __init__(self, status: int, diagnostics: Sequence[Diagnostic] = (), text: str = ""):
        self.status = status
        self.status_text = _s(_lib.joinup_status_text(status))
        self.diagnostics = list(diagnostics)
        first = self.diagnostics[0] if self.diagnostics else None
        self.message = first.message if first else self.status_text
        self.origin = first.origin if first else ""
        self.line = first.line if first else 0
        self.column = first.column if first else 0
        self.text = text or self.message
        where = self.origin + (f":{self.line}:{self.column}" if self.line else "")
        super().__init__(f"{where}: {self.message}" if where else self.message)


class RuleError(Error):
    """The rules do not compile (or use a form this version does not support)."""


class DataError(Error):
    """The data does not parse: bad syntax, a duplicate key, invalid UTF-8."""


class LimitError(Error):
    """An input or an evaluation exceeded a limit: size, depth or step budget."""


_ERROR_CLASSES = {RULE_ERROR: RuleError, UNSUPPORTED: RuleError, DATA_ERROR: DataError, INVALID_UTF8: DataError,
                  TOO_LARGE: LimitError, TOO_DEEP: LimitError, STEP_LIMIT: LimitError}


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
                    c = d.contents
                    diagnostics.append(Diagnostic(_LEVELS[c.level] if 0 <= c.level < 3 else "error", _s(c.code),
                                                  _s(c.message), _s(c.origin), c.line, c.column, _s(c.source_line),
                                                  _s(c.help), _s(c.rendered)))
            text = _s(_lib.joinup_error_text(err))
        finally:
            _lib.joinup_error_free(err)
    raise _ERROR_CLASSES.get(status, Error)(status, diagnostics, text)


def _check(status: int, err: Optional[c_void_p] = None) -> None:
    if status != OK:
        _raise(status, err if err is not None else c_void_p())


# ---------------------------------------------------------------------------------------------
# Handles
# ---------------------------------------------------------------------------------------------

class _Handle:
    _free = None

    def __init__(self, handle: c_void_p):
        self._handle = handle

    def close(self) -> None:
        """Releases the library's memory now; the object may not be used afterwards."""
        if self._handle:
            type(self)._free(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def _live(self) -> c_void_p:
        if not self._handle:
            raise ValueError(f"{type(self).__name__} is closed")
        return self._handle


def _compile_options(max_file_bytes: Optional[int], max_expression_depth: Optional[int]):
    if max_file_bytes is None and max_expression_depth is None:
        return None
    o = _CompileOptions()
    _lib.joinup_compile_options_init(byref(o))
    if max_file_bytes is not None:
        o.max_file_bytes = max_file_bytes
    if max_expression_depth is not None:
        o.max_expression_depth = max_expression_depth
    return byref(o)


def _load_options(max_depth: Optional[int], max_bytes: Optional[int]):
    if max_depth is None and max_bytes is None:
        return None
    o = _LoadOptions()
    _lib.joinup_load_options_init(byref(o))
    if max_depth is not None:
        o.max_depth = max_depth
    if max_bytes is not None:
        o.max_bytes = max_bytes
    return byref(o)


def _strings(values: Iterable[str]):
    encoded = [_b(v) for v in values]
    return (c_char_p * len(encoded))(*encoded), len(encoded)


@dataclass(frozen=True)
class Rule:
    """A rule of a policy, as written in its file."""
    id: str
    package: str
    short_id: str
    title: str
    severity: str
    tags: tuple
    source: str
    rationale: str
    remedy: str
    file: str
    line: int
    column: int
    text: str


@dataclass(frozen=True)
class Summary:
    """Counts of a result: rules by outcome, failed rules by severity, findings."""
    rules: int
    passed: int
    failed: int
    undetermined: int
    not_applicable: int
    violations: int
    undetermined_subjects: int
    failed_by_severity: dict
    findings: int
    findings_by_severity: dict


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
    explanation: tuple
    remedy: str


@dataclass(frozen=True)
class RuleOutcome:
    rule_id: str
    severity: str
    outcome: str
    subjects: int
    violations: tuple  # this rule's Violation objects


@dataclass(frozen=True)
class Result:
    """What an evaluation found, copied out of the library."""
    as_of: str
    summary: Summary
    violations: tuple
    rules: tuple
    json: str = field(repr=False)
    text: str = field(repr=False)
    undetermined_fails: bool = True

    def fails(self, threshold: str = "error") -> bool:
        """Whether a finding at or above `threshold` counts as failing (as `joinup check --fail-on`)."""
        limit = _SEVERITIES.index(threshold)
        return any(_SEVERITIES.index(v.severity) <= limit and (v.outcome == "fail" or self.undetermined_fails)
                   for v in self.violations)


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
    def compile_texts(cls, texts: dict, *, max_file_bytes: Optional[int] = None,
                      max_expression_depth: Optional[int] = None) -> "Policy":
        """Compiles several rule texts, {origin: text}, into one policy."""
        encoded = [(_b(o), _b(t)) for o, t in texts.items()]
        array = (_RuleText * len(encoded))(*[_RuleText(o, t, len(t)) for o, t in encoded])
        handle, err = c_void_p(), c_void_p()
        _check(_lib.joinup_policy_compile_texts(array, len(encoded), _compile_options(max_file_bytes,
                                                max_expression_depth), byref(handle), byref(err)), err)
        return cls(handle)

    @classmethod
    def load(cls, *paths: str, max_file_bytes: Optional[int] = None,
             max_expression_depth: Optional[int] = None) -> "Policy":
        """Reads rule files and directories."""
        array, n = _strings(os.fspath(p) for p in paths)
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
    def rules(self) -> list:
        h = self._live()
        n = c_size_t()
        _check(_lib.joinup_policy_rule_count(h, byref(n)))
        out = []
        for i in range(n.value):
            r = POINTER(_Rule)()
            _check(_lib.joinup_policy_rule(h, i, byref(r)))
            c = r.contents
            out.append(Rule(_s(c.id), _s(c.package), _s(c.short_id), _s(c.title), _SEVERITIES[c.severity],
                            tuple(_s(c.tags[k]) for k in range(c.tag_count)), _s(c.source), _s(c.rationale),
                            _s(c.remedy), _s(c.file), c.line, c.column, _s(c.text)))
        return out

    def evaluate(self, document: "Document", *, as_of: Any = None, undetermined_fails: bool = True,
                 only: Sequence[str] = (), tags: Sequence[str] = (), max_steps: int = 0) -> Result:
        """Evaluates the selected rules against a document. `as_of` is a datetime.date or
        "YYYY-MM-DD" (default: today, UTC)."""
        if not isinstance(document, Document):
            raise TypeError("evaluate() needs a joinup.Document")
        o = _EvaluateOptions()
        _lib.joinup_evaluate_options_init(byref(o))
        if as_of is not None:
            o.as_of = _b(as_of.isoformat() if isinstance(as_of, datetime.date) else str(as_of))
        o.undetermined_fails = 1 if undetermined_fails else 0
        only_array, o.only_count = _strings(only)
        tag_array, o.tag_count = _strings(tags)
        o.only = ctypes.cast(only_array, POINTER(c_char_p))
        o.tags = ctypes.cast(tag_array, POINTER(c_char_p))
        o.max_steps = max_steps
        handle, err = c_void_p(), c_void_p()
        _check(_lib.joinup_policy_evaluate(self._live(), document._live(), byref(o), byref(handle), byref(err)), err)
        try:
            return _copy_result(handle, undetermined_fails)
        finally:
            _lib.joinup_result_free(handle)


def _copy_result(h: c_void_p, undetermined_fails: bool) -> Result:
    s = POINTER(_Summary)()
    _check(_lib.joinup_result_summary(h, byref(s)))
    c = s.contents
    summary = Summary(c.rules, c.passed, c.failed, c.undetermined, c.not_applicable, c.violations,
                      c.undetermined_subjects, dict(zip(_SEVERITIES, c.failed_by_severity)), c.findings,
                      dict(zip(_SEVERITIES, c.findings_by_severity)))
    n = c_size_t()
    _check(_lib.joinup_result_violation_count(h, byref(n)))
    violations = []
    for i in range(n.value):
        p = POINTER(_Violation)()
        _check(_lib.joinup_result_violation(h, i, byref(p)))
        v = p.contents
        violations.append(Violation(
            _s(v.rule_id), _SEVERITIES[v.severity], _OUTCOMES[v.outcome], _s(v.message), _s(v.subject),
            _s(v.data_file), v.data_line, v.data_column, _s(v.rule_file), v.rule_line, v.rule_column, _s(v.clause),
            _s(v.require_text),
            tuple(ExplanationEntry(_s(v.explanation[k].expression), _s(v.explanation[k].value))
                  for k in range(v.explanation_count)),
            _s(v.remedy)))
    _check(_lib.joinup_result_rule_count(h, byref(n)))
    rules = []
    for i in range(n.value):
        p = POINTER(_RuleOutcome)()
        _check(_lib.joinup_result_rule(h, i, byref(p)))
        r = p.contents
        rules.append(RuleOutcome(_s(r.rule_id), _SEVERITIES[r.severity], _OUTCOMES[r.outcome], r.subjects,
                                 tuple(violations[r.first_violation:r.first_violation + r.violation_count])))
    as_of, json_text, text = c_char_p(), c_char_p(), c_char_p()
    _check(_lib.joinup_result_as_of(h, byref(as_of)))
    _check(_lib.joinup_result_json(h, byref(json_text)))
    _check(_lib.joinup_result_text(h, byref(text)))
    return Result(_s(as_of.value), summary, tuple(violations), tuple(rules), _s(json_text.value), _s(text.value),
                  undetermined_fails)


class Document(_Handle):
    """Immutable data to check: parsed from JSON or YAML, read from a file, or built from Python values."""
    _free = _lib.joinup_document_free

    @classmethod
    def parse(cls, text: str, origin: str = "<memory>", format: str = "auto", *, max_depth: Optional[int] = None,
              max_bytes: Optional[int] = None) -> "Document":
        """Parses JSON or YAML text; raises DataError with the line and column of a problem."""
        data = text if isinstance(text, bytes) else _b(text)
        handle, err = c_void_p(), c_void_p()
        _check(_lib.joinup_document_parse(data, len(data), _b(origin), _FORMATS[format],
                                          _load_options(max_depth, max_bytes), byref(handle), byref(err)), err)
        return cls(handle)

    @classmethod
    def load(cls, path: str, format: str = "auto", *, max_depth: Optional[int] = None,
             max_bytes: Optional[int] = None) -> "Document":
        """Reads a data file."""
        handle, err = c_void_p(), c_void_p()
        _check(_lib.joinup_document_load_file(_b(os.fspath(path)), _FORMATS[format],
                                              _load_options(max_depth, max_bytes), byref(handle), byref(err)), err)
        return cls(handle)

    @classmethod
    def from_value(cls, value: Any, origin: str = "<memory>", *, max_depth: Optional[int] = None,
                   max_bytes: Optional[int] = None) -> "Document":
        """Builds a document from dicts, lists, str, int, float, bool, None and datetime.date."""
        b = c_void_p()
        _check(_lib.joinup_builder_new(_b(origin), _load_options(max_depth, max_bytes), byref(b)))
        try:
            def call(status: int) -> None:
                if status != OK:
                    message = _s(_lib.joinup_builder_message(b))
                    d = Diagnostic("error", "builder", message, origin, 0, 0, "", "", message)
                    raise _ERROR_CLASSES.get(status, Error)(status, [d])

            def emit(v: Any) -> None:
                if v is None:
                    call(_lib.joinup_builder_null(b))
                elif isinstance(v, bool):
                    call(_lib.joinup_builder_bool(b, int(v)))
                elif isinstance(v, int):
                    if not -2**63 <= v < 2**63:
                        raise OverflowError(f"{v} does not fit in a 64-bit integer")
                    call(_lib.joinup_builder_int(b, v))
                elif isinstance(v, float):
                    call(_lib.joinup_builder_number(b, v))
                elif isinstance(v, str):
                    data = _b(v)
                    call(_lib.joinup_builder_string(b, data, len(data)))
                elif isinstance(v, datetime.date):
                    call(_lib.joinup_builder_date(b, _b(v.isoformat())))
                elif isinstance(v, dict):
                    call(_lib.joinup_builder_begin_map(b))
                    for k, item in v.items():
                        key = _b(str(k))
                        call(_lib.joinup_builder_key(b, key, len(key)))
                        emit(item)
                    call(_lib.joinup_builder_end(b))
                elif isinstance(v, (list, tuple)):
                    call(_lib.joinup_builder_begin_list(b))
                    for item in v:
                        emit(item)
                    call(_lib.joinup_builder_end(b))
                else:
                    raise TypeError(f"cannot put a {type(v).__name__} in a document")

            emit(value)
            handle, err = c_void_p(), c_void_p()
            _check(_lib.joinup_builder_finish(b, byref(handle), byref(err)), err)
            return cls(handle)
        finally:
            _lib.joinup_builder_free(b)
