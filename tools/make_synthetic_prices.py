"""Write the synthetic EUA price history that lets workbook 06 and its tests run without vendor data.

SYNTHETIC, ILLUSTRATIVE DATA: not observed prices. The series is a seeded random walk in log
price, bridged between anchor points chosen by hand so that the history has the shape the
readers, the checks and workbook 06 must handle: four trading phases, the Phase 1 peak the
report quotes (31.50 EUR/t on 2006-04-18, 000 section 三.3), a Phase 1 collapse below 0.10
EUR/t, the Phase 1 -> 2 contract roll from 0.01 to 22.45 EUR/t with the roll day itself
missing, two unexplained gaps, one duplicate date and no volume before the roll. Weekends and
the usual exchange holidays (``carbonlib.prices``' calendar) are left out.

The same history is written in the two formats ``carbonlib.pricefiles.read_prices`` reads:

- ``tests/fixtures/prices/synthetic_eua_daily_investing.csv``: the web export (byte-order mark,
  every field quoted, ``MM/DD/YYYY``, newest first, volumes such as ``12.34K``);
- ``tests/fixtures/prices/synthetic_eua_daily_plain.csv``: ``date,price,volume``, ISO dates,
  oldest first.

Usage: python tools/make_synthetic_prices.py [--check]   (``--check`` exits 1 if a file differs)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "prices"
INVESTING = OUT / "synthetic_eua_daily_investing.csv"
PLAIN = OUT / "synthetic_eua_daily_plain.csv"

SEED = 20080409
FIRST, LAST = "2005-04-25", "2024-06-28"
#: Daily standard deviation of the log price between anchors.
DAILY_SIGMA = 0.02
#: (date, close EUR/t) the random walk is bridged through. Invented, apart from the three
#: figures the report prints (000 section 三.3): the peak 31.50, "below 0.1" and the roll to ~22.
ANCHORS = {
    1: [("2005-04-25", 17.00), ("2005-07-15", 27.00), ("2005-12-30", 21.50), ("2006-04-18", 31.50),
        ("2006-04-24", 30.95), ("2006-04-28", 14.25), ("2006-09-29", 13.00), ("2007-01-31", 2.50),
        ("2007-06-29", 0.15), ("2007-08-01", 0.11), ("2007-08-02", 0.09), ("2007-12-17", 0.01)],
    2: [("2007-12-19", 22.45), ("2008-07-01", 29.00), ("2009-02-12", 8.50), ("2009-12-31", 12.50),
        ("2011-05-31", 16.50), ("2012-12-31", 6.50)],
    3: [("2013-01-02", 6.60), ("2013-04-16", 3.00), ("2014-12-31", 7.00), ("2016-02-29", 4.50),
        ("2017-06-30", 5.00), ("2018-09-10", 24.00), ("2019-12-31", 24.50), ("2020-03-23", 15.50),
        ("2020-12-31", 32.00)],
    4: [("2021-01-04", 33.00), ("2021-12-31", 80.00), ("2022-08-19", 97.00), ("2023-02-28", 95.00),
        ("2023-12-29", 78.00), ("2024-02-22", 53.00), ("2024-06-28", 67.00)],
}
#: The Phase 1 -> 2 roll day, left out as in the real web export.
MISSING_ROLL_DAY = "2007-12-18"
#: Unexplained gaps (first and last missing weekday).
GAPS = [("2010-08-09", "2010-08-13"), ("2016-11-15", "2016-11-17")]
#: A date listed twice (the second row 0.05 EUR/t higher).
DUPLICATE = "2015-06-15"


def _calendar() -> pd.DatetimeIndex:
    from carbonlib.prices import _holidays

    days = pd.bdate_range(FIRST, LAST)
    holidays = _holidays(range(days[0].year, days[-1].year + 1))
    drop = {d for d in days if d in holidays} | {pd.Timestamp(MISSING_ROLL_DAY)}
    for first, last in GAPS:
        drop |= set(pd.bdate_range(first, last))
    return days[~days.isin(sorted(drop))]


def _bridge(rng: np.random.Generator, n: int, start: float, end: float) -> np.ndarray:
    """Log prices at steps 0..n from ``start`` to ``end``: a random walk pinned at both ends."""
    steps = rng.normal(0.0, DAILY_SIGMA, n)
    walk = np.concatenate([[0.0], np.cumsum(steps)])
    t = np.arange(n + 1) / n
    return start + walk - t * walk[-1] + t * (end - start)


def history() -> pd.DataFrame:
    """The synthetic history: ``price_eur_per_t``, ``open``/``high``/``low`` and ``volume``."""
    rng = np.random.default_rng(SEED)
    days = _calendar()
    log_price = pd.Series(np.nan, index=days)
    for anchors in ANCHORS.values():
        for (d0, p0), (d1, p1) in zip(anchors[:-1], anchors[1:], strict=True):
            seg = days[(days >= d0) & (days <= d1)]
            log_price.loc[seg] = _bridge(rng, len(seg) - 1, np.log(p0), np.log(p1))
    if log_price.isna().any():
        raise SystemExit(f"anchors leave {int(log_price.isna().sum())} days without a price")
    close = np.exp(log_price).round(2).clip(lower=0.01)
    ph1 = close.index < pd.Timestamp(MISSING_ROLL_DAY)
    peak = pd.Timestamp("2006-04-18")
    close[ph1 & (close.index != peak)] = close[ph1 & (close.index != peak)].clip(upper=31.20)
    early = close.index < pd.Timestamp("2007-08-02")
    close[early] = close[early].clip(lower=0.11)
    for day, value in ((peak, 31.50), ("2007-08-02", 0.09), ("2007-12-17", 0.01), ("2007-12-19", 22.45)):
        close[pd.Timestamp(day)] = value
    prev = close.shift(1).fillna(close.iloc[0])
    open_ = (prev * np.exp(rng.normal(0, 0.004, len(close)))).round(2).clip(lower=0.01)
    high = (np.maximum(open_, close) * np.exp(np.abs(rng.normal(0, 0.01, len(close))))).round(2)
    low = (np.minimum(open_, close) * np.exp(-np.abs(rng.normal(0, 0.01, len(close))))).round(2).clip(lower=0.01)
    volume = pd.Series(np.nan, index=close.index)
    traded = close.index >= pd.Timestamp("2007-12-19")
    years = close.index.year - 2007
    volume[traded] = np.round(np.exp(rng.normal(np.log(5000 + 2500 * years[traded]), 0.4)), -1)
    sparse = (close.index.year >= 2009) & (close.index.year <= 2011) & (rng.random(len(close)) < 0.5)
    volume[sparse] = np.nan
    frame = pd.DataFrame({"price_eur_per_t": close, "open_eur_per_t": open_, "high_eur_per_t": high,
                          "low_eur_per_t": low, "volume": volume})
    dup = frame.loc[[pd.Timestamp(DUPLICATE)]].copy()
    dup["price_eur_per_t"] = (dup["price_eur_per_t"] + 0.05).round(2)
    frame = pd.concat([frame, dup]).sort_index(kind="stable")
    frame.index.name = "date"
    return frame


def _k(volume: float) -> str:
    return "" if np.isnan(volume) else f"{volume / 1000:.2f}K"


def investing_text(frame: pd.DataFrame) -> str:
    change = frame["price_eur_per_t"].pct_change().fillna(0.0) * 100
    lines = ['"Date","Price","Open","High","Low","Vol.","Change %"']
    for (day, row), chg in zip(frame.iterrows(), change, strict=True):
        fields = [f"{day:%m/%d/%Y}", f"{row.price_eur_per_t:,.2f}", f"{row.open_eur_per_t:,.2f}",
                  f"{row.high_eur_per_t:,.2f}", f"{row.low_eur_per_t:,.2f}", _k(row.volume), f"{chg:.2f}%"]
        lines.append(",".join(f'"{f}"' for f in fields))
    return "\ufeff" + "\n".join([lines[0], *reversed(lines[1:])]) + "\n"


def plain_text(frame: pd.DataFrame) -> str:
    lines = ["date,price,volume"]
    for day, row in frame.iterrows():
        vol = "" if np.isnan(row.volume) else f"{row.volume:.0f}"
        lines.append(f"{day:%Y-%m-%d},{row.price_eur_per_t:.2f},{vol}")
    return "\n".join(lines) + "\n"


def texts() -> dict[Path, str]:
    frame = history()
    return {INVESTING: investing_text(frame), PLAIN: plain_text(frame)}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, text in texts().items():
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(path.relative_to(ROOT).as_posix())
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("out of date (run python tools/make_synthetic_prices.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
