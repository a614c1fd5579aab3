"""Reading earlier publications' key figures (OUT/<report>/kpis.json and historik/)."""

from __future__ import annotations

import json

from foui_analysis.runner.published import first_published, publications, published_followups


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_publications_oldest_first(tmp_path):
    report = tmp_path / "uppfoljning-2015H1"
    write(report / "historik" / "kpis-20150801T020000.json", {"a": 1})
    write(report / "historik" / "kpis-20160101T020000.json", {"a": 2})
    write(report / "kpis.json", {"a": 3})

    assert publications(tmp_path, "uppfoljning-2015H1") == [{"a": 1}, {"a": 2}, {"a": 3}]
    assert first_published(tmp_path, "uppfoljning-2015H1") == {"a": 1}


def test_unpublished_or_unreadable_report_has_nothing(tmp_path):
    (tmp_path / "uppfoljning-2015H2").mkdir()
    (tmp_path / "uppfoljning-2015H2" / "kpis.json").write_text("{not json", encoding="utf-8")

    assert first_published(tmp_path, "uppfoljning-2015H2") is None
    assert first_published(tmp_path, "finns-inte") is None


def test_a_publication_of_the_reading_run_is_left_out(tmp_path):
    report = tmp_path / "uppfoljning-2014H2"
    write(report / "kpis.json", {"a": 2})
    write(report / "provenance.json", {"batch": "korning-2"})

    assert first_published(tmp_path, "uppfoljning-2014H2", except_batch="korning-1") == {"a": 2}
    assert first_published(tmp_path, "uppfoljning-2014H2", except_batch="korning-2") is None
    # once an earlier run's publication is in the history, it is what the board was first told
    write(report / "historik" / "kpis-20150105T020000.json", {"a": 1})
    assert first_published(tmp_path, "uppfoljning-2014H2", except_batch="korning-2") == {"a": 1}
    assert publications(tmp_path, "uppfoljning-2014H2", except_batch="korning-2") == [{"a": 1}]


def test_published_followups_gives_each_period_its_first_figures(tmp_path):
    write(tmp_path / "uppfoljning-2014H2" / "historik" / "kpis-20150105T020000.json", {"a": 1})
    write(tmp_path / "uppfoljning-2014H2" / "kpis.json", {"a": 2})
    write(tmp_path / "uppfoljning-2015H1" / "kpis.json", {"a": 3})
    write(tmp_path / "uppfoljning-2015H1" / "provenance.json", {"batch": "korning-2"})
    (tmp_path / "uppfoljning-2015H2").mkdir()  # being made: nothing published yet
    write(tmp_path / "avgifter-2015" / "kpis.json", {"b": 1})
    (tmp_path / "uppfoljning-2014H2.html").write_text("<html>", encoding="utf-8")

    assert published_followups(tmp_path) == {"2014H2": {"a": 1}, "2015H1": {"a": 3}}
    assert published_followups(str(tmp_path), "korning-2") == {"2014H2": {"a": 1}}
    assert published_followups(tmp_path, "") == published_followups(tmp_path)


def test_published_followups_of_no_folder_is_nothing(tmp_path):
    assert published_followups(None) == {}
    assert published_followups("") == {}
    assert published_followups(tmp_path / "finns-inte") == {}
