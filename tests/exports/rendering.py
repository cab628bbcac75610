"""Exports printed the way the province office prints them: LibreOffice turns each file into
a PDF, pdfplumber reads the pages back.

One soffice start converts many files (a start takes seconds); each run has its own user
profile, so runs in parallel never share LibreOffice's lock.
"""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

A4 = (595.3, 841.9)
#: How far a page's size may be from A4, in points.
SIZE_SLACK = 2.0
#: Two characters overlap when their boxes share more than this part of the smaller one.
OVERLAP_SHARE = 0.25


def convert(files: dict[str, bytes], workdir: Path) -> dict[str, Path]:
    """Every file (name → bytes) converted to PDF by one LibreOffice run; name → PDF path."""
    sources, out = workdir / "in", workdir / "pdf"
    sources.mkdir(parents=True)
    out.mkdir()
    for name, data in files.items():
        (sources / name).write_bytes(data)
    command = [
        shutil.which("soffice") or "soffice",
        f"-env:UserInstallation=file://{workdir / 'profile'}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        *(str(sources / name) for name in files),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    pdfs = {name: out / (Path(name).stem + ".pdf") for name in files}
    missing = [name for name, pdf in pdfs.items() if not pdf.exists()]
    assert not missing, f"LibreOffice made no PDF of {missing}"
    return pdfs


@dataclass
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class Page:
    number: int
    width: float
    height: float
    chars: list[Char]
    text: str
    #: Every table row found on the page, each cell's text without spaces or line breaks.
    rows: list[tuple[str, ...]]

    @property
    def flat(self) -> str:
        """The page's text without spaces and line breaks, to find words split by wrapping."""
        return "".join(self.text.split())


def read_pdf(path: Path) -> list[Page]:
    pages = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            chars = [
                Char(c["text"], c["x0"], c["x1"], c["top"], c["bottom"])
                for c in page.chars
                if c["text"].strip()
            ]
            rows = [
                tuple("".join((cell or "").split()) for cell in row)
                for table in page.find_tables()
                for row in table.extract()
            ]
            text = page.extract_text() or ""
            pages.append(Page(number, page.width, page.height, chars, text, rows))
    return pages


def is_a4(page: Page) -> bool:
    size = sorted((page.width, page.height))
    return all(abs(have - want) <= SIZE_SLACK for have, want in zip(size, A4, strict=True))


def _shared(a: Char, b: Char) -> float:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a.x1 - a.x0) * (a.bottom - a.top), (b.x1 - b.x0) * (b.bottom - b.top))
    return width * height / smaller if smaller > 0 else 0.0


def overlaps(page: Page) -> list[tuple[str, str]]:
    """Pairs of characters printed on top of each other (a grid keeps this near-linear)."""
    cell = 24.0
    grid: dict[tuple[int, int], list[Char]] = {}
    for char in page.chars:
        grid.setdefault((int(char.x0 // cell), int(char.top // cell)), []).append(char)
    found = []
    for (gx, gy), chars in grid.items():
        neighbours = [
            other
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for other in grid.get((gx + dx, gy + dy), [])
        ]
        for char in chars:
            for other in neighbours:
                if (
                    other is not char
                    and id(char) < id(other)
                    and _shared(char, other) > OVERLAP_SHARE
                ):
                    found.append((char.text, other.text, round(char.x0), round(char.top)))
    return found


def pages_with_row(pages: list[Page], *cells: str) -> list[int]:
    """The pages with a table row holding all these cells whole, in this order.

    A row cut by a page break shows on each page with only part of its cells' text, so it
    matches nowhere.
    """
    wanted = ["".join(cell.split()) for cell in cells]

    def holds(row: tuple[str, ...]) -> bool:
        position = 0
        for cell in wanted:
            try:
                position = row.index(cell, position) + 1
            except ValueError:
                return False
        return True

    return [page.number for page in pages if any(holds(row) for row in page.rows)]


def pages_with(pages: list[Page], text: str) -> list[int]:
    flat = "".join(text.split())
    return [page.number for page in pages if flat in page.flat]


def to_png(pdf: Path, folder: Path, resolution: int = 70) -> None:
    """The pages as PNG files, to look at."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(resolution), str(pdf), str(folder / pdf.stem)],
        check=True,
        capture_output=True,
        timeout=300,
    )


def shots_folder() -> Path | None:
    """Where to leave PNGs of the pages (YANXIU_SHOTS), or None."""
    folder = os.environ.get("YANXIU_SHOTS")
    return Path(folder) if folder else None
