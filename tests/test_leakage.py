"""Tests for carbonlib.leakage: printed 表1, 表2, 附件三 and quoted figures; scope, leakage
test and penalty rules; identities; errors."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from carbonlib import calendar, checks, datasets
from carbonlib import leakage as lk
from carbonlib.errors import InputError

# ---------------------------------------------------------------------------------------------
# 表1 (001): every cell as printed
# ---------------------------------------------------------------------------------------------
T1_YEARS = [("phase1", 2005, 2007), ("phase2", 2008, 2012), ("phase3", 2012, 2020)]
T1_CELLS = [
    ("countries", "phase1", "EU27"),
    ("countries", "phase2", "歐盟 27 國+挪威、冰島、列支敦士登"),
    ("countries", "phase3",
     "歐盟 27 國+挪威、冰島、列支敦士登;克羅地亞從 2013 年 1 月 1 日（航空從 2014 年 1 月 1 日）"),
    ("sectors", "phase1",
     "≥20MW 的電廠;煉油廠、焦爐、鋼鐵廠、水泥熟料、玻璃、石灰、磚頭、陶瓷、紙漿、紙和紙板"),
    ("sectors", "phase2", "與第 1 階段相同;2012 起涵蓋境內航空;(原 2014 起涵蓋國際航空，現暫緩實施)"),
    ("sectors", "phase3", "與第 1 階段相同;鋁、石化產品、碳捕存(CCS)"),
    ("gases", "phase1", "CO2"),
    ("gases", "phase2", "CO2, N2O"),
    ("gases", "phase3", "CO2, N2O, PFC (鋁生產)"),
    ("trading_units", "phase1", "EUAs"),
    ("trading_units", "phase2", "EUAs, CERs, ERUs;不具資格：自大型水力與森林專案獲得之額度"),
    ("trading_units", "phase3",
     "EUAs, CERs, ERUs;不具資格：自林業獲得之 CER 與 EUR、HFC 與 N2O 或大型水力電廠,"
     "自 2012 年的 CER 必須自低度開發國家(LDC)"),
]

# ---------------------------------------------------------------------------------------------
# 表2 (001): every activity (row, gases CO2/N2O/PFC, threshold value and unit; None = none)
# ---------------------------------------------------------------------------------------------
T2 = [
    (1, "combustion", (1, 0, 0), 20, "MW"),
    (2, "mineral_oil_refining", (1, 0, 0), None, ""),
    (3, "coke", (1, 0, 0), None, ""),
    (4, "metal_ore_roasting_sintering", (1, 0, 0), None, ""),
    (5, "pig_iron_steel", (1, 0, 0), 2.5, "t/h"),
    (6, "ferrous_metals", (1, 0, 0), 20, "MW"),
    (7, "primary_aluminium", (1, 0, 1), None, ""),
    (8, "secondary_aluminium", (1, 0, 0), 20, "MW"),
    (9, "non_ferrous_metals", (1, 0, 0), 20, "MW"),
    (10, "cement_clinker_rotary_kiln", (1, 0, 0), 500, "t/day"),
    (10, "cement_clinker_other_furnace", (1, 0, 0), 50, "t/day"),
    (11, "lime_dolomite_magnesite", (1, 0, 0), 50, "t/day"),
    (12, "glass", (1, 0, 0), 20, "t/day"),
    (13, "ceramics", (1, 0, 0), 75, "t/day"),
    (14, "mineral_wool", (1, 0, 0), 200000, "t/day"),
    (15, "gypsum_plasterboard", (1, 0, 0), 20, "MW"),
    (16, "pulp", (1, 0, 0), None, ""),
    (17, "paper_cardboard", (1, 0, 0), 20, "t/day"),
    (18, "carbon_black", (1, 0, 0), 20, "MW"),
    (19, "nitric_acid", (1, 1, 0), None, ""),
    (20, "adipic_acid", (1, 1, 0), None, ""),
    (21, "glyoxal_glyoxylic_acid", (1, 1, 0), None, ""),
    (22, "ammonia", (1, 0, 0), None, ""),
    (23, "bulk_organic_chemicals", (1, 0, 0), 100, "t/day"),
    (24, "hydrogen_synthesis_gas", (1, 0, 0), 25, "t/day"),
    (25, "soda_ash_sodium_bicarbonate", (1, 0, 0), None, ""),
    (26, "aviation", (1, 0, 0), 5700, "kg"),
]

# ---------------------------------------------------------------------------------------------
# 附件三 (001): every NACE-4 code, criteria letters as printed, name as printed
# ---------------------------------------------------------------------------------------------
ANNEX3 = [
    ("0510", "C", "硬煤之開採"),
    ("2020", "C", "殺蟲劑及其他農藥製造"),
    ("2711", "C", "電動馬達、發電機及變壓器製造"),
    ("0610", "C", "原油抽取"),
    ("2042", "C", "香水製造"),
    ("2712", "C", "輸電盤、配電盤製造"),
    ("0620", "C", "天然氣抽取"),
    ("2053", "C", "精油製造"),
    ("2720", "C", "蓄電池及電池製造"),
    ("0710", "C", "鐵礦開採"),
    ("2059", "C", "其他化學產品製造"),
    ("2731", "C", "光纖電纜製造"),
    ("0720", "C", "其他非鐵金屬礦石開採"),
    ("2060", "C", "人造纖維製造"),
    ("2732", "C", "電線及電纜製造"),
    ("0891", "C", "化學及肥料原料採集"),
    ("2110", "C", "基本製藥"),
    ("2733", "C", "配線器材製造"),
    ("0893", "A", "抽取鹽"),
    ("2120", "C", "藥劑配製品製造"),
    ("2740", "C", "電子照明設備製造"),
    ("0899", "A、C", "其他礦業及採集業"),
    ("2211", "C", "橡膠輪胎及內胎製造"),
    ("2751", "C", "其他家用電器製造"),
    ("1020", "C", "魚、甲殼類與軟體動物的加工及保存"),
    ("2219", "C", "其他橡膠產品製造"),
    ("2752", "C", "其他家用非電器製造"),
    ("1041", "C", "油脂製造"),
    ("2311", "A", "平玻璃製造"),
    ("2790", "C", "其他電器設備製造"),
    ("1062", "A", "澱粉及澱粉製品製造"),
    ("2313", "A", "凹面玻璃製造"),
    ("2811", "C", "引擎及渦輪機製造(飛機、車輛及循環引擎除外)"),
    ("1081", "A", "糖類製造"),
    ("2314", "A/C", "玻璃纖維製造"),
    ("2812", "C", "流體傳動設備製造"),
    ("1086", "C", "均質食品製造"),
    ("2319", "C", "其他玻璃包含技術用玻璃製品之製造及加工"),
    ("2813", "C", "泵及壓縮機製造"),
    ("1101", "C", "烈酒蒸餾、精餾及混合"),
    ("2320", "C", "耐火性產品製造"),
    ("2814", "C", "活栓及活閥製造"),
    ("1102", "C", "葡萄釀酒製造"),
    ("2331", "A、C", "陶製磁磚及石板產品製造"),
    ("2815", "C", "軸承、齒輪、齒輪裝置及傳動裝置製造"),
    ("1104", "A", "其他非蒸餾之發酵酒類製造"),
    ("2341", "C", "家用及裝潢用陶瓷品製造"),
    ("2821", "C", "烤箱、火爐及火爐燃燒製造"),
    ("1310", "C", "紡織纖維之備製及抽砂"),
    ("2342", "C", "陶瓷衛生設備製造"),
    ("2822", "C", "中央加熱之鍋爐製造"),
    ("1320", "C", "紡織品編織"),
    ("2343", "C", "陶瓷絕緣體、零件產品製造"),
    ("2823", "C", "辦公室用機械設備製造(除電腦與周邊設備外)"),
    ("1391", "C", "針織及鉤針編織纖維之製造"),
    ("2344", "C", "其他技術用陶瓷製造"),
    ("2824", "C", "動力手工具製造"),
    ("1392", "C", "人工紡織品(衣服除外)之製造"),
    ("2349", "C", "其他陶瓷產品製造"),
    ("2825", "C", "非家用冷凍及換氣設備製造"),
    ("1393", "C", "地毯及厚毯之製造"),
    ("2351", "B", "水泥製造"),
    ("2829", "C", "其他一般用機械製造"),
    ("1394", "C", "繩、索、亞麻繩及網之製造"),
    ("2352", "B", "石灰、石膏製造"),
    ("2830", "C", "農業用牽引機製造"),
    ("1395", "C", "不織布及其他製品(除衣服外)之製造"),
    ("2370", "C", "石材切割、成形及完成"),
    ("2841", "C", "金屬成形機械製造"),
    ("1396", "C", "其他技術與工業紡織品之製造"),
    ("2391", "C", "研磨性產品之生產"),
    ("2849", "C", "機械工具製造"),
    ("1399", "C", "其他紡織品之製造"),
    ("2410", "A", "粗鋼、鋼及鐵合金製造"),
    ("2891", "C", "冶金用機械製造"),
    ("1411", "C", "皮衣製造"),
    ("2420", "C", "鋼材管線、空心材與相關配件生產"),
    ("2892", "C", "採礦、採石及建築用機械製造"),
    ("1412", "C", "工作衣製造"),
    ("2431", "C", "冷抽"),
    ("2893", "C", "食物、飲料及菸草加工用機械製造"),
    ("1413", "C", "其他外衣製造"),
    ("2441", "C", "貴金屬生產"),
    ("2894", "C", "紡織品、服裝及皮革加工用機械製造"),
    ("1414", "C", "內衣製造"),
    ("2442", "AC", "鋁生產"),
    ("2895", "C", "紙、紙板生產用機械製造"),
    ("1419", "C", "其他衣服及配件製造"),
    ("2443", "A", "鉛、鋅與錫生產"),
    ("2896", "C", "塑膠及橡膠生產用機械製造"),
    ("1420", "C", "毛皮製品製造"),
    ("2444", "C", "銅製造"),
    ("2899", "C", "其他特殊用途機械製造"),
    ("1431", "C", "針織及鉤針編織襪之製造"),
    ("2445", "C", "其他非鐵金屬生產"),
    ("2910", "C", "車輛製造"),
    ("1439", "C", "其他針織及鉤針編織衣服製造"),
    ("2446", "AC", "核燃料製造"),
    ("2931", "C", "車用電子及電氣設備製造"),
    ("1511", "C", "皮革鞣皮加工製造；毛皮加工處理及染色"),
    ("2540", "C", "武器、炸藥及軍火製造"),
    ("3011", "C", "船舶建造及維修"),
    ("1512", "C", "皮箱、皮包、馬具等皮革製造"),
    ("2571", "C", "餐具刀叉製造"),
    ("3012", "C", "休閒及運動用船舶建造"),
    ("1520", "C", "鞋類製造"),
    ("2572", "C", "鎖及鉸鏈製造"),
    ("3030", "C", "飛行器及太空船製造"),
    ("1622", "C", "組裝鑲木地板製造"),
    ("2573", "C", "手工具製造"),
    ("3091", "C", "機車製造"),
    ("1629", "C", "其他木製品、軟木製品、草編製品及編織材料製造"),
    ("2594", "C", "螺絲帽、釘產品製造"),
    ("3092", "C", "腳踏車與病患用車輛製造"),
    ("1711", "AC", "紙漿製造"),
    ("2599", "C", "其他金屬產品製造"),
    ("3099", "C", "其他運輸設備製造"),
    ("1712", "A", "紙及紙製品製造"),
    ("2611", "C", "電子零件製造"),
    ("3109", "C", "其他傢俱製造"),
    ("1724", "C", "壁紙製造"),
    ("2612", "C", "裝載用電路板製造"),
    ("3211", "C", "錢幣打刻"),
    ("1910", "AC", "焦炭產品製造"),
    ("2620", "C", "電腦及周邊產品製造"),
    ("3212", "C", "珠寶及其他相關物品製造"),
    ("1920", "A", "石油煉製品製造"),
    ("2630", "C", "通訊設備製造"),
    ("3213", "C", "人造珠寶及其他相關物品製造"),
    ("2012", "C", "染料及色素製造"),
    ("2640", "C", "消費類電子產品製造"),
    ("3220", "C", "樂器製造"),
    ("2013", "AC", "其它無機基本化學製"),
    ("2651", "C", "量測、測試與航行用儀器製造"),
    ("3230", "C", "運動用品製造"),
    ("2014", "AC", "其它有機基本化學製造"),
    ("2652", "C", "手錶及鐘產品製造"),
    ("3240", "C", "遊戲及玩具製造"),
    ("2015", "AB", "肥料及氮複合製造"),
    ("2660", "C", "輻射、電子醫療及電子儀器設備製造"),
    ("3250", "C", "醫療和牙科設備用品製造"),
    ("2016", "C", "塑膠素材製造"),
    ("2670", "C", "光學及照相設備製造"),
    ("3291", "C", "掃帚及刷子製造"),
    ("2017", "C", "合成橡皮素材製造"),
    ("2680", "C", "資料儲存媒體製造業"),
    ("3299", "C", "其他製造"),

]


@pytest.fixture(scope="module")
def t1():
    return datasets.load("scope_phases_t1")


@pytest.fixture(scope="module")
def t2():
    return datasets.load("scope_activities_t2")


@pytest.fixture(scope="module")
def annex3():
    return datasets.load("leakage_annex3_sectors")


@pytest.fixture(scope="module")
def quoted():
    return datasets.load("leakage_quoted_figures").set_index("key")


@pytest.fixture(scope="module")
def units():
    return datasets.load("leakage_installation_units")


@pytest.fixture(scope="module")
def emissions():
    return datasets.load("leakage_installation_emissions")


# ---------------------------------------------------------------------------------------------
# 表1
# ---------------------------------------------------------------------------------------------
def test_table1_has_every_cell(t1):
    assert len(t1) == len(T1_CELLS) == 12


@pytest.mark.parametrize(("aspect", "phase", "text"), T1_CELLS)
def test_table1_cell_printed(t1, aspect, phase, text):
    assert t1.set_index(["aspect", "phase"]).loc[(aspect, phase), "text_zh"] == text


@pytest.mark.parametrize(("phase", "first", "last"), T1_YEARS)
def test_table1_phase_years_printed(t1, phase, first, last):
    rows = t1[t1["phase"] == phase]
    assert set(rows["first_year_printed"]) == {first}
    assert set(rows["last_year_printed"]) == {last}


def test_table1_phase3_start_is_a_printing_error(t1):
    report = lk.phase_year_report(t1)
    assert len(report) == 6
    bad = checks.discrepancies(report)
    assert list(bad.index) == [("phase3", "first_year")]
    assert_allclose(bad["printed"].iloc[0], 2012, atol=0)
    assert_allclose(bad["recomputed"].iloc[0], 2013, atol=0)
    assert (report.drop(index=[("phase3", "first_year")])["status"] == "agrees").all()


def test_phases_are_contiguous():
    spans = [(first, last) for _, _, first, last in calendar.PHASES]
    for (_, end), (start, _) in zip(spans[:-1], spans[1:], strict=True):
        assert start == end + 1
    assert calendar.PHASE_YEARS["phase3"] == (min(calendar.PHASE3_YEARS), max(calendar.PHASE3_YEARS))


def test_table1_gases_by_phase(t1):
    g = lk.gases_by_phase(t1)
    assert g.to_dict() == {
        "phase1": {"CO2": True, "N2O": False, "PFC": False},
        "phase2": {"CO2": True, "N2O": True, "PFC": False},
        "phase3": {"CO2": True, "N2O": True, "PFC": True},
    }


# ---------------------------------------------------------------------------------------------
# 表2
# ---------------------------------------------------------------------------------------------
def test_table2_has_every_activity(t2):
    assert len(t2) == len(T2) == 27
    assert t2["printed_row"].nunique() == 26
    assert t2["printed_row"].tolist() == sorted(t2["printed_row"])


@pytest.mark.parametrize(("row", "activity", "gases", "threshold", "unit"), T2)
def test_table2_row_printed(t2, row, activity, gases, threshold, unit):
    rec = t2.set_index("activity").loc[activity]
    assert rec["printed_row"] == row
    assert (bool(rec["co2"]), bool(rec["n2o"]), bool(rec["pfc"])) == tuple(map(bool, gases))
    thr = lk.thresholds(t2).loc[activity]
    assert thr["capacity_unit"] == unit
    if threshold is None:
        assert np.isnan(thr["threshold"])
        assert pd.isna(rec["threshold_printed_zh"])
    else:
        assert_allclose(thr["threshold"], threshold, rtol=0, atol=1e-12)
        assert_allclose(rec[lk.THRESHOLD_COLUMNS[unit]], threshold, rtol=0, atol=1e-12)


@pytest.mark.parametrize(("row", "activity", "gases", "threshold", "unit"),
                         [r for r in T2 if r[3] is not None])
def test_table2_threshold_is_in_the_printed_wording(t2, row, activity, gases, threshold, unit):
    rec = t2.set_index("activity").loc[activity]
    printed = rec["threshold_printed_zh"].replace(",", "")
    number = "20 萬" if activity == "mineral_wool" else f"{threshold:g}"
    assert number in printed and number in rec["label_zh"].replace(",", "")


def test_table2_gas_flags_match_printed_text(t2):
    for gas, col in (("CO2", "co2"), ("N2O", "n2o"), ("PFC", "pfc")):
        assert (t2["gases_printed_zh"].str.contains(gas) == t2[col]).all(), gas


def test_table2_gases_equal_phase3_gases_of_table1(t1, t2):
    in_t2 = {g for g, c in (("CO2", "co2"), ("N2O", "n2o"), ("PFC", "pfc")) if t2[c].any()}
    g = lk.gases_by_phase(t1)
    assert in_t2 == set(g.index[g["phase3"]]) == {"CO2", "N2O", "PFC"}
    assert t2.loc[t2["pfc"], "activity"].tolist() == ["primary_aluminium"]
    assert t2.loc[t2["n2o"], "activity"].tolist() == ["nitric_acid", "adipic_acid",
                                                      "glyoxal_glyoxylic_acid"]
    assert t2["co2"].all()


def test_table2_mineral_wool_printing_error(t2):
    report = lk.threshold_corrections(t2)
    assert list(report.index) == ["mineral_wool"]
    assert_allclose(report.loc["mineral_wool", ["printed", "recomputed", "difference"]].astype(float),
                    [200000, 20, 199980], atol=0)
    assert report.loc["mineral_wool", "status"] == "discrepancy"
    fixed = lk.thresholds(t2, correct_printing_errors=True)
    assert_allclose(fixed.loc["mineral_wool", "threshold"], 20, atol=0)
    assert (fixed.drop(index="mineral_wool")["threshold"].fillna(-1)
            == lk.thresholds(t2).drop(index="mineral_wool")["threshold"].fillna(-1)).all()


# ---------------------------------------------------------------------------------------------
# scope rules on the illustrative installations
# ---------------------------------------------------------------------------------------------
COVERAGE = [  # installation, covered by activity, opt-out eligible, covered (opt-out applied)
    ("BOIL_A", True, True, False),  # 15 + 8 MW (2 MW unit < 3 MW not counted), 9,000 t
    ("BOIL_B", False, False, False),  # 12 + 6 MW (4 MW biomass-only not counted)
    ("BOIL_C", True, False, True),
    ("CEM_A", True, False, True),
    ("CEM_B", False, False, False),
    ("GLS_A", False, False, False),  # exactly 20 t/day is not above 20
    ("STL_A", True, False, True),
    ("REF_A", True, False, True),
    ("WOOL_A", False, False, False),  # printed 200,000 t/day threshold
    ("NIT_A", True, False, True),
    ("PAP_A", False, False, False),
    ("AIR_A", True, False, True),  # exactly 5,700 kg is not excluded
    ("AIR_B", False, False, False),
]


@pytest.mark.parametrize(("inst", "by_activity", "eligible", "covered"), COVERAGE)
def test_coverage(t2, units, emissions, inst, by_activity, eligible, covered):
    out = lk.coverage(units, t2, emissions).set_index("installation").loc[inst]
    assert bool(out["covered_by_activity"]) is by_activity
    assert bool(out["opt_out_eligible"]) is eligible
    assert bool(out["covered"]) is covered
    kept = lk.coverage(units, t2, emissions, apply_opt_out=False).set_index("installation")
    assert bool(kept.loc[inst, "covered"]) is by_activity


def test_coverage_counts_units_and_explains(t2, units, emissions):
    act = lk.covered_activities(units, t2).set_index(["installation", "activity"])
    assert_allclose(act.loc[("BOIL_A", "combustion"), "capacity"], 23.0, atol=0)
    assert act.loc[("BOIL_A", "combustion"), "units_counted"] == 2
    assert_allclose(act.loc[("BOIL_B", "combustion"), "capacity"], 18.0, atol=0)
    out = lk.coverage(units, t2, emissions).set_index("installation")["reason"]
    assert out["BOIL_A"] == "small-emitter opt-out: 9000 t <= 10000 t and 23 MW <= 25 MW"
    assert out["BOIL_C"] == "表2 combustion: 30 MW > 20 MW"
    assert out["GLS_A"] == "表2 glass: 20 t/day not above 20 t/day"
    assert out["REF_A"] == "表2 mineral_oil_refining: no threshold"
    assert out["AIR_B"] == "表2 aviation: aircraft 5000 kg < 5700 kg (excluded)"


def test_coverage_with_directive_threshold(t2, units, emissions):
    out = lk.coverage(units, t2, emissions, correct_printing_errors=True).set_index("installation")
    assert bool(out.loc["WOOL_A", "covered"])
    assert out.loc["WOOL_A", "reason"] == "表2 mineral_wool: 150 t/day > 20 t/day"


@pytest.mark.parametrize(("emitted", "mw", "eligible"), [
    (10000, 25, True), (10000.5, 25, False), (10000, 25.5, False), (0, 21, True),
])
def test_opt_out_boundaries_inclusive(t2, emitted, mw, eligible):
    u = pd.DataFrame({"installation": ["X"], "unit": ["X1"], "activity": ["combustion"],
                      "capacity": [mw], "capacity_unit": ["MW"]})
    e = pd.DataFrame({"installation": ["X"], "annual_emissions_t": [emitted]})
    out = lk.coverage(u, t2, e)
    assert bool(out["opt_out_eligible"].iloc[0]) is eligible
    assert bool(out["covered"].iloc[0]) is not eligible


def test_opt_out_only_for_combustion_installations(t2, units, emissions):
    out = lk.coverage(units, t2, emissions).set_index("installation")
    assert_allclose(out.loc["AIR_A", "annual_emissions_t"], 8000, atol=0)  # < 10,000 t, no MW
    assert not out.loc["AIR_A", "opt_out_eligible"]
    assert not lk.coverage(units, t2)["opt_out_eligible"].any()  # no emissions given


@pytest.mark.parametrize(("mw", "covered"), [(20, False), (20.01, True), (2.99, False)])
def test_combustion_threshold_must_be_exceeded(t2, mw, covered):
    u = pd.DataFrame({"installation": ["X", "X"], "unit": ["X1", "X2"],
                      "activity": ["combustion"] * 2, "capacity": [mw, 2.99],
                      "capacity_unit": ["MW", "MW"]})
    assert bool(lk.covered_activities(u, t2)["covered"].iloc[0]) is covered


def test_error_unknown_activity(t2, units):
    bad = units.copy()
    bad.loc[0, "activity"] = "unobtainium"
    with pytest.raises(InputError, match="activity: unknown activity 'unobtainium' for unit 'BOIL_A_1'"):
        lk.coverage(bad, t2)


def test_error_negative_capacity(t2, units):
    bad = units.copy()
    bad.loc[1, "capacity"] = -3.0
    with pytest.raises(InputError, match="capacity: negative value -3.0 for unit 'BOIL_A_2'"):
        lk.covered_activities(bad, t2)


def test_error_capacity_in_wrong_unit(t2, units):
    bad = units.copy()
    bad.loc[7, "capacity_unit"] = "t/h"
    with pytest.raises(InputError, match="capacity_unit: unit 'CEM_A_kiln' gives 't/h' but activity "
                                         "'cement_clinker_rotary_kiln' has its threshold in 't/day'"):
        lk.covered_activities(bad, t2)


def test_error_missing_capacity(t2, units):
    bad = units.copy()
    bad.loc[6, "capacity"] = np.nan
    with pytest.raises(InputError, match="capacity: missing for unit 'BOIL_C_1'"):
        lk.covered_activities(bad, t2)


def test_error_negative_emissions(t2, units, emissions):
    bad = emissions.copy()
    bad.loc[0, "annual_emissions_t"] = -1.0
    with pytest.raises(InputError, match="annual_emissions_t: negative value -1.0 for installation 'BOIL_A'"):
        lk.coverage(units, t2, bad)
    extra = pd.concat([emissions, pd.DataFrame({"installation": ["GHOST"], "annual_emissions_t": [1.0]})])
    with pytest.raises(InputError, match="emissions: installation 'GHOST' has no units"):
        lk.coverage(units, t2, extra)


def test_error_missing_columns(t2, units):
    with pytest.raises(InputError, match=r"units: missing columns \['capacity_unit'\]"):
        lk.covered_activities(units.drop(columns="capacity_unit"), t2)


# ---------------------------------------------------------------------------------------------
# the carbon-leakage test
# ---------------------------------------------------------------------------------------------
LEAKAGE = [  # sector, cost share % of GVA, trade intensity %, criteria met
    ("S1", 35.0, 5.0, "B"),
    ("S2", 12.0, 25.0, "A"),
    ("S3", 1.0, 45.0, "C"),
    ("S4", 2.0, 3.0, ""),
    ("S5", 5.0, 10.0, ""),  # trade intensity must be above 10 %
    ("S6", 5.0, 10.5, "A"),  # cost of exactly 5 % is enough
    ("S7", 30.0, 40.0, "ABC"),  # cost of exactly 30 % is enough
    ("S8", 4.9, 30.0, ""),  # trade intensity must be above 30 %
]


@pytest.fixture(scope="module")
def tested():
    return lk.leakage_test(datasets.load("leakage_sectors")).set_index("sector")


@pytest.mark.parametrize(("sector", "cost", "trade", "criteria"), LEAKAGE)
def test_leakage_criteria(tested, sector, cost, trade, criteria):
    row = tested.loc[sector]
    assert_allclose(row["cost_share_gva_pct"], cost, atol=1e-9)
    assert_allclose(row["trade_intensity_pct"], trade, atol=1e-9)
    assert row["criteria"] == criteria
    assert bool(row["exposed"]) is (criteria != "")
    assert [bool(row[f"criterion_{c}"]) for c in "abc"] == [c in criteria for c in "ABC"]


def test_trade_intensity_identity(tested):
    recomputed = 100 * (tested["exports_third_meur"] + tested["imports_third_meur"]) / tested["eu_market_meur"]
    assert_allclose(tested["trade_intensity_pct"], recomputed, rtol=1e-12)
    assert_allclose(tested["cost_share_gva_pct"],
                    100 * tested["additional_cost_meur"] / tested["gva_meur"], rtol=1e-12)


def test_leakage_thresholds_are_parameters():
    s = datasets.load("leakage_sectors")
    strict = lk.leakage_test(s, cost_min_pct=10, trade_min_pct=20, cost_only_pct=40, trade_only_pct=44)
    assert strict.set_index("sector")["criteria"].to_dict() == {
        "S1": "", "S2": "A", "S3": "C", "S4": "", "S5": "", "S6": "", "S7": "A", "S8": ""}


@pytest.mark.parametrize(("column", "message"), [
    ("exports_third_meur", "exports_third_meur: negative value -1.0 for sector 'S1'"),
    ("additional_cost_meur", "additional_cost_meur: negative value -1.0 for sector 'S1'"),
])
def test_error_negative_sector_value(column, message):
    s = datasets.load("leakage_sectors")
    s.loc[0, column] = -1.0
    with pytest.raises(InputError, match=message):
        lk.leakage_test(s)


def test_error_zero_market_and_bad_threshold():
    s = datasets.load("leakage_sectors")
    s.loc[2, "eu_market_meur"] = 0.0
    with pytest.raises(InputError, match="eu_market_meur: zero for sector 'S3'"):
        lk.leakage_test(s)
    with pytest.raises(InputError, match="cost_min_pct: threshold must be a non-negative percentage, got -5"):
        lk.leakage_test(datasets.load("leakage_sectors"), cost_min_pct=-5)
    with pytest.raises(InputError, match=r"sectors: missing columns \['gva_meur'\]"):
        lk.leakage_test(datasets.load("leakage_sectors").drop(columns="gva_meur"))


# ---------------------------------------------------------------------------------------------
# 附件三
# ---------------------------------------------------------------------------------------------
def test_annex3_has_147_codes(annex3):
    assert len(annex3) == len(ANNEX3) == 147
    assert annex3["nace_code"].is_unique
    assert [c for c, _, _ in ANNEX3] == annex3["nace_code"].tolist()


@pytest.mark.parametrize(("code", "criteria", "label"), ANNEX3, ids=[c for c, _, _ in ANNEX3])
def test_annex3_code_printed(annex3, code, criteria, label):
    row = annex3.set_index("nace_code").loc[code]
    assert row["criteria_printed"] == criteria
    assert row["label_zh"] == label
    letters = "".join(c for c in "ABC" if c in criteria)
    assert row["criteria"] == letters
    assert [bool(row[f"criterion_{c}"]) for c in "abc"] == [c in letters for c in "ABC"]


def test_annex3_codes_ascend_down_each_printed_column(annex3):
    for col in (1, 2, 3):
        codes = annex3.loc[annex3["printed_column"] == col, "nace_code"].tolist()
        assert len(codes) == 49 and codes == sorted(codes)
    first = annex3.groupby("printed_column")["nace_code"].agg(["min", "max"])
    assert first["max"].iloc[0] < first["min"].iloc[1] and first["max"].iloc[1] < first["min"].iloc[2]


def test_annex3_normalised_letters_recomputed(annex3):
    assert (lk.criteria_letters(annex3["criteria_printed"]) == annex3["criteria"]).all()


@pytest.mark.parametrize(("group", "count"), [
    ("A", 20), ("B", 3), ("C", 134), ("only A", 10), ("only B", 2), ("only C", 125),
    ("A+B", 1), ("A+C", 9), ("all", 147),
])
def test_annex3_summary_by_criterion(annex3, group, count):
    summary = lk.annex3_by_criterion(annex3)
    assert summary.loc[group, "sectors"] == count
    assert_allclose(summary.loc[group, "share_pct"], 100 * count / 147, rtol=1e-12)


def test_annex3_summary_identities(annex3):
    s = lk.annex3_by_criterion(annex3)
    combos = s[s["kind"] == "combination"]
    assert combos["sectors"].sum() == s.loc["all", "sectors"] == len(annex3)
    for letter in "ABC":
        with_letter = combos[combos.index.str.contains(letter)]["sectors"].sum()
        assert with_letter == s.loc[letter, "sectors"]
    by_div = lk.annex3_by_division(annex3)
    assert by_div["sectors"].sum() == 147
    assert by_div[["A", "B", "C"]].sum().tolist() == [20, 3, 134]
    assert by_div.loc["28", "sectors"] == 21  # machinery is the largest division
    assert by_div["sectors"].idxmax() == "28"


def test_annex3_count_differs_from_quoted_164(annex3):
    quoted = datasets.load("allocation_quoted_figures").set_index("key").loc["leakage_sector_count", "value"]
    assert_allclose(quoted, 164, atol=0)
    assert len(annex3) == 147 != quoted


def test_on_leakage_list(annex3):
    out = lk.on_leakage_list(["2351", "0893", "1071"], annex3).set_index("nace_code")
    assert out["on_list"].tolist() == [True, True, False]
    assert out.loc["2351", "criteria"] == "B" and out.loc["2351", "label_zh"] == "水泥製造"
    assert out.loc["1071", "criteria"] == ""
    with pytest.raises(InputError, match="nace_code: 2351 is not a four-digit NACE code string"):
        lk.on_leakage_list([2351], annex3)
    with pytest.raises(InputError, match="nace_code: '235' is not a four-digit NACE code string"):
        lk.on_leakage_list(["235"], annex3)


def test_error_unreadable_criteria():
    with pytest.raises(InputError, match="criteria: cannot read 'D'"):
        lk.criteria_letters(pd.Series(["A", "D"]))
    dup = pd.DataFrame({"nace_code": ["2351", "2351"], "criteria_printed": ["B", "B"]})
    with pytest.raises(InputError, match="nace_code: code '2351' listed twice"):
        lk.annex3_by_criterion(dup)


# ---------------------------------------------------------------------------------------------
# quoted figures
# ---------------------------------------------------------------------------------------------
QUOTED = [
    ("leakage_cost_share_min_pct", 5), ("leakage_trade_intensity_min_pct", 10),
    ("leakage_cost_share_only_min_pct", 30), ("leakage_trade_intensity_only_min_pct", 30),
    ("leakage_list_first_year", 2009), ("leakage_list_review_interval_years", 5),
    ("leakage_nace_digits", 4), ("leakage_cpa_digits", 6), ("leakage_prodcom_digits", 8),
    ("leakage_legislation_year", 2014), ("leakage_data_first_year", 2009),
    ("leakage_data_last_year", 2011), ("penalty_eur_per_t_2013", 100), ("penalty_base_year", 2013),
    ("scope_min_unit_thermal_input_mw", 3), ("scope_aviation_first_year", 2012),
    ("small_emitter_max_emissions_t", 10000), ("small_emitter_max_thermal_input_mw", 25),
    ("phase3_added_gas_classes", 2),
]


def test_quoted_figures_complete(quoted):
    assert sorted(quoted.index) == sorted(k for k, _ in QUOTED)


@pytest.mark.parametrize(("key", "value"), QUOTED)
def test_quoted_figure_printed(quoted, key, value):
    assert_allclose(quoted.loc[key, "value"], value, atol=0)
    assert f"{value:g}" in quoted.loc[key, "quote_zh"].replace(",", "")


def test_quoted_rules_match_library(quoted):
    q = quoted["value"]
    assert lk.COST_SHARE_MIN_PCT == q["leakage_cost_share_min_pct"]
    assert lk.TRADE_INTENSITY_MIN_PCT == q["leakage_trade_intensity_min_pct"]
    assert lk.COST_SHARE_ONLY_PCT == q["leakage_cost_share_only_min_pct"]
    assert lk.TRADE_INTENSITY_ONLY_PCT == q["leakage_trade_intensity_only_min_pct"]
    assert lk.PENALTY_2013_EUR_PER_T == q["penalty_eur_per_t_2013"]
    assert lk.MIN_UNIT_THERMAL_INPUT_MW == q["scope_min_unit_thermal_input_mw"]
    assert lk.SMALL_EMITTER_MAX_EMISSIONS_T == q["small_emitter_max_emissions_t"]
    assert lk.SMALL_EMITTER_MAX_THERMAL_INPUT_MW == q["small_emitter_max_thermal_input_mw"]
    assert quoted.loc["small_emitter_max_emissions_t", "file"] == "000_318ba4d3771c8f90.txt"
    assert quoted.loc["penalty_eur_per_t_2013", "file"] == "001_b0950b57165db085.txt"


# ---------------------------------------------------------------------------------------------
# penalty
# ---------------------------------------------------------------------------------------------
PENALTY = [  # year, EUR/t with the illustrative inflation series
    (2013, 100.0), (2014, 100.5), (2015, 100.5), (2016, 101.0025), (2017, 102.5175375),
    (2018, 104.05530056), (2019, 105.09585357), (2020, 105.62133284),
]


@pytest.fixture(scope="module")
def path():
    infl = datasets.load("leakage_inflation").set_index("year")["inflation_pct"]
    return lk.penalty_path(infl)


@pytest.mark.parametrize(("year", "value"), PENALTY)
def test_penalty_path(path, year, value):
    assert_allclose(path[year], value, rtol=0, atol=1e-8)


def test_penalty_identity_year_on_year(path):
    infl = datasets.load("leakage_inflation").set_index("year")["inflation_pct"]
    ratio = path.iloc[1:].to_numpy() / path.iloc[:-1].to_numpy()
    assert_allclose(ratio, 1 + infl.loc[2014:2020].to_numpy() / 100, rtol=1e-12)
    assert_allclose(lk.penalty_path(lk.constant_inflation(0.0)), 100.0, atol=0)
    assert_allclose(lk.penalty_path(lk.constant_inflation(2.0))[2020], 100 * 1.02 ** 7, rtol=1e-12)


def test_penalty_due(path):
    due = lk.penalty_due(pd.Series({2013: 1000.0, 2020: 10.0}), path)
    assert_allclose(due.to_numpy(), [100000.0, 1056.2133284], rtol=1e-10)
    with pytest.raises(InputError, match="excess_t: negative value -1.0 in 2014"):
        lk.penalty_due(pd.Series({2014: -1.0}), path)


@pytest.mark.parametrize("year", [2012, 2021])
def test_error_year_outside_phase3(year):
    with pytest.raises(InputError, match=f"year {year} outside Phase 3"):
        lk.penalty_path(lk.constant_inflation(1.0), years=[year])
    with pytest.raises(InputError, match=f"inflation_pct: year {year} outside Phase 3"):
        lk.penalty_path(pd.concat([lk.constant_inflation(1.0), pd.Series({year: 1.0})]))


def test_error_inflation_series():
    gap = lk.constant_inflation(1.0).drop(2017)
    with pytest.raises(InputError, match="inflation_pct: no rate for year 2017"):
        lk.penalty_path(gap)
    crash = lk.constant_inflation(1.0)
    crash[2015] = -100.0
    with pytest.raises(InputError, match="inflation_pct: -100.0 % in 2015 is not above -100 %"):
        lk.penalty_path(crash)
    with pytest.raises(InputError, match="base_eur_per_t: negative penalty -1"):
        lk.penalty_path(lk.constant_inflation(1.0), base_eur_per_t=-1)
