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
