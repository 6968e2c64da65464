"""Markdown: the text as it reads once rendered, with headings as heading spans (golden expectations)."""

from __future__ import annotations

from pathlib import Path

from qcode.core.importers import ImportOptions, find_importer

SOURCE = r"""# Field notes #

Intro with `code`, ~~struck~~ words, <b>bold</b> HTML, snake_case_name and __strong__ text.

---

> > A quoted line &amp; an entity.

1. first item
2) second item

* * *

Day two
=======

Afternoon
---------

| Who | Said |
|:----|-----:|
| Ana | *Yes* |

![a photo](x.png), [a link](http://example.invalid) and <http://example.invalid/auto>.

Escaped \*stars\* and a \# hash stay.

```
  code  *kept*  as is
```
"""

GOLDEN = """Field notes

Intro with code, struck words, bold HTML, snake_case_name and strong text.

A quoted line & an entity.

first item
second item

Day two

Afternoon

Who\tSaid
Ana\tYes

a photo, a link and http://example.invalid/auto.

Escaped *stars* and a # hash stay.

  code  *kept*  as is"""


def test_markup_is_removed_and_headings_kept(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(SOURCE, encoding="utf-8")
    source = find_importer(path).parse(path, ImportOptions(), None).sources[0]
    assert source.text == GOLDEN
    headings = [(source.text[s.start:s.end], s.value) for s in source.spans if s.kind == "heading"]
    assert headings == [("Field notes", "1"), ("Day two", "1"), ("Afternoon", "2")]
    paragraphs = [source.text[s.start:s.end] for s in source.spans if s.kind == "paragraph"]
    assert paragraphs == [p.strip() for p in GOLDEN.split("\n\n")]  # a paragraph starts at its first word
