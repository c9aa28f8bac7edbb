"""carbonlib.pricefiles: the exports people have (issue 16).

A plain price history may be separated by ``;`` with decimal commas (a European spreadsheet
export), may write its dates day-first or month-first, and may carry columns the workbook does
not use. Each is read to the same numbers as the plain ``date,price`` file; a file whose order of
day and month neither its header nor its values decide is refused, naming the column and two
example rows. The files are written here, a few rows each (illustrative prices).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from carbonlib import pricefiles
from carbonlib.errors import DataError

#: The history every variant below writes: three trading days, their closes (EUR/t) and volumes.
DATES = ["2021-01-04", "2021-01-05", "2021-01-14"]
CLOSES = [33.69, 34.1, 1234.5]
VOLUMES = [1200.0, np.nan, 15000.0]

VARIANTS = {
    "plain": ("date,price,volume\n2021-01-04,33.69,1200\n2021-01-05,34.10,\n2021-01-14,1234.5,15000\n",
              {"delimiter": ",", "decimal": ".", "date_order": "year-first"}),
    "semicolon_decimal_comma": (
        "date;price;volume\n2021-01-04;33,69;1.200\n2021-01-05;34,10;\n2021-01-14;1.234,50;15.000\n",
        {"delimiter": ";", "decimal": ",", "date_order": "year-first"}),
    "semicolon_decimal_point": (
        "date;price;volume\n2021-01-04;33.69;1200\n2021-01-05;34.1;\n2021-01-14;1234.50;15000\n",
        {"delimiter": ";", "decimal": ".", "date_order": "year-first"}),
    "tab_decimal_comma": (
        "date\tprice\tvolume\n2021-01-04\t33,69\t1200\n2021-01-05\t34,1\t\n2021-01-14\t1234,5\t15000\n",
        {"delimiter": "\t", "decimal": ",", "date_order": "year-first"}),
    "day_first_from_header": (
        "date (dd/mm/yyyy),price,volume\n04/01/2021,33.69,1200\n05/01/2021,34.1,\n14/01/2021,1234.5,15000\n",
        {"date_order": "day-first"}),
    "day_first_from_values": (  # 14/01/2021 can only be day-first
        "date;price;volume\n04.01.2021;33,69;1200\n05.01.2021;34,1;\n14.01.2021;1234,5;15000\n",
        {"delimiter": ";", "decimal": ",", "date_order": "day-first"}),
    "month_first_from_values": (  # 01/14/2021 can only be month-first
        "date,price,volume\n01/04/2021,33.69,1200\n01/05/2021,34.1,\n01/14/2021,1234.5,15000\n",
        {"date_order": "month-first"}),
    "month_first_from_header": (
        "Date (MM/DD/YYYY),price,volume\n01/04/2021,33.69,1200\n01/05/2021,34.1,\n01/14/2021,1234.5,15000\n",
        {"date_order": "month-first"}),
    "extra_columns_and_close": (  # a price column named close, and columns the workbook does not use
        "contract,date,open,high,close,volume,open_interest\nEUA Dec21,2021-01-04,33.1,34,33.69,1200,10\n"
        "EUA Dec21,2021-01-05,33.8,34.5,34.1,,11\nEUA Dec21,2021-01-14,1230,1240,1234.5,15000,12\n",
        {"price_column": "close", "ignored_columns": ["contract", "open", "high", "open_interest"]}),
}


def _write(tmp_path: Path, text: str, name: str = "history.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_export_reads_to_the_same_history(tmp_path, variant):
    text, dialect = VARIANTS[variant]
    p = pricefiles.read_prices(_write(tmp_path, text))
    assert p.attrs["format"] == "plain"
    assert list(p.index.strftime("%Y-%m-%d")) == DATES
    assert_allclose(p["price_eur_per_t"], CLOSES, rtol=0, atol=1e-12)
    assert_allclose(p["volume"], VOLUMES, rtol=0, atol=1e-9)
    for key, value in dialect.items():
        assert p.attrs[key] == value, (key, p.attrs[key])


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_export_is_detected_as_plain(tmp_path, variant):
    assert pricefiles.detect_format(_write(tmp_path, VARIANTS[variant][0])) == "plain"


def test_ambiguous_day_and_month_is_refused_naming_the_column_and_two_rows(tmp_path):
    path = _write(tmp_path, "date;price\n04/01/2021;33,69\n05/01/2021;34,10\n06/01/2021;34,00\n")
    with pytest.raises(DataError) as info:
        pricefiles.read_prices(path)
    text = str(info.value)
    assert text.startswith(f"{path}, column 'date': cannot tell whether the dates are day-first or month-first")
    assert "line 2: '04/01/2021;33,69'" in text and "line 3: '05/01/2021;34,10'" in text
    assert "'date (dd/mm/yyyy)'" in text  # and says how to decide it


def test_a_file_mixing_day_first_and_month_first_dates_is_refused(tmp_path):
    path = _write(tmp_path, "date,price\n13/01/2021,33.69\n01/14/2021,34.10\n")
    with pytest.raises(DataError, match=r"column 'date': the dates mix day-first \(line 2: '13/01/2021,33\.69'\) "
                                        r"and month-first \(line 3: '01/14/2021,34\.10'\) orders"):
        pricefiles.read_prices(path)


def test_a_date_against_the_header_order_is_refused(tmp_path):
    path = _write(tmp_path, "date (dd/mm/yyyy),price\n04/01/2021,33.69\n01/13/2021,34.10\n")
    with pytest.raises(DataError, match=r", line 3, column 'date \(dd/mm/yyyy\)': date '01/13/2021' is not a valid "
                                        r"day-first calendar date"):
        pricefiles.read_prices(path)


@pytest.mark.parametrize("text, line, value, kind", [
    # a decimal point where the file writes decimal commas would be read as 2250: refused
    ("date;price\n2021-01-04;33,69\n2021-01-05;22.50\n", 3, "22.50", "decimal commas"),
    # a decimal point in a decimal-comma file, whichever row comes first
    ("date;price\n2021-01-04;33.69\n2021-01-05;1.234,5\n", 2, "33.69", "decimal commas"),
    # a decimal comma in a comma-separated file (which writes decimal points)
    ('date,price\n2021-01-04,33.69\n2021-01-05,"1.234,5"\n', 3, "1.234,5", "decimal points"),
])
def test_the_other_decimal_mark_is_only_a_thousands_separator(tmp_path, text, line, value, kind):
    with pytest.raises(DataError, match=rf"line {line}, column 'price': '{value}' is not a number \(the file writes {kind}\)"):
        pricefiles.read_prices(_write(tmp_path, text))


def test_a_quoted_decimal_comma_in_a_comma_separated_file_is_not_read_as_thousands(tmp_path):
    with pytest.raises(DataError, match=r"line 2, column 'price': '33,69' is not a number"):
        pricefiles.read_prices(_write(tmp_path, 'date,price\n2021-01-04,"33,69"\n'))


def test_a_header_naming_an_unknown_date_order_is_refused(tmp_path):
    with pytest.raises(DataError, match=r"line 1, column 'date \(yyyy/dd/mm\)': the header names the date parts "
                                        r"in the order 'ydm'"):
        pricefiles.read_prices(_write(tmp_path, "date (yyyy/dd/mm),price\n2021/04/01,33.69\n"))
