"""Cleaning the project's seed articles (``/work/shared/seeds`` or ``ZQ_DEMO_SEEDS``) into demo text.

The seeds are pages copied off the web: site chrome (上一篇/下一篇, copyright and filing lines,
WeChat accounts), bibliography, metadata lines (时间:, 关键词:, 中图分类号), broken characters (U+FFFD)
and whole texts whose punctuation was flattened to ``.``. What comes out is a title and readable
paragraphs; a text in traditional script is skipped (the demo is simplified Chinese), and a
paragraph cut off by the file's end is dropped rather than shown half.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SEEDS_DIR = Path("/work/shared/seeds")

# Lines of page chrome or article metadata: dropped wherever they appear.
CHROME = re.compile(
    r"^(上一篇|下一篇|时间[:：]|关键词[:：]|中图分类号|文献标识码|文章编号|微信|延伸阅读|版权|责任编辑|来源[:：]|"
    r"\[\d+\]|.*ICP备|.*公网安备|.*作者个人观点|政府网站建设方案)"
)
# Everything after these is apparatus, not article.
TAIL_MARKERS = ("参考文献", "上一篇", "延伸阅读")
# Characters that only occur in traditional-script text (a sample is enough to tell).
TRADITIONAL = set("網與們這為個國務區發產會來從對應當實現開關長門後點過還時體處東車")
CJK = r"\u4e00-\u9fff"
PARAGRAPH_SENTENCES = 4


@dataclass(frozen=True)
class SeedText:
    title: str
    paragraphs: list[str]


def seeds_dir() -> Path:
    return Path(os.environ.get("ZQ_DEMO_SEEDS", DEFAULT_SEEDS_DIR))


def is_traditional(text: str) -> bool:
    sample = text[:3000]
    return sum(1 for char in sample if char in TRADITIONAL) > 10


def _restore_punctuation(line: str) -> str:
    """A line whose punctuation became ``.``: short items are a list (``、``), other clauses are
    joined by ``，`` and a sentence ends (``。``) once it is long and the clause is a full one."""
    clauses = [c.strip() for c in line.split(".") if c.strip()]
    text, length = "", 0
    for index, clause in enumerate(clauses):
        text += clause
        length += len(clause)
        following = clauses[index + 1] if index + 1 < len(clauses) else ""
        if not following:
            text += "。"
        elif len(clause) <= 4 and len(following) <= 6:
            text += "、"
        elif length >= 45 and len(clause) >= 10:
            text += "。"
            length = 0
        else:
            text += "，"
    return text


def _sentences(text: str) -> list[str]:
    return [s for s in re.findall(r"[^。！？]*[。！？]", text) if s.strip()]


def clean_seed(raw: str) -> SeedText | None:
    """A seed file's text as a title and paragraphs, or None if nothing readable is left."""
    if is_traditional(raw):
        return None
    text = raw.replace("\ufffd", "").replace("\r", "")
    for marker in TAIL_MARKERS:
        if marker in text[200:]:
            text = text[: 200 + text[200:].index(marker)]
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line and not CHROME.match(line)]
    if not lines:
        return None
    title = re.sub(r"'([^']{1,40})'", r"“\1”", lines[0].strip())
    body_lines = [line for line in lines[1:] if line != title]
    sentences: list[str] = []
    for line in body_lines:
        if line.count(".") > 5 and line.count("。") < 2 and re.search(rf"[{CJK}]\.[{CJK}]", line):
            line = _restore_punctuation(line)
        line = re.sub(r"'([^']{1,40})'", r"“\1”", line).replace("'", "")
        if "(" not in line and "（" not in line:  # a bracket whose opening half was cut away
            line = line.replace(")", "").replace("）", "")
        line = line.replace(",", "，").replace(":", "：").replace(";", "；")
        if re.match(r"^[\d.]+\s", line) or len(line) < 25:  # a heading such as "1.1 政府网站体系"
            continue
        sentences.extend(_sentences(line))  # an unfinished sentence (cut off) is left out
    paragraphs = [
        "".join(sentences[i : i + PARAGRAPH_SENTENCES]) for i in range(0, len(sentences), PARAGRAPH_SENTENCES)
    ]
    paragraphs = [p for p in paragraphs if len(p) >= 30]
    return SeedText(title, paragraphs) if paragraphs else None


def load_seeds(directory: Path | None = None) -> list[SeedText]:
    """Every usable seed, in file order (empty when the folder is absent: the demo then does without)."""
    directory = directory or seeds_dir()
    if not directory.is_dir():
        return []
    cleaned = (
        clean_seed(path.read_text(encoding="utf-8", errors="replace")) for path in sorted(directory.glob("*.txt"))
    )
    return [seed for seed in cleaned if seed is not None]
