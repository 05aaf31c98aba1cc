"""Hostile inputs in the shapes an attack on the importer used, small enough for CI."""

from __future__ import annotations

import zlib


def nested_html(depth: int) -> str:
    """``<div><p>`` opened ``depth`` times and never closed (80 KB at depth 8,000)."""
    return "<html><body>" + "<div><p>x " * depth + "</body></html>"


def flate_bomb_pdf(pages: int, stream_bytes: int) -> bytes:
    """A PDF whose every page's content stream inflates to ``stream_bytes`` of spaces after
    one line of text: a few kilobytes on disk, ``pages * stream_bytes`` once decompressed."""
    compressor = zlib.compressobj(9)
    packed = compressor.compress(b"BT /F1 12 Tf 72 720 Td (Hello bomb) Tj ET\n")
    chunk = b" " * (1 << 20)
    left = stream_bytes
    while left > 0:
        packed += compressor.compress(chunk[: min(left, len(chunk))])
        left -= len(chunk)
    packed += compressor.flush()
    page_ids = [4 + 2 * i for i in range(pages)]
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for page_id in page_ids:
        objects.append(
            (
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_id + 1} 0 R >>"
            ).encode()
        )
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
            + packed
            + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n"
    ).encode()
    return bytes(out)
