"""Mermaid itself, to check that schema diagrams render: the `mermaid` package's
browser bundle, run by Debian's headless Chromium on a page that renders every
diagram it is given, one page load for all of them.

    uv run python -m tests.mermaid install            # the bundle, once (npm)
    uv run python -m tests.mermaid png PAGE.md OUT.png  # a page's diagram, drawn

The version is the major MkDocs Material loads (mermaid@11), pinned, with the
registry's integrity hash checked on download. `.ci/run` installs Chromium and
the bundle; the tests install the bundle themselves when it is missing.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.tooling import TEMPLATE_ROOT

MERMAID_VERSION = "11.17.2"
MERMAID_INTEGRITY = (
    "sha512-V6K3C8EBdEsPFZXSKMJe6ppQOENxuHARr9GvHX4hh47lAbhMRD9qf4oEK7Lo"
    "aRQxULMa80/qt5gHO73aCleBBg=="
)
BUNDLE = TEMPLATE_ROOT / ".cache" / f"mermaid-{MERMAID_VERSION}" / "mermaid.min.js"
CHROMIUM_INSTALL = "apt-get install chromium"

# As the machine's notes start it: no sandbox (root in CI), and none of the
# background connections a closed network refuses.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]

# Renders `diagrams` one after the other, then writes what became of each into
# #results: the error Mermaid raised, or how many entities and relationship
# lines the SVG has.
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><script src="{bundle}"></script></head>
<body style="margin: 0; background: white">
<pre id="results" hidden></pre><div id="drawn"></div>
<script>
const diagrams = {diagrams};
mermaid.initialize({{startOnLoad: false, securityLevel: "strict"}});
(async () => {{
  const results = [];
  for (const [number, text] of diagrams.entries()) {{
    try {{
      await mermaid.parse(text);
      const {{svg}} = await mermaid.render(`diagram${{number}}`, text);
      const holder = document.createElement("div");
      holder.innerHTML = svg;
      document.getElementById("drawn").append(holder);
      results.push({{
        entities: holder.querySelectorAll("g.node").length,
        lines: holder.querySelectorAll("path.relationshipLine").length,
      }});
    }} catch (error) {{
      results.push({{error: String(error && error.message || error)}});
    }}
  }}
  document.getElementById("results").textContent = JSON.stringify(results);
}})();
</script></body></html>
"""


@dataclass(frozen=True)
class Rendering:
    """What Mermaid made of one diagram: an error, or the entities and
    relationship lines its SVG draws."""

    error: str | None = None
    entities: int = 0
    lines: int = 0


def expected(diagram: str) -> Rendering:
    """The entities and relationship lines Mermaid draws for an erDiagram's
    text: one line per relationship, but one loop per entity however many
    relationships it has with itself (Mermaid 11 draws the last of them)."""
    relationships = re.findall(r"^    (\S+) \S+ (\S+) : ", diagram, re.MULTILINE)
    loops = {left for left, right in relationships if left == right}
    others = [left for left, right in relationships if left != right]
    return Rendering(
        entities=len(re.findall(r"^    \S+ \{$", diagram, re.MULTILINE)),
        lines=len(others) + len(loops),
    )


def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        msg = f"Chromium is needed to render Mermaid diagrams: {CHROMIUM_INSTALL}"
        raise RuntimeError(msg)
    return found


def install() -> Path:
    """The Mermaid bundle, fetched with npm once and kept under .cache/."""
    if BUNDLE.is_file():
        return BUNDLE
    npm = shutil.which("npm")
    if npm is None:
        msg = "npm is needed to fetch Mermaid (apt-get install npm, or Node.js)"
        raise RuntimeError(msg)
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [npm, "pack", "--silent", f"mermaid@{MERMAID_VERSION}"],
            cwd=folder,
            check=True,
            capture_output=True,
        )
        archive = Path(folder) / f"mermaid-{MERMAID_VERSION}.tgz"
        digest = hashlib.sha512(archive.read_bytes()).digest()
        integrity = "sha512-" + base64.b64encode(digest).decode()
        if integrity != MERMAID_INTEGRITY:
            msg = f"mermaid {MERMAID_VERSION} has integrity {integrity}, not {MERMAID_INTEGRITY}"
            raise RuntimeError(msg)
        with tarfile.open(archive) as package:
            member = package.extractfile("package/dist/mermaid.min.js")
            assert member is not None
            bundle = member.read()
    BUNDLE.parent.mkdir(parents=True, exist_ok=True)
    BUNDLE.with_suffix(".tmp").write_bytes(bundle)
    BUNDLE.with_suffix(".tmp").replace(BUNDLE)
    return BUNDLE


def render(
    diagrams: list[str],
    *,
    bundle: Path | None = None,
    screenshot: Path | None = None,
    width: int = 1600,
    height: int = 1600,
) -> list[Rendering]:
    """Render `diagrams` with Mermaid in one Chromium run; with `screenshot`,
    also save the page (the diagrams under each other) as a PNG."""
    bundle = bundle or install()
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "diagrams.html"
        page.write_text(
            PAGE.format(bundle=bundle.as_uri(), diagrams=json.dumps(diagrams))
        )
        command = [
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={Path(folder) / 'profile'}",
            # Virtual time runs the page's promises to the end before the dump.
            "--virtual-time-budget=120000",
            f"--window-size={width},{height}",
        ]
        if screenshot is not None:
            command.append(f"--screenshot={screenshot.resolve()}")
        else:
            command.append("--dump-dom")
        result = subprocess.run(
            [*command, page.as_uri()],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
    if screenshot is not None:
        if result.returncode != 0 or not screenshot.is_file():
            msg = f"Chromium made no screenshot:\n{result.stderr[-3000:]}"
            raise RuntimeError(msg)
        return []
    found = re.search(r'<pre id="results"[^>]*>(.*?)</pre>', result.stdout, re.DOTALL)
    if result.returncode != 0 or found is None or not found.group(1):
        msg = f"Chromium rendered nothing (exit {result.returncode}):\n{result.stderr[-3000:]}"
        raise RuntimeError(msg)
    return [Rendering(**item) for item in json.loads(html.unescape(found.group(1)))]


def main(arguments: list[str]) -> None:
    match arguments:
        case ["install"]:
            print(install())
        case ["png", markdown, output]:
            text = Path(markdown).read_text()
            block = re.search(
                r"^```mermaid\n(.*?)^```$", text, re.DOTALL | re.MULTILINE
            )
            if block is None:
                sys.exit(f"{markdown} has no mermaid block")
            render([block.group(1)], screenshot=Path(output))
            print(output)
        case _:
            sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
