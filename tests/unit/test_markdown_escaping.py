"""User text meets markdown escaped: `md` for pieces of a page's markdown, `as_text` for whole messages (issue 14
item 13). What the browser renders was checked once in Chromium for each case below; these tests pin the rules."""
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ui.text import as_text, md, md_lines

HOSTILE = ["*粗体*", "_斜体_", "__下划线__", "[点我](http://evil.example)", "![图](x.png)", "<b>加粗</b>",
           "<script>alert(1)</script>", "# 标题", "`代码`", "```\n代码块\n```", "~~删除~~", "$x^2$", "a | b",
           "&amp;", ":smile:", ":material/home:", ":red[红色]", "- 列表", "+ 列表", "1. 第一", "12) 十二", "> 引用",
           "行一\n===", "行一\n---", "- - -", "1)", "3.", "结尾反斜杠\\"]
ESCAPABLE = r"[!-/:-@\[-`{-~]"  # ASCII punctuation: what a backslash may escape in CommonMark


def shown(markdown: str) -> str:
    """The text a CommonMark renderer shows for escaped text: each backslash escape stands for its character."""
    return re.sub(r"\\(" + ESCAPABLE + ")", r"\1", markdown)


def unescaped(markdown: str, characters: str) -> list[str]:
    """The characters of `characters` in `markdown` that no backslash escapes."""
    bare = re.sub(r"\\" + ESCAPABLE, "", markdown)
    return [c for c in bare if c in characters]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("escape", [md, as_text])
def test_hostile_text_shows_as_written_with_nothing_left_to_format(escape, text):
    out = escape(text)
    assert shown(out) == text
    assert unescaped(out, "*_[]<>#`~$&:|\\") == []
    for line in out.split("\n"):  # nothing at a line's start that makes a list, a quote or a heading
        assert not re.match(r"\s*([-+=>]|\d+[.)])", line), line


@given(st.text())
def test_any_text_shows_as_written(text):
    for escape in (md, as_text):
        assert shown(escape(text)) == text


@given(st.text())
def test_md_lines_keeps_the_line_breaks(text):
    out = md_lines(text.replace("\r", ""))
    assert shown(out.replace("  \n", "\n")) == text.replace("\r", "")
    assert out.count("  \n") == text.count("\n")


def test_a_message_keeps_ordinary_punctuation_readable():
    message = "条款 5.3.2.b：不符合数 5 大于抽样数 3 (见 NC-01)"
    assert as_text(message) == message
    assert as_text("架构图_v2.png：已上传") == r"架构图\_v2.png：已上传"
    assert as_text("5.3.1.a：删减理由只用于“删减”\n-1 分") == "5.3.1.a：删减理由只用于“删减”\n-1 分"  # no list here


def test_streamlit_directives_are_broken_where_streamlit_reads_them():
    assert as_text(":material/home:") == r"\:material\/home\:"
    assert md(":red[红]") == r"\:red\[红\]"
