"""What the product imports at run time is declared in pyproject.toml (`pip install -e .` works).

An import satisfied only because the lock file or the test extras happen to install a package
(``lxml_html_clean``, which trafilatura needs to read HTML, was one) works here and fails in a
fresh venv. This runs the product's paths (every reader, extraction, the web app) in a fresh
process, maps every module it loaded to the distribution that installed it, and checks each is
among the declared dependencies or what they in turn require.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.conftest import ROOT, corpus_dir

EXERCISE = r"""
import importlib.abc, importlib.metadata, json, os, sys
allowed = set(json.loads(os.environ["ALLOWED_DISTRIBUTIONS"]))
owners = importlib.metadata.packages_distributions()
blocked = []

class Undeclared(importlib.abc.MetaPathFinder):
    # what a fresh venv lacks: a module only an undeclared distribution provides
    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        dists = owners.get(top)
        if dists and not any(d.lower().replace("_", "-") in allowed for d in dists):
            blocked.append(top)
            raise ModuleNotFoundError(f"No module named {top!r} (not declared)", name=top)
        return None

sys.meta_path.insert(0, Undeclared())
from pathlib import Path
from communique.ingest import SourceFile, load_document
from communique.extract import extract_all
for name in sys.argv[1:]:
    p = Path(name)
    extract_all(load_document(SourceFile(str(p), p.name, str(p.parent))))
import uvicorn, typer, rich
from communique.web import create_app
from communique.cli import app
json.dump({"modules": sorted({m.split(".")[0] for m in list(sys.modules)}), "blocked": sorted(set(blocked)),
           "html_chars": len(load_document(SourceFile(sys.argv[1], "a.html", str(Path(sys.argv[1]).parent))).text)},
          sys.stdout)
"""


def _inputs(folder: Path) -> list[str]:
    """One file of every format the product reads."""
    from tests.hostile.conftest import pdf_bytes

    html = ("<html><head><title>ASEAN-ROK Foreign Ministers meet</title></head><body><article>"
            + "<p>The Foreign Ministers of ASEAN and the Republic of Korea met in Jakarta on 4 August 2021 "
            "and reviewed cooperation on health and trade.</p>" * 5 + "</article></body></html>")
    (folder / "a.html").write_text(html, encoding="utf-8")
    (folder / "b.md").write_text("---\ntitle: T\ndate: 2021-08-04\n---\nThe Leaders met in Seoul.\n", encoding="utf-8")
    (folder / "c.pdf").write_bytes(pdf_bytes(["SEOUL, 3 March 2021 - The two sides met."]))
    seed = sorted(corpus_dir().glob("*.txt"))[0]
    return [str(folder / "a.html"), str(folder / "b.md"), str(folder / "c.pdf"), str(seed)]


def _name(dist: str) -> str:
    return re.sub(r"[-_.]+", "-", dist).lower()


def _closure(requirements: list[str]) -> set[str]:
    """Every distribution the given requirements bring in (markers evaluated, extras followed)."""
    seen: set[str] = set()
    todo = [(Requirement(r), "") for r in requirements]
    while todo:
        req, extra = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": extra}):
            continue
        name = _name(req.name)
        key = name + "[" + ",".join(sorted(req.extras)) + "]"
        if key in seen:
            continue
        seen.add(key)
        try:
            requires = metadata.requires(req.name) or []
        except metadata.PackageNotFoundError:
            continue
        for sub in requires:
            sub_req = Requirement(sub)
            if sub_req.marker is None or sub_req.marker.evaluate({"extra": ""}):
                todo.append((sub_req, ""))
            for wanted in req.extras:
                if sub_req.marker is not None and sub_req.marker.evaluate({"extra": wanted}):
                    todo.append((Requirement(str(sub_req).split(";")[0]), ""))
    return {k.split("[")[0] for k in seen}


def test_runtime_imports_are_declared(tmp_path: Path) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = _closure(project["dependencies"])
    allowed = sorted(declared | {"communique"})
    env = dict(os.environ, ALLOWED_DISTRIBUTIONS=json.dumps(allowed))
    proc = subprocess.run([sys.executable, "-c", EXERCISE, *_inputs(tmp_path)], capture_output=True, text=True,
                          timeout=300, env=env)
    assert proc.returncode == 0, "the product needs an undeclared package:\n" + proc.stderr[-1500:]
    result = json.loads(proc.stdout)
    assert result["html_chars"] > 100  # HTML was read with declared packages only
    assert "lxml_html_clean" in result["modules"]  # through trafilatura's cleaner, which must be declared


def test_fresh_venv_install_ingests_html(tmp_path: Path) -> None:
    """The real thing: a fresh venv with `uv pip install -e .` (only what pyproject.toml declares, at the
    versions of the lock file) builds a knowledge base from an HTML file."""
    import shutil

    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed")
    constraints = tmp_path / "constraints.txt"
    exported = subprocess.run([uv, "export", "--frozen", "--no-hashes", "--no-emit-project", "--no-dev", "-o",
                               str(constraints)], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert exported.returncode == 0, exported.stderr
    venv = tmp_path / "venv"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    install = subprocess.run([uv, "pip", "install", "-q", "-p", python, "-c", str(constraints), "-e", str(ROOT)],
                             capture_output=True, text=True, timeout=600)
    if install.returncode != 0 and re.search(r"network|connect|offline|dns", install.stderr, re.IGNORECASE):
        pytest.skip("no package registry reachable: " + install.stderr.strip()[-200:])
    assert install.returncode == 0, install.stderr
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>ASEAN-ROK</title></head><body><article>" + "".join(
        f"<p>Paragraph {i}: the Foreign Ministers of ASEAN and the Republic of Korea met in Jakarta and reviewed "
        "cooperation on trade.</p>" for i in range(4)) + "</article></body></html>", encoding="utf-8")
    proc = subprocess.run([str(venv / "bin" / "communique"), "build", str(page), "--db", str(tmp_path / "kb.db"),
                           "--json", "-q"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["added"] == 1 and report["errors"] == [], report["errors"]
