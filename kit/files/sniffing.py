"""What a file really is: its content type read from its bytes (magic numbers), not from the client.

:func:`sniff_content_types` answers the types a file's first and last bytes match (puremagic's
signatures of three bytes or more), most likely first; ``("text/plain",)`` for UTF-8 text without
a signature, and ``("application/octet-stream",)`` for anything else.

puremagic is imported on the first file sniffed: its signature table costs a worker several MB,
which a worker that receives no file never needs.
"""

from __future__ import annotations

from typing import IO

OCTET_STREAM = "application/octet-stream"
TEXT = "text/plain"
#: Confidence puremagic gives a signature of this many bytes (tenths): shorter ones match text.
MIN_CONFIDENCE = 0.3
#: Types a text file may be declared as (the bytes of text carry no signature to tell them apart).
TEXT_TYPES = frozenset({"application/json", "application/xml", "application/x-ndjson", "application/yaml"})
#: Other names clients give the same types.
ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "application/x-pdf": "application/pdf",
    "text/xml": "application/xml",
    "application/x-zip-compressed": "application/zip",
}


def sniff_content_types(file: IO[bytes]) -> tuple[str, ...]:
    """The content types the bytes of ``file`` say it has, most likely first (its position is kept)."""
    import puremagic

    start = file.tell()
    try:  # from each end, enough bytes for every signature puremagic knows
        head = file.read(max(puremagic.main.max_head, 8192))
        file.seek(max(start, _size(file) - max(puremagic.main.max_foot, 1)))
        foot = file.read()
    finally:
        file.seek(start)
    if not head:
        return (OCTET_STREAM,)
    try:
        matches = puremagic.magic_string(head + foot)  # its head and foot, sorted by confidence
    except puremagic.PureError:  # no signature matched (puremagic 1.x raises, 2.x answers [])
        matches = []
    found = tuple(
        dict.fromkeys(
            normal_type(match.mime_type)
            for match in matches
            if match.mime_type and match.confidence >= MIN_CONFIDENCE
        )
    )
    if found:
        return found
    return (TEXT,) if _is_text(head) else (OCTET_STREAM,)


def normal_type(content_type: str) -> str:
    """``content_type`` without parameters, lowercased, under its usual name."""
    base = content_type.split(";", 1)[0].strip().lower()
    return ALIASES.get(base, base)


def is_text_type(content_type: str) -> bool:
    """Whether a file of this declared type is text (and has no signature to check)."""
    return content_type.startswith("text/") or content_type in TEXT_TYPES


def _size(file: IO[bytes]) -> int:
    position = file.tell()
    size = file.seek(0, 2)
    file.seek(position)
    return size


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3  # a character cut by the end of the head
    return True
