from __future__ import annotations

import pytest

from kreview.core.highlight import highlight_line, lexer_name_for


@pytest.mark.parametrize(
    "path, lexer",
    [
        ("drivers/clk/qcom/gcc.c", "c"),
        ("include/linux/mm.h", "c"),
        ("rust/kernel/lib.rs", "rust"),
        ("tools/perf/scripts/python/x.py", "python"),
        ("tools/testing/selftests/net/run.sh", "bash"),
        ("scripts/checkpatch", "bash"),
        ("drivers/clk/Makefile", "make"),
        ("arch/x86/Kbuild", "make"),
        ("scripts/Makefile.build", "make"),
        ("tools/scripts/utilities.mk", "make"),
        ("drivers/clk/qcom/Kconfig", "kconfig"),
        ("arch/x86/Kconfig.debug", "kconfig"),
        ("arch/arm64/boot/dts/qcom/sdm845.dtsi", "devicetree"),
        ("arch/arm/boot/dts/am335x-bone.dts", "devicetree"),
        ("Documentation/devicetree/bindings/clock/qcom,gcc.yaml", "yaml"),
        ("Documentation/process/submitting-patches.rst", "rst"),
        ("MAINTAINERS", "text"),
        ("", "text"),
    ],
)
def test_lexer_name_for(path: str, lexer: str) -> None:
    assert lexer_name_for(path) == lexer


def test_tokens_cover_the_line_exactly() -> None:
    line = "\tstatic int foo(void) /* why */"
    tokens = highlight_line("c", line)
    assert "".join(t for _, t in tokens) == line
    assert ("Token.Keyword", "static") in tokens
    assert ("Token.Comment.Multiline", "/* why */") in tokens


def test_block_comment_continuation_is_comment() -> None:
    assert highlight_line("c", " * return the old value") == (("Token.Comment.Multiline", " * return the old value"),)
    assert highlight_line("c", " */") == (("Token.Comment.Multiline", " */"),)
    assert highlight_line("c", "\t*ptr = 0;")[0] != ("Token.Comment.Multiline", "\t*ptr = 0;")


def test_no_error_tokens_and_unknown_lexer() -> None:
    assert all(t != "Token.Error" for t, _ in highlight_line("make", "obj-$(CONFIG_X) += x.o"))
    assert highlight_line("no-such-lexer", "abc") == (("Token.Text", "abc"),)
    assert highlight_line("text", "x\ty") == (("Token.Text", "x\ty"),)
    assert highlight_line("c", "") == ()


def test_cached() -> None:
    first = highlight_line("python", "def f(): pass")
    assert highlight_line("python", "def f(): pass") is first
