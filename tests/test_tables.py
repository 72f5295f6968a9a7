"""tconv_lib.tables: the notebooks' result tables."""
import pytest

from tconv_lib.tables import Table


def test_table_renders_text_and_escaped_html():
    table = Table(["name", "score"], [["nearest", "< 1e-6"], ["conv_transpose", 0.5]])
    assert repr(table).splitlines() == ["name            score", "--------------  ------",
                                        "nearest         < 1e-6", "conv_transpose  0.5"]
    html = table._repr_html_()
    assert "<td>&lt; 1e-6</td>" in html and html.count("<tr>") == 3
    with pytest.raises(ValueError, match="rows must have 2 cells each"):
        Table(["a", "b"], [["only one"]])


def test_table_text_stays_aligned_with_japanese_headers():
    """Wide characters take two columns, so the Japanese edition's printed tables line up too."""
    lines = repr(Table(["重ねた層", "深さ1"], [["conv_transpose_k3", "0.55"]])).split("\n")
    assert lines[0].index("深さ1") + len("重ねた層") == lines[2].index("0.55")   # 4 wide characters: 4 extra columns
    assert lines[1] == "-" * 17 + "  " + "-" * 5
