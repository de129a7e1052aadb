#!/usr/bin/env python3
"""Peak memory and time of lupa-ocr on three hostile files it makes itself.

    python3 bench/hostile_scans.py [--ocr build/bin/lupa-ocr] [--keep DIR]
                                   [--file-time-limit SECONDS]

The files (written with the standard library only: zlib does the compression):

- pages.tif: a multi-page TIFF whose first page is small and whose other pages each declare
  784 megapixels, deflated to almost nothing (about 400 KB for the file);
- poster-72dpi.png: a 1-bit Letter page scanned at 300 dpi but labelled 72 dpi (about 20 KB),
  which a reader trusting the label would upscale more than four times each way;
- inflating.pdf: pages (3 unless --pdf-pages says otherwise) whose one shared content stream
  inflates to about 200 MB of drawing operators: each page costs poppler a long parse for its
  text layer and another to render it, and neither can be interrupted.

For each file it prints lupa-ocr's exit status, the first line of its stderr, the file size,
the wall-clock seconds, the child's peak resident memory (wait4's ru_maxrss) and the last line
lupa-ocr wrote on stderr.
"""

import argparse
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 1 << 20


def deflate_zeros(total, fill=b"\0"):
    """zlib data of `total` bytes of `fill`, compressed without holding them all."""
    compressor = zlib.compressobj(9)
    block = fill * CHUNK
    parts = []
    left = total
    while left > 0:
        take = min(left, CHUNK)
        parts.append(compressor.compress(block[:take]))
        left -= take
    parts.append(compressor.flush())
    return b"".join(parts)


def tiff_page(width, height, strip, strip_offset, ifd_offset, next_ifd, dpi=300):
    """A classic little-endian TIFF IFD for a 1-bit, deflated, white-is-zero page."""
    rational_offset = ifd_offset + 2 + 13 * 12 + 4
    entries = [
        (256, 4, 1, width),
        (257, 4, 1, height),
        (258, 3, 1, 1),
        (259, 3, 1, 8),  # Adobe deflate
        (262, 3, 1, 0),  # white is zero
        (273, 4, 1, strip_offset),
        (277, 3, 1, 1),
        (278, 4, 1, height),
        (279, 4, 1, len(strip)),
        (282, 5, 1, rational_offset),
        (283, 5, 1, rational_offset + 8),
        (284, 3, 1, 1),
        (296, 3, 1, 2),  # inches
    ]
    data = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        packed = struct.pack("<HI", value, 0)[:4] if kind == 3 else struct.pack("<I", value)
        data += struct.pack("<HHI", tag, kind, count) + packed
    data += struct.pack("<I", next_ifd)
    data += struct.pack("<II", dpi, 1) * 2
    return data


def make_tiff(path, big_pages=4, side=28000):
    """A small first page (it passes a check of the first header) and `big_pages` huge ones."""
    pages = [(800, 1000)] + [(side, side)] * big_pages
    out = bytearray(b"II*\0\0\0\0\0")
    previous_next = 4  # where the offset of the next IFD is written
    for width, height in pages:
        strip = deflate_zeros((width + 7) // 8 * height)
        strip_offset = len(out)
        out += strip
        if len(out) % 2:
            out += b"\0"
        ifd_offset = len(out)
        struct.pack_into("<I", out, previous_next, ifd_offset)
        ifd = tiff_page(width, height, strip, strip_offset, ifd_offset, 0)
        out += ifd
        previous_next = ifd_offset + 2 + 13 * 12
    path.write_bytes(bytes(out))


def png_chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data +
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def make_png(path, width=2550, height=3300, dpi=72):
    """A 1-bit page of word-like bars at `dpi` (pHYs), white elsewhere."""
    row_bytes = (width + 7) // 8
    white = b"\0" + b"\xff" * row_bytes
    margin = row_bytes // 8
    seed = 12345
    rows = []
    line_row = white
    for y in range(height):
        if not (height // 10 < y < height * 9 // 10 and (y // 12) % 4 == 0):
            rows.append(white)
            continue
        if y % 12 == 0:  # a new line of words, each a bar of its own length
            bar = bytearray(b"\xff" * row_bytes)
            x = margin
            while x < row_bytes - margin:
                seed = (seed * 1103515245 + 12345) % (1 << 31)
                word = 2 + seed % 7
                bar[x:min(x + word, row_bytes - margin)] = b"\0" * word
                x += word + 1
            line_row = b"\0" + bytes(bar[:row_bytes])
        rows.append(line_row)
    pixels_per_metre = round(dpi / 0.0254)
    png = b"\x89PNG\r\n\x1a\n"
    png += png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
    png += png_chunk(b"pHYs", struct.pack(">IIB", pixels_per_metre, pixels_per_metre, 1))
    png += png_chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
    png += png_chunk(b"IEND", b"")
    path.write_bytes(png)


def make_pdf(path, inflated_bytes=200_000_000, pages=1):
    """`pages` Letter pages sharing one content stream of `inflated_bytes` of operators."""
    operator = b"0 0 m 1 1 l S\n"  # a one-point line, stroked
    compressor = zlib.compressobj(9)
    block = operator * (CHUNK // len(operator))
    parts = []
    left = inflated_bytes // len(operator)
    per_block = CHUNK // len(operator)
    while left > 0:
        take = min(left, per_block)
        parts.append(compressor.compress(block[:take * len(operator)]))
        left -= take
    parts.append(compressor.flush())
    stream = b"".join(parts)

    kids = " ".join(f"{4 + i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\nstream\n" +
        stream + b"\nendstream",
    ]
    for _ in range(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       b"/Resources << >> /Contents 3 0 R >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    path.write_bytes(bytes(out))


def measure(command):
    """(exit status, stderr, seconds, peak RSS in MB) of one run."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        err.seek(0)
        message = err.read().decode("utf-8", "replace")
    return child.returncode, message, seconds, usage.ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ocr", default=str(ROOT / "build/bin/lupa-ocr"))
    parser.add_argument("--keep", help="write the files to this folder and keep them")
    parser.add_argument("--file-time-limit", type=int,
                        help="passed to lupa-ocr (default: lupa-ocr's own)")
    parser.add_argument("--only", choices=["tiff", "png", "pdf"], action="append")
    parser.add_argument("--pdf-pages", type=int, default=3,
                        help="pages of inflating.pdf, all drawing the same stream (default 3)")
    args = parser.parse_args()
    if not Path(args.ocr).exists():
        sys.exit(f"{args.ocr}: not built (cmake --build build)")

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        files = {
            "tiff": (folder / "pages.tif", make_tiff),
            "png": (folder / "poster-72dpi.png", make_png),
            "pdf": (folder / "inflating.pdf", make_pdf),
        }
        print(f"{'file':<18} {'size':>9} {'exit':>4} {'seconds':>8} {'peak RSS':>9}  stderr")
        for name, (path, make) in files.items():
            if args.only and name not in args.only:
                continue
            if name == "pdf":
                make(path, pages=args.pdf_pages)
            else:
                make(path)
            command = [args.ocr, str(path)]
            if args.file_time_limit is not None:
                command[1:1] = ["--file-time-limit", str(args.file_time_limit)]
            status, err, seconds, peak_mb = measure(command)
            size_kb = path.stat().st_size / 1024
            last_line = err.strip().splitlines()[-1] if err.strip() else ""
            print(f"{path.name:<18} {size_kb:>6.0f} KB {status:>4} {seconds:>8.1f} "
                  f"{peak_mb:>6.0f} MB  {last_line[:100]}", flush=True)


if __name__ == "__main__":
    main()
