"""The Market Stability Reserve (MSR) of the EU ETS: intake, release and invalidation.

Each year the Commission publishes the total number of allowances in circulation (TNAC) at the
end of the previous year. From that figure the rules of Decision (EU) 2015/1814, as amended,
set how many allowances are withheld from auctions and placed in the reserve over the twelve
months from 1 September, how many are released from it, and (from 2023) how many held in it
stop being valid. This module applies those rules as pure functions: a number or a pandas
object in, a number or a pandas object out. Every rate, threshold and date is a field of
:class:`Rules`, whose defaults are the legal values; a researcher changes them through the
parameters of workbook 08.

The rules, by the year the TNAC is published (``year``):

* no intake before the reserve operates (:attr:`Rules.first_intake_year`; the first intake,
  published in 2018, covers only the eight months from 1 January 2019);
* up to :attr:`Rules.band_from_year`: when the TNAC exceeds the upper threshold, the intake is
  the rate (12 %, doubled to 24 % from 2019 to :attr:`Rules.doubled_until_year`) times the
  TNAC, unless that is less than the minimum intake (100 million, doubled with the rate);
* from :attr:`Rules.band_from_year`: above the top of the band the intake is the rate times the
  TNAC; inside the band (upper threshold to band top) it is the TNAC minus the upper threshold;
* a TNAC below the lower threshold releases :attr:`Rules.release_t` (at most what the reserve
  holds);
* from :attr:`Rules.invalidation_from_year`, allowances held above the previous year's auction
  volume stop being valid; from :attr:`Rules.fixed_invalidation_from_year` above a fixed
  number (:attr:`Rules.invalidation_threshold_t`).

References
----------
Decision (EU) 2015/1814 of 6 October 2015 concerning the establishment and operation of a
market stability reserve, OJ L 264, 9.10.2015, p. 1-5, Article 1 (ELI
http://data.europa.eu/eli/dec/2015/1814/oj); amended by Directive (EU) 2018/410 (Article 2:
the doubling until 2023 and Article 1(5a), invalidation from 2023), Decision (EU) 2023/852
(OJ L 110, 25.4.2023, p. 21-24: the doubling until 2030) and Directive (EU) 2023/959 (OJ L 130,
16.5.2023: the band and the fixed 400 million). The addresses and excerpts of every constant
are in ``data/published/ets_legal_constants.csv``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from carbonlib.errors import InputError

#: How a fractional intake is made a whole number of allowances.
ROUNDING = ("nearest", "down")


@dataclass(frozen=True)
class Rules:
    """The MSR rules of Decision (EU) 2015/1814 as amended; every default is the legal value.

    Attributes
    ----------
    first_intake_year : int
        Year from whose 1 January allowances are placed in the reserve (2019; Article 1(1)).
    first_intake_months : int
        Months of the first intake, 1 January to 31 August of ``first_intake_year`` (8).
    intake_rate : float
        Share of the TNAC placed in the reserve (0.12; Article 1(5)).
    doubled_from_year, doubled_until_year : int
        Years in which an intake that starts is doubled, rate and minimum intake (2019 to 2030;
        Article 1(5) as amended by Directive (EU) 2018/410, Article 2(1), until 31 December
        2023, and by Decision (EU) 2023/852, Article 1, until 31 December 2030).
    upper_threshold_t : float
        TNAC above which allowances are placed in the reserve (833 million; Article 1(5)).
    minimum_intake_t : float
        An intake below this is not made (100 million, doubled with the rate; Article 1(5)).
    band_from_year : int
        First publication year of the band rule (2024; Directive (EU) 2023/959, Article 2).
    band_top_t : float
        Top of the band (1 096 million): between the upper threshold and it, the intake is the
        TNAC minus the upper threshold (Directive (EU) 2023/959, Article 2).
    lower_threshold_t : float
        TNAC below which allowances are released (400 million; Article 1(6)).
    release_t : float
        Allowances released when the TNAC is below the lower threshold (100 million; Article 1(6)).
    invalidation_from_year : int or None
        First year of invalidation (2023; Article 1(5a)); ``None``: never.
    fixed_invalidation_from_year : int
        First year the fixed threshold replaces the previous year's auction volume (2024;
        Directive (EU) 2023/959).
    invalidation_threshold_t : float
        Holdings kept valid from ``fixed_invalidation_from_year`` (400 million).
    rounding : str
        ``"nearest"`` or ``"down"``: how a fractional intake becomes whole allowances.
    """

    first_intake_year: int = 2019
    first_intake_months: int = 8
    intake_rate: float = 0.12
    doubled_from_year: int = 2019
    doubled_until_year: int = 2030
    upper_threshold_t: float = 833_000_000
    minimum_intake_t: float = 100_000_000
    band_from_year: int = 2024
    band_top_t: float = 1_096_000_000
    lower_threshold_t: float = 400_000_000
    release_t: float = 100_000_000
    invalidation_from_year: int | None = 2023
    fixed_invalidation_from_year: int = 2024
    invalidation_threshold_t: float = 400_000_000
    rounding: str = "nearest"

    def __post_init__(self) -> None:
        if not 0 <= self.intake_rate <= 0.5:
            raise InputError(f"msr intake_rate: {self.intake_rate} outside [0, 0.5] (give 12 % as 0.12)")
        for name in ("upper_threshold_t", "minimum_intake_t", "band_top_t", "lower_threshold_t", "release_t",
                     "invalidation_threshold_t"):
            if not (isinstance(getattr(self, name), int | float) and getattr(self, name) >= 0):
                raise InputError(f"msr {name}: must be a number of allowances ≥ 0, got {getattr(self, name)!r}")
        if self.band_top_t < self.upper_threshold_t:
            raise InputError(f"msr band_top_t ({self.band_top_t:,.0f}) is below upper_threshold_t "
                             f"({self.upper_threshold_t:,.0f}): the band would be empty")
        if self.lower_threshold_t > self.upper_threshold_t:
            raise InputError(f"msr lower_threshold_t ({self.lower_threshold_t:,.0f}) is above upper_threshold_t "
                             f"({self.upper_threshold_t:,.0f})")
        if not 1 <= self.first_intake_months <= 12:
            raise InputError(f"msr first_intake_months: {self.first_intake_months} outside 1-12")
        if self.rounding not in ROUNDING:
            raise InputError(f"msr rounding: {self.rounding!r}; use one of {', '.join(ROUNDING)}")

    def as_series(self) -> pd.Series:
        """The rules as a Series (rule → value), for a table of the rules a run used."""
        return pd.Series(asdict(self), name="value").rename_axis("rule")


def _whole(x: float, rounding: str) -> int:
    return int(math.floor(x + 0.5)) if rounding == "nearest" else int(math.floor(x))


def rate(year: int, rules: Rules = Rules()) -> float:
    """The intake rate for the TNAC published in ``year``, doubled when its intake starts in a
    doubling year (the intake of the TNAC published the year before the reserve operates starts
    on 1 January of ``first_intake_year``).

    Examples
    --------
    >>> rate(2017), rate(2018), rate(2023), rate(2031)
    (0.12, 0.24, 0.24, 0.12)
    """
    starts = max(int(year), rules.first_intake_year) if int(year) == rules.first_intake_year - 1 else int(year)
    doubled = rules.doubled_from_year <= starts <= rules.doubled_until_year
    return rules.intake_rate * (2 if doubled else 1)


def intake(tnac_t: float, year: int, rules: Rules = Rules()) -> int:
    """Allowances placed in the reserve from the TNAC published in ``year``.

    Parameters
    ----------
    tnac_t : float
        The TNAC at the end of ``year - 1``, allowances.
    year : int
        Year of publication; the intake runs over the twelve months from 1 September of it
        (the eight months from 1 January of the first intake year for the TNAC published the
        year before, and nothing earlier).
    rules : Rules
        The rules (defaults: Decision (EU) 2015/1814 as amended).

    Returns
    -------
    int
        Whole allowances (``rules.rounding``).

    References
    ----------
    Decision (EU) 2015/1814, Article 1(1) and (5), as amended by Directive (EU) 2018/410,
    Decision (EU) 2023/852 and Directive (EU) 2023/959.

    Examples
    --------
    >>> intake(1_023_494_202, 2025)  # inside the band: TNAC minus 833 million
    190494202
    >>> intake(800_000_000, 2022)
    0
    """
    tnac = float(tnac_t)
    if not math.isfinite(tnac) or tnac < 0:
        raise InputError(f"TNAC published in {year}: must be a number of allowances ≥ 0, got {tnac_t!r}")
    year = int(year)
    months = 12
    if year < rules.first_intake_year - 1:
        return 0
    if year == rules.first_intake_year - 1:
        months = rules.first_intake_months
    r = rate(year, rules)
    if year >= rules.band_from_year:
        if tnac > rules.band_top_t:
            amount = r * tnac
        elif tnac > rules.upper_threshold_t:
            amount = tnac - rules.upper_threshold_t
        else:
            return 0
    else:
        if tnac <= rules.upper_threshold_t:
            return 0
        amount = r * tnac
        minimum = rules.minimum_intake_t * (r / rules.intake_rate if rules.intake_rate else 1)
        if amount < minimum:
            return 0
    return _whole(amount * months / 12, rules.rounding)


def release(tnac_t: float, holdings_t: float, rules: Rules = Rules()) -> int:
    """Allowances released from the reserve: ``release_t`` (at most the holdings) when the TNAC
    is below the lower threshold, else 0 (Decision (EU) 2015/1814, Article 1(6)).

    Examples
    --------
    >>> release(350_000_000, 2_000_000_000), release(350_000_000, 40_000_000), release(900_000_000, 1)
    (100000000, 40000000, 0)
    """
    if float(tnac_t) >= rules.lower_threshold_t:
        return 0
    return int(min(rules.release_t, max(float(holdings_t), 0)))


def invalidated(holdings_t: float, year: int, previous_auction_volume_t: float | None = None,
                rules: Rules = Rules()) -> int:
    """Allowances held in the reserve that stop being valid on 1 January of ``year``.

    From ``rules.invalidation_from_year`` the holdings above the previous year's auction volume
    (Decision (EU) 2015/1814, Article 1(5a), inserted by Directive (EU) 2018/410); from
    ``rules.fixed_invalidation_from_year`` above ``rules.invalidation_threshold_t`` (Directive
    (EU) 2023/959). Before, or with ``invalidation_from_year`` None, nothing.

    Raises
    ------
    InputError
        In a year of the auction-volume rule without ``previous_auction_volume_t``.

    Examples
    --------
    >>> invalidated(900_000_000, 2026), invalidated(900_000_000, 2022)
    (500000000, 0)
    """
    year = int(year)
    if rules.invalidation_from_year is None or year < rules.invalidation_from_year:
        return 0
    if year >= rules.fixed_invalidation_from_year:
        keep = rules.invalidation_threshold_t
    elif previous_auction_volume_t is None:
        raise InputError(f"MSR invalidation in {year}: the previous year's auction volume is needed "
                         f"(the fixed threshold applies from {rules.fixed_invalidation_from_year})")
    else:
        keep = float(previous_auction_volume_t)
    return int(max(float(holdings_t) - keep, 0))


def check_published(published: pd.DataFrame, rules: Rules = Rules()) -> pd.DataFrame:
    """Each published intake against the intake the rules give from its published TNAC.

    Parameters
    ----------
    published : pandas.DataFrame
        One row per publication year (column or index ``publication_year``) with ``tnac`` and
        ``intake_t`` as published (``data/published/msr_tnac.csv``); ``intake_t`` may be missing.
    rules : Rules

    Returns
    -------
    pandas.DataFrame
        Indexed by ``publication_year``: ``tnac``, ``rate_pct`` (the rate applied, or empty
        inside the band), ``rule`` (which rule applies: "before the reserve", "below the
        threshold", "rate", "band"), ``published_intake_t``, ``recomputed_intake_t``,
        ``difference_t`` (published − recomputed) and ``status``: "agrees" when equal to the
        allowance, "discrepancy", "intake not found" (an intake is due but none was found),
        "no intake" (none is due and none was published) or "TNAC not found" (nothing to
        recompute from).

    Raises
    ------
    InputError
        If a column is missing.
    """
    df = published.reset_index() if "publication_year" not in published.columns else published.copy()
    missing = [c for c in ("publication_year", "tnac", "intake_t") if c not in df.columns]
    if missing:
        raise InputError(f"published MSR table: missing column(s) {', '.join(missing)}")
    rows = []
    for _, row in df.iterrows():
        year, printed = int(row["publication_year"]), row["intake_t"]
        if pd.isna(row["tnac"]):
            rows.append({"publication_year": year, "tnac": pd.NA, "rule": "", "rate_pct": np.nan,
                         "published_intake_t": printed, "recomputed_intake_t": pd.NA, "difference_t": pd.NA,
                         "status": "TNAC not found"})
            continue
        tnac = float(row["tnac"])
        recomputed = intake(tnac, year, rules)
        applied = rule_applied(tnac, year, rules)
        if pd.isna(printed):
            status = "intake not found" if applied in ("rate", "band") else "no intake"
        else:
            status = "agrees" if int(printed) == recomputed else "discrepancy"
        rows.append({
            "publication_year": year, "tnac": int(tnac), "rule": applied,
            "rate_pct": rate(year, rules) * 100 if applied == "rate" else np.nan,
            "published_intake_t": printed, "recomputed_intake_t": recomputed,
            "difference_t": int(printed) - recomputed if pd.notna(printed) else pd.NA, "status": status,
        })
    out = pd.DataFrame(rows).set_index("publication_year")
    for c in ("tnac", "published_intake_t", "recomputed_intake_t", "difference_t"):
        out[c] = out[c].astype("Int64")
    return out


def rule_applied(tnac_t: float, year: int, rules: Rules = Rules()) -> str:
    """Which rule sets the intake of the TNAC published in ``year``.

    Examples
    --------
    >>> rule_applied(1_023_494_202, 2025), rule_applied(1_694_836_870, 2017)
    ('band', 'before the reserve')
    """
    year, tnac = int(year), float(tnac_t)
    if year < rules.first_intake_year - 1:
        return "before the reserve"
    if year >= rules.band_from_year:
        if tnac > rules.band_top_t:
            return "rate"
        return "band" if tnac > rules.upper_threshold_t else "below the threshold"
    return "rate" if intake(tnac, year, rules) else "below the threshold"


def project(start_year: int, tnac_start_t: float, holdings_start_t: float, supply_t: pd.Series,
            emissions_t: pd.Series, rules: Rules = Rules(), pending_intake_t: float = 0.0) -> pd.DataFrame:
    """Carry the TNAC and the reserve forward year by year under a supply and an emission path.

    A stylised account, not a forecast: each year ``y`` after ``start_year``,

    * the TNAC at the end of ``y - 1`` is published in ``y`` and sets the intake (or release) of
      the twelve months from 1 September of ``y``; a calendar year therefore takes 8/12 of the
      previous publication's intake and 4/12 of its own;
    * ``TNAC(y) = TNAC(y-1) + supply(y) - emissions(y) - intake in y + release in y``;
    * a TNAC that falls below zero is kept (a shortfall the rules cannot meet): it takes
      nothing into the reserve and releases from it;
    * ``holdings(y) = holdings(y-1) - invalidated on 1 January y + intake in y - release in y``,
      the invalidation applied to the holdings at the start of the year (:func:`invalidated`,
      the fixed threshold; a year of the auction-volume rule has no projected auction volume
      and raises).

    Parameters
    ----------
    start_year : int
        The last year whose end-of-year TNAC is known (published in ``start_year + 1``).
    tnac_start_t, holdings_start_t : float
        TNAC and reserve holdings at the end of ``start_year``, allowances.
    supply_t, emissions_t : pandas.Series
        Allowances issued (the cap) and emissions, per year, allowances (t CO2e); indexed by
        every year from ``start_year + 1`` to the last projected year.
    rules : Rules
    pending_intake_t : float
        The intake published in ``start_year`` whose last eight months fall in ``start_year + 1``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``year``: ``supply_t``, ``emissions_t``, ``intake_published_t`` (set by the
        TNAC published that year), ``release_published_t``, ``intake_in_year_t``,
        ``release_in_year_t``, ``invalidated_t``, ``tnac_t`` (end of year) and ``holdings_t``
        (end of year).

    Raises
    ------
    InputError
        If the two paths do not cover the same consecutive years from ``start_year + 1``.
    """
    s = pd.Series(supply_t, dtype=float)
    e = pd.Series(emissions_t, dtype=float)
    years = list(range(int(start_year) + 1, int(max(s.index.max(), e.index.max())) + 1))
    for name, path in (("supply", s), ("emissions", e)):
        missing = [y for y in years if y not in path.index or pd.isna(path.get(y))]
        if missing:
            raise InputError(f"MSR projection: the {name} path has no value for {missing[0]} "
                             f"(it must cover every year {years[0]}-{years[-1]})")
    tnac, holdings, pending = float(tnac_start_t), float(holdings_start_t), float(pending_intake_t)
    pending_release = 0.0
    rows = []
    for y in years:
        gone = invalidated(holdings, y, None, rules)
        holdings -= gone
        decided = intake(max(tnac, 0.0), y, rules)  # a negative TNAC (a shortfall) takes nothing in
        freed = release(tnac, holdings, rules)
        in_year = pending * 8 / 12 + decided * 4 / 12
        out_year = pending_release * 8 / 12 + freed * 4 / 12
        tnac = tnac + s[y] - e[y] - in_year + out_year
        holdings = holdings + in_year - out_year
        rows.append({"year": y, "supply_t": s[y], "emissions_t": e[y], "intake_published_t": decided,
                     "release_published_t": freed, "intake_in_year_t": round(in_year),
                     "release_in_year_t": round(out_year), "invalidated_t": gone,
                     "tnac_t": round(tnac), "holdings_t": round(holdings)})
        pending, pending_release = decided, freed
    out = pd.DataFrame(rows).set_index("year")
    return out.astype({c: "int64" for c in out.columns})


def emission_path(first_year: int, first_t: float, last_year: int, decline_pct: float) -> pd.Series:
    """Emissions falling by a constant share a year: ``first_t × (1 − decline_pct/100)^(y − first_year)``.

    Examples
    --------
    >>> emission_path(2025, 100.0, 2027, 10.0).round(2).tolist()
    [100.0, 90.0, 81.0]
    """
    if not -100 < float(decline_pct) <= 100:
        raise InputError(f"emission decline: {decline_pct} % a year outside (-100, 100]")
    if int(last_year) < int(first_year):
        raise InputError(f"emission path: last year {last_year} before first year {first_year}")
    years = np.arange(int(first_year), int(last_year) + 1)
    values = float(first_t) * (1 - float(decline_pct) / 100) ** (years - int(first_year))
    return pd.Series(values, index=pd.Index(years, name="year"), name="emissions_t")
