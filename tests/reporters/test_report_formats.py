"""The dataset report formats, ``html`` and ``markdown``, on a real run: two
splits, a label column and a config."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ftlint.reporters import markdown
from tests.browser import find_browser, screenshot
from tests.conftest import RunCli

#: Where a page would load something from: scripts, style sheets, images,
#: frames, fonts and CSS imports. A report must have none of these.
RESOURCE = re.compile(
    r"<(script|link|img|iframe|object|embed|source)\b|@import|url\(|\bsrc\s*=", re.IGNORECASE
)


def render(run_cli: RunCli, root: Path, output_format: str) -> str:
    args = ["check", ".", "--no-cache", "--output-format", output_format]
    status, out, err = run_cli(*args, cwd=root)
    assert status == 1, err  # the fixture has findings
    return out


def test_html_is_self_contained(run_cli: RunCli, labelled_dataset: Path) -> None:
    page = render(run_cli, labelled_dataset, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    assert RESOURCE.search(page) is None
    # The only web addresses are links to the rules' documentation.
    addresses = re.findall(r"https?://[^\s\"'<>]+", page)
    assert addresses
    docs = "https://github.com/ftlint/ftlint/blob/main/docs/rules/"
    assert all(a.startswith(docs) for a in addresses)
    assert all(f'href="{a}"' in page for a in addresses)


def test_html_holds_the_plots_and_tables(run_cli: RunCli, labelled_dataset: Path) -> None:
    page = render(run_cli, labelled_dataset, "html")
    # A token histogram per split, with the config's sequence length marked, and
    # label bars per split: four charts.
    assert page.count("<svg") == 4
    assert page.count("Tokens per record, train") >= 1
    assert page.count("Tokens per record, validation") >= 1
    # The config trains on train: its sequence length is train's limit, and on
    # the chart; validation keeps the default limit, far beyond its records.
    assert page.count('class="limit">limit 16<') == 1
    assert page.count('class="limit">limit 4,096 is beyond the chart') == 1
    for label in ("positive", "negative", "neutral"):
        assert f">{label}</text>" in page
    # The summary table has a column per split; the config table its numbers.
    assert "<th>train</th><th>validation</th>" in page
    assert "<h3><code>axolotl.yaml</code></h3>" in page
    assert "Training tokens per epoch" in page
    # Findings per rule link to the rule's documentation in the page.
    assert '<a href="#rule-D001">D001</a>' in page
    assert '<details id="rule-D001">' in page
    assert '<details id="rule-L001">' in page


def test_markdown_report(run_cli: RunCli, labelled_dataset: Path) -> None:
    text = render(run_cli, labelled_dataset, "markdown")
    assert text.startswith("## ftlint report")
    assert "| Records | 41 | 10 |" in text
    assert "◀ limit 16" in text
    assert "█" in text
    assert "### Training config `axolotl.yaml`" in text
    assert "[D001](https://github.com/ftlint/ftlint/blob/main/docs/rules/D001.md)" in text


def test_markdown_stays_under_the_size_limit(
    run_cli: RunCli,
    labelled_dataset: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    full = render(run_cli, labelled_dataset, "markdown")
    limit = len(full.encode()) // 2
    monkeypatch.setattr(markdown, "SIZE_LIMIT", limit)
    cut = render(run_cli, labelled_dataset, "markdown")
    assert len(cut.encode()) <= limit
    assert cut.rstrip().endswith(markdown.TRUNCATED_NOTE.rstrip())
    assert full.startswith(cut[: len(cut) - len(markdown.TRUNCATED_NOTE)])


def test_the_readme_shows_the_markdown_report_of_examples(run_cli: RunCli) -> None:
    root = Path(__file__).parents[2]
    status, out, _ = run_cli(
        "check", "examples/", "--no-cache", "--output-format", "markdown", cwd=root
    )
    assert status == 1
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert out.rstrip() + "\n" in readme, "regenerate the README's markdown example"


@pytest.mark.skipif(find_browser() is None, reason="no Chromium installed (.ci/run installs it)")
def test_html_renders_in_a_browser(
    run_cli: RunCli,
    labelled_dataset: Path,
    tmp_path: Path,
) -> None:
    from PIL import Image

    html, png = tmp_path / "report.html", tmp_path / "report.png"
    html.write_text(render(run_cli, labelled_dataset, "html"), encoding="utf-8")
    assert screenshot(html, png, width=1000, height=1200) == []
    image = Image.open(png).convert("RGB")
    assert image.size == (1000, 1200)
    colours = image.getcolors(maxcolors=1 << 20) or []
    background = max(colours)[0] if colours else 0
    painted = image.width * image.height - background
    assert painted > 0.02 * image.width * image.height, "the page is (nearly) blank"
    # The bars' blue is on the page: the charts were drawn.
    assert any(colour == (0x4C, 0x78, 0xA8) for _, colour in colours)
