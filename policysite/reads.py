"""What a page reads: the texts it shows, recorded as it renders, and a digest of everything else.

A page's output is a function of its inputs. Most of them change rarely (the document's structure, its
agencies, slugs, templates) and are summed up in one digest, skeleton(), which leaves out the fields
declared volatile: the texts of tasks, headings and paragraphs, and the translation's entries. Those
change with every edit, and each page reads only a few of them; reads of them while a page renders are
recorded (recording()), with their values' digests, so that a later build can tell whether any of
the texts a page showed has changed. A page whose skeleton and recorded texts are unchanged renders the
same bytes; the build cache (cache.py) relies on nothing else.

A volatile field is a data descriptor (Volatile) on a frozen dataclass: reads through it are recorded,
whatever code makes them (a template, a view, a helper), so that none can be missed.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import struct
from contextlib import contextmanager
from pathlib import PurePath

_reads: list | None = None  # (object, key) pairs read since recording() began, or None when not recording


class Volatile:
    """A dataclass field whose reads are recorded while a page renders."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        if _reads is not None:
            _reads.append((obj, self.name))
        return obj.__dict__[self.name]

    def __set__(self, obj, value) -> None:  # dataclass __init__ sets fields with object.__setattr__
        obj.__dict__[self.name] = value


def volatile(*names: str):
    """Class decorator (outside @dataclass): make the named fields Volatile."""

    def make(cls):
        for name in names:
            descriptor = Volatile()
            descriptor.__set_name__(cls, name)
            setattr(cls, name, descriptor)
        cls.__volatile__ = frozenset(names)
        return cls

    return make


def note(obj, key: str) -> None:
    """Record a read that no Volatile field sees (an entry of a translation read by its id)."""
    if _reads is not None:
        _reads.append((obj, key))


@contextmanager
def recording():
    """Record the volatile reads made in the block: yields the list they are appended to."""
    global _reads
    outer, _reads = _reads, []
    try:
        yield _reads
    finally:
        _reads = outer


@contextmanager
def not_recording():
    """Reads in the block are not recorded (the cache reading values to compare them)."""
    global _reads
    outer, _reads = _reads, None
    try:
        yield
    finally:
        _reads = outer


def unrecorded(function):
    """function, what it reads not recorded (the cache reading values to sum them up); while nothing is
    recording, called as it is."""

    @functools.wraps(function)
    def call(*args, **kwargs):
        if _reads is None:
            return function(*args, **kwargs)
        with not_recording():
            return function(*args, **kwargs)

    return call


class RecordedDict(dict):
    """A dict whose reads are recorded: by key, or whole where it is gone through (the site's asset names,
    among them the search index's, which change with every edit)."""

    def __getitem__(self, key):
        note(self, f"item:{key}")
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        note(self, f"item:{key}")
        return dict.get(self, key, default)

    def __contains__(self, key) -> bool:
        note(self, f"item:{key}")
        return dict.__contains__(self, key)

    def __iter__(self):
        note(self, "all")
        return dict.__iter__(self)

    def keys(self):
        note(self, "all")
        return dict.keys(self)

    def values(self):
        note(self, "all")
        return dict.values(self)

    def items(self):
        note(self, "all")
        return dict.items(self)


@unrecorded
def value_of(obj, key: str):
    """What a recorded read saw: a volatile field, an entry of a dict field ("entries:task.3"), an item of
    a RecordedDict ("item:KEY"), all of it ("all"), or a property ("version")."""
    name, _, part = key.partition(":")
    if isinstance(obj, RecordedDict):
        return dict(obj) if key == "all" else dict.get(obj, part)
    if part:
        return obj.__dict__[name].get(part)
    return obj.__dict__[name] if name in getattr(type(obj), "__volatile__", ()) else getattr(obj, name)


class Unhashable(TypeError):
    """A value skeleton() cannot sum up (a function, an open file): the page is not cached."""


@unrecorded
def skeleton(value, memo: dict | None = None) -> bytes:
    """A digest of a value and everything it holds, volatile fields left out, independent of the process
    (no object ids, no hash seeds: sets are summed in sorted order, dicts in their order, which shows).
    memo (id → (object, digest)) spares summing shared objects twice while they live."""
    return _digest(value, {} if memo is None else memo, True)


@unrecorded
def digest(value, memo: dict | None = None) -> bytes:
    """A digest of a value and everything it holds, volatile fields included."""
    return _digest(value, {} if memo is None else memo, False)


_INT = struct.Struct("<q")
_STRING = {str: hashlib.blake2b(b"str\0", digest_size=16)}  # a string's type → the digest begun with its name
_FIELDS: dict = {}  # (a dataclass, skip volatile?) → its fields to sum: (name, its name encoded)


def _digest(value, memo: dict, skip_volatile: bool) -> bytes:
    kind = type(value)
    if kind is str or isinstance(value, str):  # Markup too: its type is part of what it is (it is not escaped again)
        begun = _STRING.get(kind)
        if begun is None:
            begun = _STRING[kind] = hashlib.blake2b(kind.__name__.encode() + b"\0", digest_size=16)
        h = begun.copy()
        h.update(value.encode("utf-8", "surrogatepass"))
        return h.digest()
    if value is None or kind is bool:
        return repr(value).encode()
    if kind is int:
        return b"i" + (_INT.pack(value) if -2**63 <= value < 2**63 else str(value).encode())
    if kind is float:
        return b"f" + repr(value).encode()
    if kind is bytes:
        return hashlib.blake2b(b"bytes\0" + value, digest_size=16).digest()
    key = id(value)
    found = memo.get(key)
    if found is not None and found[0] is value:
        return found[1]
    h = hashlib.blake2b(kind.__module__.encode() + b"." + kind.__qualname__.encode(), digest_size=16)
    if kind is tuple or kind is list or isinstance(value, (tuple, list)):
        for item in value:
            h.update(_digest(item, memo, skip_volatile))
    elif isinstance(value, (set, frozenset)):
        for part in sorted(_digest(item, memo, skip_volatile) for item in value):
            h.update(part)
    elif isinstance(value, enum.Enum):
        h.update(repr(value.value).encode())
    elif isinstance(value, PurePath):
        h.update(str(value).encode())
    elif dataclasses.is_dataclass(value):
        fields = _FIELDS.get((kind, skip_volatile))
        if fields is None:
            skip = getattr(kind, "__volatile__", ()) if skip_volatile else ()
            fields = _FIELDS[kind, skip_volatile] = [(f.name, f.name.encode()) for f in dataclasses.fields(value)
                                                     if f.name not in skip]
        held = value.__dict__
        for name, encoded in fields:
            h.update(encoded + _digest(held[name] if name in held else getattr(value, name), memo, skip_volatile))
    elif isinstance(value, dict) or hasattr(value, "items") and callable(value.items):  # and mapping proxies
        for k, v in dict.items(value) if isinstance(value, dict) else value.items():
            h.update(_digest(k, memo, skip_volatile) + _digest(v, memo, skip_volatile))
    elif hasattr(value, "__dict__") and not callable(value):
        for k, v in sorted(vars(value).items()):
            h.update(k.encode() + _digest(v, memo, skip_volatile))
    else:
        raise Unhashable(f"cannot sum up a {kind.__qualname__}")
    digest = h.digest()
    memo[key] = (value, digest)
    return digest


_seen: tuple[dict, dict] | None = None
"""While a build renders: its names (named_reads' argument, held so that no other dict takes its id) and
the digest of each (object, key) read so far: a text read by many pages is summed up once, for nothing
named changes while pages render, but a RecordedDict (the asset names), summed up each time."""


def named_reads(reads: list, names: dict) -> list | None:
    """Recorded reads as [name, key, digest of the value seen], each once, in order; None if an object
    read has no name (names: id of each volatile object of the site → its stable name)."""
    global _seen
    if _seen is None or _seen[0] is not names:
        _seen = (names, {})
    known = _seen[1]
    seen = {(id(obj), key): obj for obj, key in reads}
    out = []
    for (ident, key), obj in seen.items():
        name = names.get(ident)
        if name is None:
            return None
        found = known.get((ident, key))
        if found is None:
            found = digest(value_of(obj, key)).hex()
            if not isinstance(obj, RecordedDict):
                known[(ident, key)] = found
        out.append([name, key, found])
    return sorted(out)
