#!/usr/bin/env python3
"""Makes the scanned-report samples in corpus/scans and their ground truth in tests/data/scans.

Why these samples exist: many OGP documents (action plans, self-assessments, balances) are
published only as scans, so Lupa must OCR images and image-only PDFs. These samples let the
tests and bench/ocr_bench.py measure that OCR against a known text. Every page is rendered from
real passages of the corpus documents in corpus/*.txt, wrapped into lines here, so the ground
truth is exactly the rendered text: one file per sample, `<sample file name>.txt`, UTF-8, one
line per rendered line, an empty line between paragraphs, pages separated by a form feed.

Samples and what each degradation models:
  clean-300dpi.png       a clean 300 dpi greyscale page: the best case, a flatbed scan of a print.
  degraded-rotated.png   rotated 1.5 degrees: a sheet fed slightly askew (deskew needed).
  degraded-noisy.jpg     gaussian noise (sigma 20 grey levels), then a 1 px gaussian blur, saved
                         JPEG quality 75: paper grain and sensor noise seen through soft optics.
  degraded-150dpi.png    downscaled to 150 dpi: a low-resolution scan, small x-heights.
  degraded-jpeg.jpg      JPEG quality 12: blocking and ringing of an over-compressed upload.
  hard-scan.jpg          all at once: 2.5 degrees of skew, uneven lighting (one corner 45 % darker
                         than the opposite one, a book page lifted off the glass), the dark edge of
                         the scanner lid along the left side, dust speckles, 200 dpi, JPEG 20.
  table-monospaced.png   a compliance table in a monospaced font, columns separated by spaces:
                         tests reading order (row by row), not noise; no degradation.
  image-only-report.pdf  3 pages, each a 300 dpi greyscale JPEG (quality 60) inside the PDF and no
                         text layer: what a scanner's "scan to PDF" produces.
  text-layer-report.pdf  2 pages with a real text layer (Helvetica, WinAnsiEncoding) written by the
                         small PDF writer below: must be read from its text, never recognised.
  multipage.tif          2 pages, 300 dpi, 1 bit, CCITT group 4: a fax-style bilevel archive scan.

--bench-pdf PATH writes instead, and only, a 10-page image-only PDF (300 dpi, JPEG quality 60)
of one report and its ground truth at PATH.txt, for bench/ocr_bench.py; it is not part of the
repository, and the samples are left alone.

Everything is deterministic: fixed seeds, fixed PDF dates, so a rerun gives identical bytes
(with the same Pillow and FreeType). Needs python3-pil and fonts-dejavu-core.

The hard set, in tests/data/scans/hard (--hard), each image beside its `<name>.txt`: eight
pages of other passages and the compliance table, each degraded like hard-scan.jpg but with the
strengths drawn from its own seed (skew 2-3 degrees either way, the darker corner anywhere, the
dark edge left or right, 300-500 speckles, JPEG quality 18-25), so that what is measured on it
is not one page's conditions.

Usage: scripts/make-scan-samples.py [--out corpus/scans] [--truth tests/data/scans]
                                    [--hard tests/data/scans/hard]
       scripts/make-scan-samples.py --bench-pdf PATH
"""
import argparse
import dataclasses
import io
import json
import pathlib
import random
import re
import statistics
import sys
import time
from collections.abc import Callable

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

REPO = pathlib.Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
FONTS = pathlib.Path("/usr/share/fonts/truetype/dejavu")
SERIF, SERIF_BOLD = FONTS / "DejaVuSerif.ttf", FONTS / "DejaVuSerif-Bold.ttf"
SANS, SANS_BOLD = FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"
MONO = FONTS / "DejaVuSansMono.ttf"

SEED = 20240611
PAGE_INCHES = (8.5, 11.0)  # US Letter
MARGIN_INCHES = 1.0
PAGE_CHARACTERS = 2300  # at most this many characters of text on a page
DPI = 300

# Lines of the corpus files that are not running text: the page headers of the 2011 action
# plan, repeated on every page of the original.
RUNNING_HEADERS = {
    "Alianza para el Gobierno Abierto Plan de Acción de México",
    "Alianza para el Gobierno Abierto",
    "Plan de Acción de México",
    "Nueva York",
    "20 de septiembre de 2011",
}

# Characters whose rendering an OCR engine cannot be expected to tell apart from a plainer
# one, replaced so that the ground truth is unambiguous.
PLAIN_CHARACTERS = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'",
    "\u2014": "-", "\u2013": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-",
    "\u2022": "-", "\u00b7": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " ",
    "\u00ad": None,
})
SUPERSCRIPT_DIGITS = "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"


# ----------------------------------------------------------------------------------------------
# Corpus text: the documents' paragraphs, cleaned of markup.

@dataclasses.dataclass
class Block:
    """A paragraph, heading or list item of a corpus document."""
    text: str
    heading: bool
    item: bool = False


def plain_text(line):
    """The text of one corpus line without markdown, HTML or ambiguous characters."""
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)  # [text](link) -> text
    line = re.sub(r"<(https?://[^>\s]+)>", r"\1", line)  # <http://...> -> http://...
    line = re.sub(r"<[^>]+>", " ", line)  # HTML tags
    line = line.replace("*", "")  # markdown emphasis
    line = line.replace("\u2026", "...").translate(PLAIN_CHARACTERS)
    line = re.sub(f"[{SUPERSCRIPT_DIGITS}]", "", line)  # footnote calls
    return re.sub(r"\s+", " ", line).strip()


def is_heading(text):
    """Short lines without final punctuation are headings (rendered bold)."""
    return (len(text) < 70 and not re.search(r"[.,;:]$", text) and ": " not in text
            and not re.match(r"(- |\d+\. )", text))


CONTINUING_WORDS = re.compile(
    r"\b(and|or|of|the|a|an|to|in|for|with|that|y|e|o|de|del|la|las|el|los|en|al|que|por|"
    r"para|con|un|una)$")


def is_list_item(text):
    numbered = re.match(r"(\d+|[ivx]+)[.)] ", text) and len(text) < 120
    return bool(text.startswith("- ") or numbered)


def continues_previous(previous, text):
    """A paragraph cut by a page break of the original goes on in the next line of the file:
    the previous paragraph is unfinished and this one starts in lower case or the previous one
    ends with a word like "and" or "de"."""
    if not previous or previous.heading or is_list_item(text) or text.startswith("http"):
        return False
    if re.search(r"[.:;!?)\"]$", previous.text):
        return False
    return text[:1].islower() or bool(CONTINUING_WORDS.search(previous.text))


def read_blocks(file_name):
    """The paragraphs of a corpus document, in order, without headers, footnotes or tables."""
    blocks = []
    for raw in (CORPUS / file_name).read_text(encoding="utf-8").splitlines():
        if (not raw.strip() or "\t" in raw or raw.lstrip()[:1] in SUPERSCRIPT_DIGITS
                or re.fullmatch(r"\[[^\]]*\]\(#\)", raw.strip())):
            continue  # blank lines, table rows, footnotes, the table of contents
        text = plain_text(raw)
        if (not text or text in RUNNING_HEADERS or text.upper().startswith("INFOGRAFÍA")
                or re.fullmatch(r"[-=]{3,}", text) or re.fullmatch(r"https?://\S+", text)):
            continue  # page headers, image captions, rules, bare addresses
        previous = blocks[-1] if blocks else None
        if continues_previous(previous, text):
            previous.text += " " + text
        else:
            blocks.append(Block(text, is_heading(text), is_list_item(text)))
    return blocks


def blocks_from(file_name, first_words):
    """The blocks of a document from the one that starts with `first_words` to its end."""
    blocks = read_blocks(file_name)
    for i, block in enumerate(blocks):
        if block.text.startswith(first_words):
            return blocks[i:]
    sys.exit(f"make-scan-samples: no paragraph of corpus/{file_name} starts with {first_words!r}")


# ----------------------------------------------------------------------------------------------
# Layout: wrapping blocks into lines and lines into pages.

@dataclasses.dataclass
class Line:
    text: str
    bold: bool = False
    starts_paragraph: bool = False


@dataclasses.dataclass
class Style:
    """How text is set on a page. Lengths are in pixels of the render (points for PDF text)."""
    font: ImageFont.FreeTypeFont
    bold_font: ImageFont.FreeTypeFont
    page_size: tuple
    margin: int
    line_height: int
    paragraph_gap: int
    budget: int = PAGE_CHARACTERS

    @property
    def text_width(self):
        return self.page_size[0] - 2 * self.margin

    @property
    def text_bottom(self):
        return self.page_size[1] - self.margin


def raster_style(regular, bold, points, dpi=DPI, spacing=1.45):
    """A style for a page rendered at `dpi`, font size `points` (pixels = points * dpi / 72)."""
    size = round(points * dpi / 72)
    line_height = round(size * spacing)
    return Style(font=ImageFont.truetype(str(regular), size),
                 bold_font=ImageFont.truetype(str(bold), size),
                 page_size=(round(PAGE_INCHES[0] * dpi), round(PAGE_INCHES[1] * dpi)),
                 margin=round(MARGIN_INCHES * dpi), line_height=line_height,
                 paragraph_gap=line_height // 2)


def wrap(text, font, width):
    """Greedy word wrap measured with the font; a word wider than the line is cut."""
    lines, current = [], ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while font.getlength(word) > width:  # e.g. a long address
            cut = max(i for i in range(1, len(word)) if font.getlength(word[:i]) <= width)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def set_lines(blocks, style):
    """The lines of the blocks; consecutive list items are set without a gap between them."""
    lines, previous = [], None
    for block in blocks:
        font = style.bold_font if block.heading else style.font
        wrapped = wrap(block.text, font, style.text_width)
        new_paragraph = not (block.item and previous and previous.item)
        for i, text in enumerate(wrapped):
            starts = i == 0 and new_paragraph
            lines.append(Line(text, bold=block.heading, starts_paragraph=starts))
        previous = block
    return lines


def paginate(blocks, style, pages_wanted):
    """The first `pages_wanted` pages of the blocks: each page holds lines until the next would
    pass the character budget or the bottom margin; a heading is never left last on a page."""
    lines = set_lines(blocks, style)
    pages, index = [], 0
    while len(pages) < pages_wanted:
        if index >= len(lines):
            sys.exit("make-scan-samples: the passage is too short for "
                     f"{pages_wanted} pages")
        page, characters, y = [], 0, style.margin
        while index < len(lines):
            line = lines[index]
            gap = style.paragraph_gap if line.starts_paragraph and page else 0
            if page and (characters + len(line.text) > style.budget
                         or y + gap + style.line_height > style.text_bottom):
                break
            page.append(line)
            characters += len(line.text)
            y += gap + style.line_height
            index += 1
        while len(page) > 1 and page[-1].bold and index < len(lines):
            page.pop()
            index -= 1
        pages.append(page)
    return pages


def page_truth(page):
    """The ground truth of a page: its lines, an empty line before each new paragraph."""
    out = []
    for line in page:
        if line.starts_paragraph and out:
            out.append("")
        out.append(line.text)
    return "\n".join(out)


def render_page(page, style):
    """A white greyscale page with the lines drawn in black, anti-aliased."""
    image = Image.new("L", style.page_size, 255)
    draw = ImageDraw.Draw(image)
    y = style.margin
    for i, line in enumerate(page):
        if line.starts_paragraph and i > 0:
            y += style.paragraph_gap
        font = style.bold_font if line.bold else style.font
        draw.text((style.margin, y), line.text, font=font, fill=0)
        y += style.line_height
    return image


# ----------------------------------------------------------------------------------------------
# Degradations. Each takes and returns a greyscale image.

def rotate(image, degrees):
    """Skew of a sheet fed askew; the corners uncovered are white paper (the lid)."""
    return image.rotate(degrees, resample=Image.BICUBIC, expand=False, fillcolor=255)


def gaussian_noise(size, sigma, rng):
    """An image of gaussian noise around grey 128: uniform random bytes mapped through the
    inverse normal distribution (seeded, unlike Image.effect_noise)."""
    normal = statistics.NormalDist(128, sigma)
    table = [min(255, max(0, round(normal.inv_cdf((i + 0.5) / 256)))) for i in range(256)]
    uniform = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    return uniform.point(table)


def add_noise(image, sigma, rng):
    """Paper grain and sensor noise: each pixel moves by a gaussian amount."""
    return ImageChops.add(image, gaussian_noise(image.size, sigma, rng), scale=1.0, offset=-128)


def downscale(image, from_dpi, to_dpi):
    """A scan made at a lower resolution."""
    size = (round(image.width * to_dpi / from_dpi), round(image.height * to_dpi / from_dpi))
    return image.resize(size, Image.LANCZOS)


def uneven_lighting(image, darkest=0.55, dark_corner=(1, 1)):
    """Light falling off across the page (a page not flat on the glass): brightness goes from
    full at one corner to `darkest` at the opposite one, `dark_corner` (x, y: 0 left or top,
    1 right or bottom; the bottom right by default), smoothly."""
    cells = 32
    light = Image.new("L", (cells + 1, cells + 1))
    corner_x, corner_y = (cells * c for c in dark_corner)
    light.putdata([round(255 * (1 - (1 - darkest) * (cells - abs(x - corner_x)
                                                     + cells - abs(y - corner_y)) / (2 * cells)))
                   for y in range(cells + 1) for x in range(cells + 1)])
    light = light.resize(image.size, Image.BILINEAR)
    return ImageChops.multiply(image, light)


def scanner_edge(image, rng, narrowest=60, widest=100):
    """The dark border of a scan where the lid does not cover the glass: black at the left edge
    fading to grey, with a ragged inner boundary (a random walk of its width)."""
    pixels = image.load()
    width = (narrowest + widest) / 2
    for y in range(image.height):
        width = min(widest, max(narrowest, width + rng.uniform(-2.5, 2.5)))
        edge = round(width)
        for x in range(edge):
            shade = 10 + 120 * (x / edge) ** 2 + rng.uniform(-8, 8)
            pixels[x, y] = min(pixels[x, y], max(0, round(shade)))
    return image


def speckles(image, rng, count):
    """Dust and toner specks: small dark dots anywhere on the page."""
    draw = ImageDraw.Draw(image)
    for _ in range(count):
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        size = rng.randint(1, 3)
        draw.ellipse((x, y, x + size - 1, y + size - 1), fill=rng.randint(0, 60))
    return image


# ----------------------------------------------------------------------------------------------
# Writers.

def save_png(image, path, dpi):
    image.save(path, "PNG", dpi=(dpi, dpi), optimize=True)


def save_jpeg(image, path, dpi, quality):
    image.save(path, "JPEG", dpi=(dpi, dpi), quality=quality, optimize=True)


def pdf_date(date):
    """A fixed PDF date (the source document's) instead of Pillow's current time, so that
    reruns give identical files."""
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return time.struct_time((parts[0], parts[1], parts[2], 0, 0, 0, 0, 1, 0))


def save_image_pdf(images, path, dpi, title, date):
    """An image-only PDF: Pillow embeds each greyscale page as a JPEG (DCTDecode) stream."""
    first, *rest = images
    stamp = pdf_date(date)
    first.save(path, "PDF", resolution=dpi, save_all=True, append_images=rest, quality=60,
               optimize=True, title=title, creationDate=stamp, modDate=stamp)


def save_tiff_g4(images, path, dpi):
    """A bilevel multi-page TIFF, CCITT group 4, thresholded at mid grey (no dithering)."""
    bilevel = [image.point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.NONE)
               for image in images]
    first, *rest = bilevel
    first.save(path, "TIFF", compression="group4", dpi=(dpi, dpi), save_all=True,
               append_images=rest)


def pdf_string(text):
    """A PDF literal string in WinAnsiEncoding (cp1252), with ( ) and \\ escaped."""
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def write_text_pdf(pages, style, path, title):
    """A PDF 1.4 with a real text layer: the standard Type1 font Helvetica (WinAnsiEncoding),
    one content stream per page, one BT/ET per line placed with Td. `style` is in points with
    the origin at the top left; PDF's origin is the bottom left."""
    font_size = style.font.size
    page_height = style.page_size[1]
    objects = []  # object n is objects[n - 1]

    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(None)
    page_tree = add(None)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
               b" /Encoding /WinAnsiEncoding >>")
    info = add(b"<< /Title " + pdf_string(title)
               + b" /Producer (scripts/make-scan-samples.py) >>")
    kids = []
    for page in pages:
        commands, y = [], style.margin
        for i, line in enumerate(page):
            if line.starts_paragraph and i > 0:
                y += style.paragraph_gap
            baseline = page_height - y - font_size
            commands.append(b"BT /F1 %d Tf %d %d Td " % (font_size, style.margin, baseline)
                            + pdf_string(line.text) + b" Tj ET")
            y += style.line_height
        stream = b"\n".join(commands) + b"\n"
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d]"
                        b" /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                        % (page_tree, style.page_size[0], page_height, font, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % page_tree
    objects[page_tree - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                              + b"] /Count %d >>" % len(kids))

    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")  # the comment marks the file as binary
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, catalog, info, xref))
    path.write_bytes(out.getvalue())


def pdf_text_style():
    """Helvetica 11 pt on Letter with 1 inch margins, lengths in points. Lines are measured
    with DejaVu Sans, which is wider than Helvetica, so they never pass the right margin."""
    font = ImageFont.truetype(str(SANS), 11)
    return Style(font=font, bold_font=font, page_size=(612, 792), margin=72, line_height=15,
                 paragraph_gap=7)


# ----------------------------------------------------------------------------------------------
# The compliance table.

# Responsible authorities as the self-assessment report names them for each commitment
# ("Responsible authority: ..." and the budget transparency portal of the SHCP).
TABLE_AUTHORITIES = {
    "4": "Profeco", "8": "IFAI", "14": "PGR", "23": "SEGOB, INM", "28": "SEMARNAT",
    "36": "SEP, SHCP", "41": "SFP", "42": "SFP", "46": "SFP", "48": "SFP, SEGOB",
    "50": "SHCP", "51": "SHCP", "53": "SHCP", "54a": "SHCP", "54b": "SHCP",
    "57": "SHCP, CONEVAL",
}
COMPLIANCE = {"TC": 1.0, "PC": 0.5, "NC": 0.0}
STATUS = {"TC": "Total", "PC": "Partial", "NC": "Null"}


def compliance_rows():
    """Rows of the compliance table of corpus/mx-2012-self-assessment-report.txt (section IV,
    one row per commitment): commitment, key words, authority, progress (the share of the five
    aspects evaluated that were met, partial compliance counting half) and global evaluation."""
    rows = []
    text = (CORPUS / "mx-2012-self-assessment-report.txt").read_text(encoding="utf-8")
    for raw in text.splitlines():
        cells = raw.split("\t")
        if len(cells) != 10 or cells[1] not in TABLE_AUTHORITIES:
            continue
        aspects, overall = cells[4:9], cells[9]
        progress = round(100 * sum(COMPLIANCE[a] for a in aspects) / len(aspects))
        rows.append([cells[1], cells[2], TABLE_AUTHORITIES[cells[1]], f"{progress}%",
                     STATUS[overall]])
    return rows


def table_page():
    """The table page image and its ground truth (row by row, cells joined by one space)."""
    title = "Extended Action Plan: compliance by commitment, December 2012"
    header = ["No.", "Key words", "Authority", "Progress", "Status"]
    rows = [header] + compliance_rows()
    widths = [max(len(row[c]) for row in rows) for c in range(len(header))]
    text_lines = [title, ""] + ["   ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
                                for row in rows]
    size = round(10 * DPI / 72)
    font = ImageFont.truetype(str(MONO), size)
    margin, line_height = round(MARGIN_INCHES * DPI), round(size * 1.7)
    image = Image.new("L", (round(PAGE_INCHES[0] * DPI), round(PAGE_INCHES[1] * DPI)), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(text_lines):
        assert font.getlength(line) <= image.width - 2 * margin, line
        draw.text((margin, margin + i * line_height), line, font=font, fill=0)
    truth = "\n".join([title, ""] + [" ".join(row) for row in rows])
    return image, truth


# ----------------------------------------------------------------------------------------------
# The samples.

@dataclasses.dataclass
class Sample:
    """A sample file: its text is `pages` consecutive pages of corpus document `source` from
    the paragraph that starts with `section`; `make` writes it and returns (truth, dpi)."""
    name: str
    source: str
    section: str
    pages: int
    language: str
    make: Callable
    regular: pathlib.Path = SERIF
    bold: pathlib.Path = SERIF_BOLD
    points: float = 11

    def layout(self, style=None):
        style = style or raster_style(self.regular, self.bold, self.points)
        return paginate(blocks_from(self.source, self.section), style, self.pages), style

    def render(self):
        """The pages rendered at 300 dpi, and their ground truth."""
        pages, style = self.layout()
        return ([render_page(p, style) for p in pages],
                "\f".join(page_truth(p) for p in pages))

    def is_scan(self):
        return self.make is not make_text_pdf

    def title(self):
        pages = "1 page" if self.pages == 1 else f"{self.pages} pages"
        kind = "scan" if self.is_scan() else "excerpt"
        return f"{document(self.source)['title']} ({kind}, {pages}: {self.section})"

    def date(self):
        return document(self.source)["date"]


def make_clean(sample, path, rng):
    images, truth = sample.render()
    save_png(images[0], path, DPI)
    return truth, DPI


def make_rotated(sample, path, rng):
    images, truth = sample.render()
    save_png(rotate(images[0], 1.5), path, DPI)
    return truth, DPI


def make_noisy(sample, path, rng):
    images, truth = sample.render()
    noisy = add_noise(images[0], 20, rng).filter(ImageFilter.GaussianBlur(1))
    save_jpeg(noisy, path, DPI, quality=75)
    return truth, DPI


def make_low_resolution(sample, path, rng):
    images, truth = sample.render()
    save_png(downscale(images[0], DPI, 150), path, 150)
    return truth, 150


def make_compressed(sample, path, rng):
    images, truth = sample.render()
    save_jpeg(images[0], path, DPI, quality=12)
    return truth, DPI


def make_hard_scan(sample, path, rng):
    images, truth = sample.render()
    scan = uneven_lighting(rotate(images[0], 2.5), darkest=0.55)
    scan = speckles(scanner_edge(scan, rng), rng, count=400)
    save_jpeg(downscale(scan, DPI, 200), path, 200, quality=20)
    return truth, 200


def hard_degradation(image, rng):
    """The degradations of hard-scan.jpg with their strengths drawn from `rng`, so that a set
    of hard pages is not one page's conditions repeated: 2-3 degrees of skew either way, the
    far corner 40-50 % darker (any corner), the scanner's dark edge on the left or the right,
    300-500 speckles, 200 dpi and JPEG quality 18-25. Returns the image and the quality."""
    degrees = rng.choice((-1, 1)) * rng.uniform(2.0, 3.0)
    darkest = rng.uniform(0.5, 0.6)
    dark_corner = (rng.randint(0, 1), rng.randint(0, 1))
    edge_on_right = rng.random() < 0.5
    scan = uneven_lighting(rotate(image, degrees), darkest=darkest, dark_corner=dark_corner)
    if edge_on_right:
        scan = scanner_edge(scan.transpose(Image.FLIP_LEFT_RIGHT), rng)
        scan = scan.transpose(Image.FLIP_LEFT_RIGHT)
    else:
        scan = scanner_edge(scan, rng)
    scan = speckles(scan, rng, count=rng.randint(300, 500))
    return downscale(scan, DPI, 200), rng.randint(18, 25)


def make_varied_hard_scan(sample, path, rng):
    images, truth = sample.render()
    scan, quality = hard_degradation(images[0], rng)
    save_jpeg(scan, path, 200, quality=quality)
    return truth, 200


def make_hard_table(sample, path, rng):
    image, truth = table_page()
    scan, quality = hard_degradation(image, rng)
    save_jpeg(scan, path, 200, quality=quality)
    return truth, 200


def make_table(sample, path, rng):
    image, truth = table_page()
    save_png(image, path, DPI)
    return truth, DPI


def make_image_pdf(sample, path, rng):
    images, truth = sample.render()
    save_image_pdf(images, path, DPI, sample.title(), sample.date())
    return truth, DPI


def make_text_pdf(sample, path, rng):
    pages, style = sample.layout(pdf_text_style())
    write_text_pdf(pages, style, path, sample.title())
    return "\f".join(page_truth(p) for p in pages), None


def make_tiff(sample, path, rng):
    images, truth = sample.render()
    save_tiff_g4(images, path, DPI)
    return truth, DPI


ACTION_PLAN_2011 = "mx-2011-action-plan-es-en.txt"
SELF_ASSESSMENT_2012 = "mx-2012-self-assessment-report.txt"
BALANCE_2015 = "mx-2015-balance-ogp-mexico.txt"
ACTION_PLAN_2019 = "mx-2019-2021-action-plan-summary.txt"

SAMPLES = [
    Sample("clean-300dpi.png", ACTION_PLAN_2011, "INTRODUCCIÓN", 1, "es", make_clean),
    Sample("degraded-rotated.png", BALANCE_2015, "Preámbulo", 1, "es", make_rotated,
           SANS, SANS_BOLD),
    Sample("degraded-noisy.jpg", SELF_ASSESSMENT_2012, "I. Introduction", 1, "en", make_noisy,
           points=12),
    Sample("degraded-150dpi.png", ACTION_PLAN_2011, "II. Esfuerzos realizados hasta ahora", 1,
           "es", make_low_resolution, points=12),
    Sample("degraded-jpeg.jpg", ACTION_PLAN_2019, "Plan Characterization", 1, "en",
           make_compressed, SANS, SANS_BOLD),
    Sample("hard-scan.jpg", SELF_ASSESSMENT_2012, "III. Significant cases", 1, "en",
           make_hard_scan, points=12),
    Sample("table-monospaced.png", SELF_ASSESSMENT_2012, "compliance table", 1, "en",
           make_table),
    Sample("image-only-report.pdf", BALANCE_2015,
           "3.c-Gobierno Abierto para el Desarrollo Sostenible", 3, "es", make_image_pdf),
    Sample("text-layer-report.pdf", SELF_ASSESSMENT_2012, "IV. Conclusions and responses", 2,
           "en", make_text_pdf),
    Sample("multipage.tif", ACTION_PLAN_2011, "III. Compromisos", 2, "es", make_tiff,
           SANS, SANS_BOLD),
]
# The hard set: the conditions of hard-scan.jpg, drawn afresh for each page, on eight passages
# of four documents in both languages and both typefaces, and on the compliance table. It is
# kept out of corpus/scans (which the indexer's tests read as a corpus) in tests/data/scans/hard,
# each image beside its ground truth.
HARD_SAMPLES = [
    Sample("hard-es-services.jpg", ACTION_PLAN_2011, "Mejora de los Servicios Públicos", 1, "es",
           make_varied_hard_scan),
    Sample("hard-en-introduction.jpg", ACTION_PLAN_2011, "I. Introduction", 1, "en",
           make_varied_hard_scan, SANS, SANS_BOLD),
    Sample("hard-en-evaluation.jpg", SELF_ASSESSMENT_2012, "II. Evaluation of the results", 1,
           "en", make_varied_hard_scan, points=12),
    Sample("hard-en-bad-practices.jpg", SELF_ASSESSMENT_2012, "III.II Bad practices", 1, "en",
           make_varied_hard_scan, SANS, SANS_BOLD),
    Sample("hard-es-presidency.jpg", BALANCE_2015, "2 - México como presidente de la AGA", 1,
           "es", make_varied_hard_scan),
    Sample("hard-es-transparency-law.jpg", BALANCE_2015,
           "Ley General de Transparencia y Acceso a la Información", 1, "es",
           make_varied_hard_scan, SANS, SANS_BOLD, points=12),
    Sample("hard-es-impact.jpg", BALANCE_2015, "4.4 - Evaluando el impacto del Gobierno Abierto",
           1, "es", make_varied_hard_scan),
    Sample("hard-es-resources.jpg", ACTION_PLAN_2011,
           "Manejo de recursos públicos con mayor eficacia y eficiencia", 1, "es",
           make_varied_hard_scan, SANS, SANS_BOLD),
    Sample("hard-table.jpg", SELF_ASSESSMENT_2012, "compliance table", 1, "en", make_hard_table),
]
BENCH = Sample("bench.pdf", BALANCE_2015, "4-Alianza para el Gobierno Abierto en México", 10,
               "es", make_image_pdf)


# ----------------------------------------------------------------------------------------------
# Metadata.

def document(file_name):
    """The corpus manifest's entry for a corpus document."""
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    return next(d for d in manifest["documents"] if d["file"] == file_name)


def manifest_entry(sample):
    original = document(sample.source)
    return {
        "file": sample.name,
        "title": sample.title(),
        "country": original["country"],
        "plans": original["plans"],
        "type": original["type"],
        "languages": [sample.language],
        "date": original["date"],
        "source": ("Scan" if sample.is_scan() else "PDF with a text layer")
        + f" made by scripts/make-scan-samples.py from corpus/{sample.source}",
    }


def manifest_json(entries):
    """The manifest laid out like corpus/manifest.json: one field a line, lists inline."""
    def value(v):
        return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))
    documents = ",\n".join(
        "    {\n" + ",\n".join(f"      {value(k)}: {value(v)}" for k, v in e.items()) + "\n    }"
        for e in entries)
    return ('{\n  "format": "lupa-manifest/1",\n  "documents": [\n' + documents
            + "\n  ]\n}\n")


def write_truth(path, truth):
    path.write_text(truth + "\n", encoding="utf-8", newline="\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=pathlib.Path, default=REPO / "corpus" / "scans")
    parser.add_argument("--truth", type=pathlib.Path, default=REPO / "tests" / "data" / "scans")
    parser.add_argument("--hard", type=pathlib.Path,
                        default=REPO / "tests" / "data" / "scans" / "hard",
                        help="where the hard set goes, each image beside its ground truth")
    parser.add_argument("--bench-pdf", type=pathlib.Path,
                        help="only write a 10-page image-only PDF here, its truth at PATH.txt")
    args = parser.parse_args()
    if args.bench_pdf:
        truth, _ = BENCH.make(BENCH, args.bench_pdf, None)
        write_truth(pathlib.Path(f"{args.bench_pdf}.txt"), truth)
        print(f"{args.bench_pdf}: {BENCH.pages} pages, ground truth in {args.bench_pdf}.txt")
        return
    args.out.mkdir(parents=True, exist_ok=True)
    args.truth.mkdir(parents=True, exist_ok=True)
    args.hard.mkdir(parents=True, exist_ok=True)
    for samples, out, truth_folder in ((SAMPLES, args.out, args.truth),
                                       (HARD_SAMPLES, args.hard, args.hard)):
        for sample in samples:
            rng = random.Random(f"{SEED}:{sample.name}")
            truth, dpi = sample.make(sample, out / sample.name, rng)
            write_truth(truth_folder / f"{sample.name}.txt", truth)
            print(f"{out / sample.name}: {truth.count(chr(12)) + 1} page(s), {len(truth)} "
                  f"characters, {sample.language}" + (f", {dpi} dpi" if dpi else ", text layer"))
    (args.out / "manifest.json").write_text(
        manifest_json([manifest_entry(s) for s in SAMPLES]), encoding="utf-8")


if __name__ == "__main__":
    main()
