"""Text pasted from web pages, PDFs and Windows is stored and printed without what Word, Excel or XML cannot hold."""
import pytest

from textclean import clean_text


@pytest.mark.parametrize("pasted, stored", [
    ("a\ufffeb\uffff", "ab"), ("x\ud800y\udfffz", "xyz"), ("\U0001fffe\U0010ffff", ""),
    ("行一\r\n行二\r行三", "行一\n行二\n行三"), ("\x00\x0b\x1f\x7f留", "留"),
    ("\U0001f600 \U00020000 <&>", "\U0001f600 \U00020000 <&>")])
def test_text_keeps_what_can_be_stored_and_printed(pasted, stored):
    assert clean_text(pasted) == stored
