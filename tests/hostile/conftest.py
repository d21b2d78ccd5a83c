"""A folder of hostile files, made by the tests, mixed with the real seed documents.

Every file here is something a user or a document can put in front of a build: nothing in it
may hang, crash or corrupt anything. Permission checks need a process that permissions apply to:
as root the builds run through ``setpriv`` without the capabilities that bypass them.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import corpus_dir

REPETITIVE_BYTES = 2 * 1024 * 1024  # one 2 MB line of one sentence: enough to be unbounded work before
KOREAN = "대한민국과 아세안은 2009년 6월 제주에서 특별정상회의를 개최했다. 양측은 협력을 강화하기로 합의했다.\n"
NESTED_PARAGRAPH = ("The Foreign Ministers of ASEAN and the Republic of Korea reviewed maritime cooperation "
                    "in Jakarta and welcomed the new fellowship programme.")


def unprivileged() -> list[str]:
    """A command prefix under which file permissions apply (root loses the capabilities that skip them)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def run_as_user(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``communique ARGS`` in a process that file permissions apply to."""
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
    return subprocess.run([*unprivileged(), sys.executable, "-m", "communique", *args],
                          capture_output=True, text=True, timeout=timeout, env=env)


def pdf_bytes(lines: list[str], title: str = "Joint Statement") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle(title)
    y = 800
    for line in lines:
        c.drawString(60, y, line)
        y -= 16
    if not lines:
        c.rect(100, 100, 200, 200, fill=1)  # a drawing and no text: a scanned page
    c.showPage()
    c.save()
    return buf.getvalue()


def make_hostile_folder(folder: Path) -> dict[str, str]:
    """Write the hostile files; returns {relative path: what the build must say of it} for the bad ones
    ("" for files that must be stored)."""
    folder.mkdir(parents=True)
    expect: dict[str, str] = {}
    for seed in sorted(corpus_dir().glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
        expect[seed.name] = ""
    (folder / "empty.txt").write_bytes(b"")
    expect["empty.txt"] = "empty file"
    (folder / "blank.md").write_bytes(b"   \n\n\t\n")
    expect["blank.md"] = "empty file"
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    expect["binary.txt"] = "binary"
    (folder / "nul.txt").write_bytes(b"The ministers met in Seoul.\x00\x00\x00 And then\x00 again." * 50)
    expect["nul.txt"] = "binary"
    (folder / "random.pdf").write_bytes(os.urandom(5000))
    expect["random.pdf"] = "not a PDF"
    sentence = "ASEAN and the ROK held a dialogue on cooperation and trade. "
    (folder / "repetitive.txt").write_text(sentence * (REPETITIVE_BYTES // len(sentence)), encoding="utf-8")
    expect["repetitive.txt"] = ""
    with open(folder / "huge.txt", "wb") as handle:  # sparse: 30 MB that cost nothing to write
        handle.truncate(30 * 1024 * 1024)
    expect["huge.txt"] = "MB limit"
    os.mkfifo(folder / "fifo.txt")
    expect["fifo.txt"] = "not a regular file (a FIFO)"
    unreadable = folder / "unreadable.txt"
    unreadable.write_text("The Leaders adopted the Joint Statement on 3 March 2021 in Seoul.", encoding="utf-8")
    unreadable.chmod(0)
    expect["unreadable.txt"] = "permission denied"
    (folder / "broken-utf8.txt").write_bytes(b"Invalid bytes \x81\x8d\x90 in no known encoding \xff\xfe\xfd")
    expect["broken-utf8.txt"] = "not valid UTF-8"
    (folder / "broken-utf16.txt").write_bytes(b"\xff\xfe" + "Half a character".encode("utf-16-le") + b"\x00\xd8")
    expect["broken-utf16.txt"] = "invalid utf-16"
    (folder / "korean-utf16.txt").write_bytes((KOREAN * 4).encode("utf-16-le"))
    expect["korean-utf16.txt"] = ""
    statement = pdf_bytes(["SEOUL, 3 March 2021 - The two sides met and adopted a plan of action on trade."])
    (folder / "truncated.pdf").write_bytes(statement[: len(statement) // 3])
    expect["truncated.pdf"] = "PDF"
    (folder / "textless.pdf").write_bytes(pdf_bytes([]))
    expect["textless.pdf"] = "no extractable text"
    depth = 3000
    (folder / "nested.html").write_text(
        "<html><head><title>Deep page</title></head><body>" + "<div>" * depth + f"<p>{NESTED_PARAGRAPH}</p>"
        + "</div>" * depth + "</body></html>", encoding="utf-8")
    expect["nested.html"] = ""
    (folder / "broken-front-matter.md").write_text("---\ntitle: [unclosed\ndate: {\n---\nBody text here.\n",
                                                   encoding="utf-8")
    expect["broken-front-matter.md"] = "invalid YAML front matter"
    (folder / "javascript-url.md").write_text(
        '---\ntitle: "A statement with a hostile source"\nsource_url: "javascript:alert(document.cookie)"\n---\n'
        "The ASEAN-ROK Dialogue met in Busan and agreed to deepen cooperation on maritime security.\n",
        encoding="utf-8")
    expect["javascript-url.md"] = ""
    (folder / "images.md").write_text(
        "---\ntitle: Images everywhere\n---\n"
        'The Leaders welcomed the plan.<br>They agreed to support<br/>the four pillars of the partnership.\n\n'
        '<a href="https://example.org"><img src="https://example.org/chart.jpg" class="wp-image-1" style="width:500px" '
        + 'data-attr="' + "x" * 400 + '" decoding="async"/></a> The chart shows trade growth since 2010.\n\n'
        "An inline ![chart](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk) "
        "image and a bare data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs= blob.\n\n"
        "On the occasion of the 10<sup>th</sup> ASEAN-United States Summit the Leaders met.\n", encoding="utf-8")
    expect["images.md"] = ""
    os.symlink(folder / "loop-b.txt", folder / "loop-a.txt")
    os.symlink(folder / "loop-a.txt", folder / "loop-b.txt")
    expect["loop-a.txt"] = "symbolic link loop"
    expect["loop-b.txt"] = "symbolic link loop"
    os.symlink(folder / "nowhere.txt", folder / "dangling.txt")
    expect["dangling.txt"] = "cannot read"
    (folder / "sub").mkdir()
    os.symlink("..", folder / "sub" / "up")  # a folder loop: not followed
    odd = {
        "new\nline.md": "---\ntitle: A file name with a newline\n---\nThe Joint Committee met in Hanoi on 4 May 2019.\n",
        "space # and ?.txt": "The ASEAN-Korea Centre opened in Seoul in March 2009 to promote trade and tourism.",
        "한국어 문서.txt": "The Mekong-ROK Cooperation was launched in 2011 by the Foreign Ministers in Seoul.",
        "x" * 200 + ".txt": "A document with a very long file name about the ASEAN-ROK Plan of Action 2021-2025.",
    }
    for name, text in odd.items():
        (folder / "sub" / name).write_text(text, encoding="utf-8")
        expect["sub/" + name] = ""
    return expect


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("hostile") / "docs"
    return folder, make_hostile_folder(folder)


@pytest.fixture(scope="session")
def hostile_build(hostile: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The hostile folder built (as a user permissions apply to): the knowledge base and the report."""
    import json

    folder, _ = hostile
    db = tmp_path_factory.mktemp("hostiledb") / "kb.db"
    proc = run_as_user("build", str(folder), "--db", str(db), "--jobs", "2", "--json", "-q", timeout=100)
    assert proc.returncode == 0, proc.stderr
    return db, json.loads(proc.stdout)
