from decimal import Decimal as D

from assessments.models import Assessment
from reports.builders import executive_summary, progress_report
from tests.reports.builders import DemoTestCase, add_later_year, publish_a_different_total

MEASURE_TITLES = [
    "มาตรการบริหารบุคลากรอย่างโปร่งใส",
    "มาตรการเปิดโอกาสให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงานเพื่อปรับปรุงการทำงาน",
    "มาตรการใช้ทรัพย์สินของทางราชการอย่างมีประสิทธิภาพ",
    "มาตรการเพิ่มประสิทธิภาพการสื่อสารเรื่องการใช้จ่ายงบประมาณภายในหน่วยงาน",
    "มาตรการแก้ไขการทุจริตภายในหน่วยงาน",
]


class ExecutiveSummaryTests(DemoTestCase):
    def test_it_gathers_the_oie_2563_figures(self):
        s = executive_summary(self.assessment)
        assert (s["total"], s["grade"], s["passed"]) == (D("91.50"), "A", True)
        assert [(i["code"], i["score"], i["weighted"]) for i in s["instruments"]] == [
            ("IIT", D("83.81"), D("25.14")),
            ("EIT", D("89.33"), D("26.80")),
            ("OIT", D("98.89"), D("39.56")),
        ]
        assert [i["weight_percent"] for i in s["instruments"]] == [30, 30, 40]
        assert s["weight_percent_total"] == 100
        assert (s["rank"], s["rank_of"], s["ministry_rank"], s["ministry_rank_of"]) == (
            22,
            146,
            4,
            7,
        )
        assert (s["highest"]["number"], s["highest"]["score"]) == (10, D("100.00"))
        assert (s["lowest"]["number"], s["lowest"]["score"]) == (4, D("80.75"))

    def test_it_compares_with_the_previous_year(self):
        previous = executive_summary(self.assessment)["previous"]
        assert previous["fiscal_year"] == 2562
        assert previous["total"] == D("86.61")
        assert (previous["change"], previous["direction"]) == (D("4.89"), "up")

    def test_it_lists_the_weak_questions_lowest_first_with_their_measures(self):
        s = executive_summary(self.assessment)
        assert s["weak_count"] == 22
        assert [(q["code"], q["score"]) for q in s["weak_questions"][:3]] == [
            ("I14", D("66.02")),
            ("I20", D("66.88")),
            ("I7", D("68.93")),
        ]
        by_instrument = {w["code"]: w["count"] for w in s["weak_by_instrument"]}
        assert by_instrument == {"IIT": 18, "EIT": 4}
        measures = {q["code"]: [m["number"] for m in q["measures"]] for q in s["weak_questions"]}
        assert measures["I14"] == [1] and measures["E14"] == [2] and measures["I30"] == [5]
        assert {m["plan_year"] for q in s["weak_questions"] for m in q["measures"]} == {2564}
        assert measures["I2"] == []

    def test_it_includes_the_plan_built_on_the_assessment(self):
        plan = executive_summary(self.assessment)["plan"]
        assert plan["fiscal_year"] == 2564
        assert [m["title_th"] for m in plan["measures"]] == MEASURE_TITLES
        activity = plan["measures"][0]["activities"][0]
        assert activity["number"] == "1.1" and activity["lead_unit"] == "กบท."
        # Only approved progress counts as the latest progress of the plan.
        assert activity["latest"]["percent"] == 100
        assert plan["measures"][3]["activities"][0]["latest"] is None

    def test_it_gives_the_trend_and_the_grade_bands(self):
        s = executive_summary(self.assessment)
        assert [(h["fiscal_year"], h["total"]) for h in s["history"]] == [
            (2559, D("77.56")),
            (2560, D("79.47")),
            (2561, D("87.29")),
            (2562, D("86.61")),
            (2563, D("91.50")),
        ]
        assert s["bands"][0] == ("AA", D("95.00")) and s["bands"][-1] == ("F", D("0.00"))

    def test_it_reports_discrepancies_with_reported_figures(self):
        self.assessment.reported_total = D("88.88")
        self.assessment.save()
        warnings = executive_summary(self.assessment)["discrepancies"]
        assert [(w["level"], w["computed"], w["reported"]) for w in warnings] == [
            ("total", D("91.50"), D("88.88"))
        ]

    def test_it_handles_a_year_known_only_by_its_reported_total(self):
        earliest = Assessment.objects.select_related("agency", "version").get(
            agency__code="oie", fiscal_year=2559
        )
        s = executive_summary(earliest)
        assert (s["total"], s["grade"], s["passed"]) == (D("77.56"), None, False)
        assert s["previous"] is None and s["plan"] is None and s["weak_count"] == 0
        assert not s["instrument_scores_known"] and s["highest"] is None

    def test_it_runs_a_fixed_number_of_queries(self):
        # assessment_report: 5 version rows + 5 score tables = 10; agency_history: assessments +
        # 5 version rows + 5 score tables = 11; plan_for_assessment: 1; plan_overview: rounds,
        # measures, measure questions, activities, their units, steps, questions, approved
        # reports, their evidence = 9; the self-assessment of the year with its sources = 1 (none
        # here; one that exists adds its version's rows and scores, 10).
        with self.assertNumQueries(32):
            executive_summary(self.assessment)


class ProgressReportTests(DemoTestCase):
    def test_it_lists_every_activity_by_measure(self):
        r = progress_report(self.plan, self.round)
        assert r["activity_count"] == 6
        assert [m["number"] for m in r["measures"]] == [1, 2, 3, 4, 5]
        assert [a["number"] for a in r["measures"][4]["activities"]] == ["5.1", "5.2"]
        first = r["measures"][0]["activities"][0]
        assert (first["status"], first["percent"], first["state"]) == ("done", 100, "approved")
        assert "อินทราเน็ต" in first["results"]
        missing = r["measures"][1]["activities"][0]
        assert (missing["status"], missing["percent"], missing["state"]) == ("", 0, "")

    def test_it_prints_an_unreviewed_report_as_awaiting_approval_and_no_draft(self):
        r = progress_report(self.plan, self.round)
        submitted = r["measures"][3]["activities"][0]  # 4.1, ส่งแล้ว, 70 %
        assert (submitted["percent"], submitted["state_label"], submitted["results"]) == (
            0,
            "รออนุมัติ",
            "",
        )
        draft = r["measures"][4]["activities"][0]  # 5.1, ร่าง, 40 %
        assert (draft["percent"], draft["state"], draft["results"]) == (0, "", "")
        assert r["awaiting_review"] == 1 and r["approved_count"] == 1

    def test_it_counts_statuses_and_the_mean_percent_of_approved_reports_only(self):
        r = progress_report(self.plan, self.round)
        assert {c["status"]: c["count"] for c in r["counts"]} == {"done": 1}
        assert r["mean_percent"] == D("16.67")  # 100 / 6: the submitted 70 and the draft 40 wait

    def test_it_runs_a_fixed_number_of_queries(self):
        # round_progress: activities (+measure, lead unit), their units, the round's reports,
        # their evidence = 4; the plan's measures = 1.
        with self.assertNumQueries(5):
            progress_report(self.plan, self.round)


class LaterYearTests(DemoTestCase):
    """After ITA 2564 is entered, the 2563 summary still shows 2563 and earlier only."""

    def test_the_summary_of_a_year_reads_no_later_year(self):
        add_later_year()
        s = executive_summary(self.assessment)
        assert [row["fiscal_year"] for row in s["history"]] == [2559, 2560, 2561, 2562, 2563]
        assert [year for year, _ in s["trend"]] == [2559, 2560, 2561, 2562, 2563]
        assert s["previous"]["fiscal_year"] == 2562

    def test_the_later_years_summary_reads_the_earlier_years(self):
        later = add_later_year()
        s = executive_summary(
            Assessment.objects.select_related("agency", "version").get(pk=later.pk)
        )
        assert [year for year, _ in s["trend"]] == [2559, 2560, 2561, 2562, 2563, 2564]
        assert (s["previous"]["fiscal_year"], s["previous"]["change"]) == (2563, D("1.83"))


class OfficialResultTests(DemoTestCase):
    def test_the_published_total_and_grade_are_the_headline(self):
        publish_a_different_total(self.assessment)
        s = executive_summary(self.assessment)
        assert (s["total"], s["grade"], s["published"]) == (D("92.36"), "A", True)
        assert s["computed_total"] == D("92.71")
        check = s["total_check"]
        assert (check["kind"], check["difference"], check["direction"]) == (
            "differs", D("0.35"), "up"
        )  # fmt: skip
        assert [(w["level"], w["item"]) for w in s["discrepancies"]] == [("total", "")]

    def test_a_cent_from_rounding_is_a_note_not_a_warning(self):
        self.assessment.reported_total = D("91.49")
        self.assessment.save()
        s = executive_summary(self.assessment)
        assert (s["total"], s["computed_total"], s["total_check"]["kind"]) == (
            D("91.49"), D("91.50"), "rounding"
        )  # fmt: skip
        assert s["discrepancies"] == []
        assert [(n["level"], n["difference"]) for n in s["rounding_notes"]] == [
            ("total", D("0.01"))
        ]
