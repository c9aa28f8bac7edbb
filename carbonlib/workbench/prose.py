"""Prose that stays true under any parameters: placeholders in Markdown, filled from the run.

A workbook's Markdown cells never type a computed number or a parameter value. They write a
placeholder instead, and the paper fills it, when it is rendered, from the values the run
recorded with :meth:`carbonlib.workbench.run.Run.record` (``values/<notebook>.json``) and
from the run's parameters. One execution records the values once; each edition renders the
sentences in its own language (docs/CONVENTIONS.md, "Numbers in prose").

Three forms::

    {{ n_errors }}                   the value, formatted as the tables format it
    {{ free_share_2020_pct:.0f }}    the value through a Python format specification
    {{ n_errors|is|are }}            the first word when the value is 1 or true, else the second

In the paper a filled value is ``<span class="cl-value" data-value="name">…</span>``, so a
test can tell a number that came from the run from one that was typed. A placeholder whose
name the run did not record is an error naming the workbook, the cell and the name.

The parameter box (:func:`parameter_box`) opens a paper built with parameters other than the
defaults: each parameter that differs, with its value and its default, and the named scenario
when the parameters are those of one.
"""

from __future__ import annotations

import html
import math
import re
from numbers import Integral, Real
from typing import Any

from carbonlib.errors import InputError

from .i18n import translate

#: ``{{ name }}``, ``{{ name:spec }}`` or ``{{ name|one|other }}``.
PLACEHOLDER = re.compile(
    r"\{\{\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"(?::(?P<spec>[^{}|]*?))?"
    r"(?:\|(?P<one>[^{}|]*)\|(?P<other>[^{}|]*))?\s*\}\}"
)
#: Private-use markers around a filled value: name (hex), then the value's text.
_OPEN, _MID, _CLOSE = "\ue000", "\ue001", "\ue002"
_MARKED = re.compile("\ue000([0-9a-f]+)\ue001(.*?)\ue002", re.S)
#: Any ``{{ … }}``, to catch one that :data:`PLACEHOLDER` does not read.
_ANY = re.compile(r"\{\{.*?\}\}", re.S)
#: Parameters that choose the edition or label the run rather than change an assumption.
NOT_ASSUMPTIONS = ("lang", "scenario_label")
#: Markdown's inline punctuation, written as entities so that a value is never read as markup.
_MARKDOWN = {c: f"&#{ord(c)};" for c in "*_`[]<>\\~|#"}


def format_value(value: Any, spec: str | None = None, lang: str = "en") -> str:
    """The text of one filled value.

    Parameters
    ----------
    value : object
        A recorded value or a parameter (number, bool, string, list or ``None``).
    spec : str, optional
        A Python format specification (``".1f"``, ``",.0f"``, ``".2%"``); numbers only.
    lang : {"en", "zh-TW"}
        Edition: strings and yes/no are rendered through the glossary.

    Returns
    -------
    str
        Integers with thousands separators, other numbers as the tables show them (at most
        six decimals, trailing zeros dropped), a minus sign for negatives, "—" for ``None``
        and for an empty list; a list joined by ", " (by "、" in Traditional Chinese).

    Raises
    ------
    InputError
        If ``spec`` does not apply to the value.

    Examples
    --------
    >>> format_value(24669), format_value(0.0174, ".2%"), format_value(-3.5)
    ('24,669', '1.74%', '−3.5')
    >>> format_value(True, lang="zh-TW")
    '是'
    >>> format_value(["nsw", "allowance_subtotal"]), format_value("value_musd_2006")
    ('New South Wales, Allowance subtotal', 'Value 2006 (MUS$)')
    """
    if value is None:
        return "—"
    if isinstance(value, bool):
        return translate("yes" if value else "no", lang)
    if isinstance(value, list | tuple):
        return ("、" if lang != "en" else ", ").join(format_value(v, spec, lang) for v in value) if value else "—"
    if isinstance(value, Real):
        if spec:
            try:
                text = format(value, spec)
            except (ValueError, TypeError):
                raise InputError(f"format {spec!r} does not apply to the value {value!r}") from None
        elif isinstance(value, Integral):
            text = f"{int(value):,}"
        else:
            x = float(value)
            if math.isnan(x):
                return "—"
            text = f"{int(x):,}" if x == int(x) and abs(x) < 1e15 else f"{x:,.6f}".rstrip("0").rstrip(".")
        return "−" + text[1:] if text.startswith("-") else text
    if spec:
        raise InputError(f"format {spec!r} applies to numbers, not to the text {value!r}")
    return _label(str(value), lang)


def _label(text: str, lang: str) -> str:
    """A recorded string as readers see it: an identifier becomes its label, as in the tables."""
    from .render import cell_label

    return cell_label(text, None, lang, first=False)


def _chosen(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, Real):
        return float(value) == 1.0
    return bool(value)


def fill(text: str, values: dict[str, Any], lang: str = "en", where: str = "") -> str:
    """Replace every placeholder of a Markdown text by its value.

    Parameters
    ----------
    text : str
        Markdown, as written in a workbook's cell.
    values : dict
        What the run recorded, and its parameters.
    lang : {"en", "zh-TW"}
        Edition.
    where : str
        Where the text comes from (workbook and cell), for error messages.

    Returns
    -------
    str
        The Markdown with each value between markers that :func:`mark` turns into a
        ``<span class="cl-value" data-value="name">`` once it is rendered; a one/other choice
        is plain text.

    Raises
    ------
    InputError
        For a placeholder the run did not record (the message lists the recorded names), or
        one written in none of the three forms. The message lists the
        names the run knows (recorded values and parameters).

    Examples
    --------
    >>> mark(fill("{{ n }} {{ n|cell is|cells are }} a printing error.", {"n": 7}))
    '<span class="cl-value" data-value="n">7</span> cells are a printing error.'
    """
    prefix = f"{where}: " if where else ""

    def sub(m: re.Match) -> str:
        name = m.group("name")
        if name not in values:
            known = ", ".join(sorted(values)) or "none"
            raise InputError(f"{prefix}placeholder {{{{ {name} }}}}: the run recorded no value of that name "
                             f"and has no such parameter (known: {known})")
        value = values[name]
        if m.group("one") is not None:
            return (m.group("one") if _chosen(value) else m.group("other")).strip()
        try:
            shown = format_value(value, (m.group("spec") or "").strip() or None, lang)
        except InputError as exc:
            raise InputError(f"{prefix}placeholder {m.group(0)}: {exc}") from None
        escaped = "".join(_MARKDOWN.get(c, c) for c in html.escape(shown, quote=False))
        return f"{_OPEN}{name.encode().hex()}{_MID}{escaped}{_CLOSE}"

    filled = PLACEHOLDER.sub(sub, text)
    left = _ANY.search(filled)
    if left:
        raise InputError(f"{prefix}{left.group(0)!r} is not a placeholder: write {{{{ name }}}}, "
                         "{{ name:.1f }} or {{ name|one|other }}")
    return filled


def mark(rendered: str) -> str:
    """Turn the filled values of rendered HTML into ``<span class="cl-value" data-value="name">``.

    :func:`fill` wraps each value in private-use markers that Markdown leaves alone (an HTML
    ``<span>`` written into Markdown is not kept whole by nbconvert's renderer); the paper calls
    this on the HTML that the Markdown became.

    Examples
    --------
    >>> mark(fill("{{ n }} cells", {"n": 7}))
    '<span class="cl-value" data-value="n">7</span> cells'
    """
    return _MARKED.sub(lambda m: f'<span class="cl-value" data-value="{bytes.fromhex(m.group(1)).decode()}">'
                       f"{m.group(2)}</span>", rendered)


def placeholders(text: str) -> list[str]:
    """Names of the placeholders in a text, in order.

    Examples
    --------
    >>> placeholders("{{ a }} and {{ b:.1f }} {{ a|x|y }}")
    ['a', 'b', 'a']
    """
    return [m.group("name") for m in PLACEHOLDER.finditer(text)]


def differing(declared: dict[str, Any], parameters: dict[str, Any]) -> list[tuple[Any, Any]]:
    """The declared parameters whose run value differs from their default.

    Parameters
    ----------
    declared : dict
        ``{name: Parameter}`` (:func:`carbonlib.workbench.params.declared`).
    parameters : dict
        The run's parameters.

    Returns
    -------
    list of (Parameter, value)
        In declaration order, without :data:`NOT_ASSUMPTIONS`.
    """
    out = []
    for name, p in declared.items():
        if name in NOT_ASSUMPTIONS or name not in parameters:
            continue
        value = parameters[name]
        same = value == p.default or (isinstance(value, float) and isinstance(p.default, int | float)
                                      and not isinstance(p.default, bool) and value == float(p.default))
        if not same:
            out.append((p, value))
    return out


def _shown(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def parameter_box(declared: dict[str, Any], parameters: dict[str, Any], lang: str = "en",
                  scenario: str | None = None) -> str:
    """The box that opens a paper built with parameters other than the defaults ("" if none).

    Parameters
    ----------
    declared : dict
        ``{name: Parameter}`` of the workbook.
    parameters : dict
        The run's parameters.
    lang : {"en", "zh-TW"}
        Edition.
    scenario : str, optional
        The named scenario whose parameters these are.

    Returns
    -------
    str
        An ``<aside class="cl-params">`` listing, per differing parameter, what it is (its
        comment in the parameters cell), its name, its value and its default; with the
        scenario's name and ``scenario_label`` when given.
    """
    rows = differing(declared, parameters)
    label = parameters.get("scenario_label")
    default_label = declared["scenario_label"].default if "scenario_label" in declared else None
    if not rows and scenario is None and (label is None or label == default_label):
        return ""
    t = lambda s: html.escape(translate(s, lang))  # noqa: E731
    lines = [f'<aside class="cl-params" id="non-default-parameters"><p class="cl-params-title"><strong>'
             f'{t("Not the default parameters")}</strong></p>']
    if scenario:
        text = f'{t("Named scenario")}: <code>{html.escape(scenario)}</code>'
        if label is not None:
            text += f" — {html.escape(translate(str(label), lang))}"
        lines.append(f"<p>{text}</p>")
    elif label is not None and label != default_label:
        lines.append(f'<p>{t("Scenario")}: {html.escape(translate(str(label), lang))}</p>')
    if rows:
        lines.append(f'<p>{t("This paper was built with these parameters changed from the workbook defaults.")}</p>')
        head = "".join(f"<th>{t(h)}</th>" for h in ("Parameter", "Name", "Value", "Default"))
        body = "".join(
            f"<tr><td>{html.escape(p.comment or p.name)}</td><td><code>{html.escape(p.name)}</code></td>"
            f"<td><code>{html.escape(_shown(v))}</code></td><td><code>{html.escape(_shown(p.default))}</code></td></tr>"
            for p, v in rows)
        lines.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    else:
        lines.append(f'<p>{t("Every parameter has its default value.")}</p>')
    lines.append("</aside>")
    return "".join(lines)


__all__ = ["NOT_ASSUMPTIONS", "PLACEHOLDER", "differing", "fill", "format_value", "mark", "parameter_box",
           "placeholders"]
