"""How much an uploaded file may hold, checked before the rest of it is parsed.

Every reader stops as soon as a file goes over one of the :class:`Limits` and raises a
``FormatError`` naming the limit, the file and what to do. The checks are counts and sizes,
made on the bytes or while streaming, so a file far over a limit costs little to refuse:

- bytes of the upload, and bytes a zip archive or workbook unpacks to: the sizes its
  headers record are summed, then checked by counting while decompressing, which stops as
  soon as a member gives more than its header said;
- rows (stakeholders, relationships, Kumu elements and connections) and columns of a CSV
  file or sheet, and cells (rows times columns); a sheet's recorded size is checked before
  any cell is loaded;
- how deep JSON nests, from a scan of its brackets before ``json.loads`` runs;
- XML elements, counted before parsing.
"""

from __future__ import annotations

import io
import json
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from mapping.errors import FormatError

__all__ = [
    "Limits",
    "DEFAULT_LIMITS",
    "MAX_ZIP_MEMBERS",
    "size_text",
    "json_depth",
    "parse_json",
    "check_archive",
    "open_zip",
    "read_member",
]

_MB = 1_000_000

#: Files a zip archive or workbook may hold (a workbook holds a few dozen).
MAX_ZIP_MEMBERS = 10_000


def size_text(n: int) -> str:
    """A size in bytes as people read it.

    >>> size_text(1_500_000), size_text(999)
    ('1.5 MB', '999 bytes')
    """
    return f"{n / _MB:.1f} MB" if n >= _MB else f"{n:,} bytes"


@dataclass(frozen=True)
class Limits:
    """How much an import may hold; anything larger is refused with a clear message.

    ``max_cells`` counts rows times columns of one CSV file or sheet (and XML elements);
    ``None`` means 40 cells for each row ``max_rows`` allows.

    >>> Limits().max_rows, Limits().max_columns, Limits().cell_budget
    (50000, 300, 2000000)
    >>> Limits(max_bytes=10).check_bytes(b"x" * 11, "people.csv")
    Traceback (most recent call last):
    ...
    mapping.errors.FormatError: people.csv is 11 bytes; Coalition Mapper reads files up to 10 bytes. Split the file, or remove columns you do not need.
    >>> Limits().check_columns(4000, "wide.csv")
    Traceback (most recent call last):
    ...
    mapping.errors.FormatError: wide.csv has 4,000 columns; Coalition Mapper reads at most 300 columns in a CSV file or sheet. Delete the columns you do not need and upload it again.
    """

    max_bytes: int = 20 * _MB
    max_rows: int = 50_000
    max_unpacked_bytes: int = 200 * _MB
    max_columns: int = 300
    max_cells: int | None = None
    max_depth: int = 64

    @property
    def cell_budget(self) -> int:
        """The most cells (rows times columns) one CSV file or sheet may hold."""
        return self.max_cells if self.max_cells is not None else 40 * self.max_rows

    def check_bytes(self, data: bytes, what: str) -> None:
        """Refuse ``data`` larger than ``max_bytes``."""
        if len(data) > self.max_bytes:
            msg = (
                f"{what} is {size_text(len(data))}; Coalition Mapper reads files up to "
                f"{size_text(self.max_bytes)}. Split the file, or remove columns you do not need."
            )
            raise FormatError(msg)

    def check_rows(self, rows: int, what: str, noun: str = "rows") -> None:
        """Refuse a table with more than ``max_rows`` data rows (or other ``noun``)."""
        if rows > self.max_rows:
            msg = (
                f"{what} has more than {self.max_rows:,} {noun}; Coalition Mapper reads at "
                f"most {self.max_rows:,}. Split the map into smaller ones."
            )
            raise FormatError(msg)

    def check_columns(self, columns: int, what: str) -> None:
        """Refuse a CSV file or sheet with more than ``max_columns`` columns."""
        if columns > self.max_columns:
            msg = (
                f"{what} has {columns:,} columns; Coalition Mapper reads at most "
                f"{self.max_columns:,} columns in a CSV file or sheet. Delete the columns you "
                "do not need and upload it again."
            )
            raise FormatError(msg)

    def check_cells(self, rows: int, columns: int, what: str) -> None:
        """Refuse a CSV file or sheet whose rows times columns exceed :attr:`cell_budget`."""
        if rows * columns > self.cell_budget:
            msg = (
                f"{what} has {rows:,} rows of {columns:,} columns, more than the "
                f"{self.cell_budget:,} cells Coalition Mapper reads in one CSV file or sheet. "
                "Delete the columns you do not need, or split the file."
            )
            raise FormatError(msg)

    def check_depth(self, depth: int, what: str) -> None:
        """Refuse JSON nested deeper than ``max_depth``."""
        if depth > self.max_depth:
            msg = (
                f"{what} nests its data more than {self.max_depth} levels deep; Coalition "
                f"Mapper reads at most {self.max_depth}. A map file nests only a few levels: "
                "export it again from the program that made it."
            )
            raise FormatError(msg)


DEFAULT_LIMITS = Limits()

# --- JSON ----------------------------------------------------------------------------------

_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_CHUNK = 1 << 16


def json_depth(text: str | bytes, stop: int) -> int:
    """How deep JSON text nests (arrays and objects), counted no further than ``stop + 1``.

    Brackets inside strings do not count. A linear scan of the brackets, no recursion, so a
    million ``[`` cost no more than any other file of that size.

    >>> json_depth('{"a": [1, {"b": "[[["}]}', 64), json_depth("[" * 1_000_000, 64)
    (3, 65)
    """
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    deepest = depth = 0
    for start in range(0, len(brackets), _CHUNK):
        levels = list(
            accumulate(map(_STEP.__getitem__, brackets[start : start + _CHUNK]), initial=depth)
        )
        deepest, depth = max(deepest, *levels), levels[-1]
        if deepest > stop:
            return stop + 1
    return deepest


def parse_json(text: str, what: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """``json.loads(text)`` after checking it nests no deeper than ``limits.max_depth``.

    ``json.JSONDecodeError`` passes through for the caller to word.

    >>> parse_json('{"nodes": []}', "map.json")
    {'nodes': []}
    >>> parse_json("[" * 1_000_000, "deep.json")
    Traceback (most recent call last):
    ...
    mapping.errors.FormatError: deep.json nests its data more than 64 levels deep; Coalition Mapper reads at most 64. A map file nests only a few levels: export it again from the program that made it.
    """
    limits.check_depth(json_depth(text, limits.max_depth), what)
    try:
        return json.loads(text)
    except RecursionError:  # deeper than Python's own stack allows, whatever the scan said
        limits.check_depth(limits.max_depth + 1, what)
        raise


# --- Zip archives and workbooks ------------------------------------------------------------

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # the 30 bytes before a member's name


def _damaged(what: str, member: str, detail: str) -> FormatError:
    return FormatError(
        f"{what} is damaged ({member}: {detail}); download or export it again, and upload "
        "the new file."
    )


def _inflate(data: bytes, info: zipfile.ZipInfo, what: str, limits: Limits) -> tuple[int, int]:
    """Decompress one member, counting the bytes that come out; (bytes, CRC-32).

    Refuses as soon as more comes out than the member's header records: the headers' sizes,
    whose sum :func:`open_zip` has checked, are then a true bound on what comes out.
    """
    header = data[info.header_offset : info.header_offset + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise _damaged(what, info.filename, "its local header is missing")
    fields = _LOCAL_HEADER.unpack(header)
    start = info.header_offset + _LOCAL_HEADER.size + fields[10] + fields[11]
    packed = memoryview(data)[start : start + info.compress_size]
    size = crc = 0
    if info.compress_type == zipfile.ZIP_STORED:
        pieces: Any = (packed[i : i + _CHUNK] for i in range(0, len(packed), _CHUNK))
    else:
        inflater = zlib.decompressobj(-15)
        pieces = _inflated(inflater, packed, what, info.filename)
    for piece in pieces:
        size += len(piece)
        if size > info.file_size:  # the header lied: stop here, not at the archive's limit
            msg = (
                f"{what} is damaged: {info.filename} unpacks to more than the "
                f"{size_text(info.file_size)} its header records, so Coalition Mapper stopped "
                f"unpacking it (it unpacks at most {size_text(limits.max_unpacked_bytes)} "
                "from one file). Download or export it again, and upload the new file."
            )
            raise FormatError(msg)
        crc = zlib.crc32(piece, crc)
    return size, crc


def _inflated(inflater: Any, packed: memoryview, what: str, name: str) -> Any:
    """Deflated data in pieces of at most 1 MB, fed 64 KB at a time."""
    try:
        for i in range(0, len(packed), _CHUNK):
            pending = bytes(packed[i : i + _CHUNK])
            while pending and not inflater.eof:
                yield inflater.decompress(pending, _MB)
                pending = inflater.unconsumed_tail
            if inflater.eof:
                return
    except zlib.error:
        raise _damaged(what, name, "its compressed data is corrupt") from None


def check_archive(data: bytes, archive: zipfile.ZipFile, what: str, limits: Limits) -> None:
    """Unpack every member of ``archive`` (made from ``data``), counting bytes as they come.

    Refuses a member that unpacks to more than its header records (stopping right there, so
    a header that lies costs no more than an honest one), a member whose real size or
    checksum differs from its header, an encrypted member, or a compression method other
    than stored or deflated.
    """
    for info in archive.infolist():
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            msg = f"{what} is password-protected ({info.filename}); save it without a password."
            raise FormatError(msg)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            msg = (
                f"{what} uses a compression method Coalition Mapper cannot read "
                f"({info.filename}); zip it again with your computer's own zip tool, or save "
                "the workbook again from Excel."
            )
            raise FormatError(msg)
        size, crc = _inflate(data, info, what, limits)
        if size != info.file_size or crc != info.CRC:
            detail = f"it holds {size:,} bytes where its header says {info.file_size:,}"
            raise _damaged(
                what, info.filename, detail if size != info.file_size else "bad checksum"
            )


def open_zip(
    data: bytes, what: str, limits: Limits = DEFAULT_LIMITS, *, check: bool = True
) -> zipfile.ZipFile:
    """Open a zip archive (or workbook) after checking its packed and unpacked sizes.

    With ``check`` (the default) every member is unpacked once and counted first (see
    :func:`check_archive`), so what is read from the archive afterwards is what was counted.
    """
    limits.check_bytes(data, what)
    if data.count(b"PK\x01\x02") > MAX_ZIP_MEMBERS:
        msg = (
            f"{what} holds more than {MAX_ZIP_MEMBERS:,} files; Coalition Mapper reads "
            f"archives of at most {MAX_ZIP_MEMBERS:,}. Zip only the map's files."
        )
        raise FormatError(msg)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError, struct.error):
        msg = f"{what} is not a valid zip archive; download or export it again."
        raise FormatError(msg) from None
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > limits.max_unpacked_bytes:
        msg = (
            f"{what} unpacks to {size_text(unpacked)}; Coalition Mapper unpacks at most "
            f"{size_text(limits.max_unpacked_bytes)}. Split the map into smaller files."
        )
        raise FormatError(msg)
    if check:
        check_archive(data, archive, what, limits)
    return archive


def read_member(archive: zipfile.ZipFile, name: str, what: str) -> bytes:
    """One member's bytes, a damaged archive reported as a ``FormatError``."""
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise _damaged(what, name, "it cannot be unpacked") from None
