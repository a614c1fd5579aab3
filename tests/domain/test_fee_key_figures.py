"""The fee report's key figures: exact component totals, members and inhabitants."""

from __future__ import annotations

import pandas as pd

from foui_analysis.domain.fees import key_figures


def test_key_figures_sum_rows_per_component():
    table = pd.DataFrame(
        {
            "municipality_code": ["2580", "2506", "2580", "2506"],
            "component": ["skola", "skola", "overgripande", "overgripande"],
            "funding_source": ["avgift", "avgift", "eget_kapital", "eget_kapital"],
            "population": [74905, 3054, 74905, 3054],
            "fee_sek": [299620, 12216, 374525, 15270],
        }
    )

    found = key_figures(table, {"skola": "FoUI skola", "overgripande": "FoUI övergripande"}, 2014)

    assert found == {
        "avgift_skola_sek": {"label": "FoUI skola 2014", "value": 311836, "unit": "kr"},
        "ram_overgripande_sek": {"label": "FoUI övergripande 2014", "value": 389795, "unit": "kr"},
        "medlemmar": {"label": "Medlemskommuner", "value": 2, "unit": "antal"},
        "invanare_underlag": {
            "label": "Invånare i befolkningsunderlaget",
            "value": 77959,
            "unit": "invånare",
        },
    }
