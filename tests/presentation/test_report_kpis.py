"""Key figures handed to the runner: exact JSON values."""

from decimal import Decimal

import numpy as np
import pytest

from foui_analysis.presentation.report import KPI_MIMETYPE, emit_kpis, kpis_payload


def test_values_become_exact_json():
    payload = kpis_payload(
        {
            "fee_sek": Decimal("1247180"),
            "fee_ore": Decimal("12.50"),
            "activities": np.int64(12),
            "share_pct": 12.5,
            "missing": float("nan"),
            "period": "2015H1",
            "none": None,
        }
    )
    assert payload == {
        "fee_sek": 1247180,
        "fee_ore": "12.50",
        "activities": 12,
        "share_pct": 12.5,
        "missing": None,
        "period": "2015H1",
        "none": None,
    }


@pytest.mark.parametrize("kpis", [{1: 2}, {"": 1}, {"x": object()}])
def test_bad_names_and_values_are_refused(kpis):
    with pytest.raises(TypeError):
        kpis_payload(kpis)


def test_emit_kpis_displays_the_private_mimetype(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw: shown.append((obj, raw)))
    emit_kpis({"n": 3})
    ((obj, raw),) = shown
    assert raw is True
    assert obj[KPI_MIMETYPE] == {"n": 3}
    assert "text/plain" in obj
