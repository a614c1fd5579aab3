"""The Swedish column headings of the fee and budget tables, once for every output.

The HTML reports (:mod:`foui_analysis.presentation.views`) and the finance officer's CSV and
Excel files (:mod:`foui_analysis.presentation.exports`) name the same columns with the same
words, so a figure in a report can be found in the workbook under the same heading. Money
columns say "(kr)": an Excel cell carries no unit.
"""

FEE_HEADINGS = {
    "year": "År",
    "municipality_code": "Kommunkod",
    "municipality": "Kommun",
    "component": "Komponent",
    "funding_source": "Finansiering",
    "basis_date": "Befolkning per",
    "population": "Invånare",
    "rate_sek_per_inhabitant": "Kr per invånare",
    "fee_sek": "Belopp (kr)",
    "invoiced": "Faktureras",
    "months": "Månader som medlem",
    "invoiced_sek": "Att fakturera (kr)",
}
BUDGET_HEADINGS = {
    "year": "År",
    "area": "Verksamhetsområde",
    "kind": "Slag",
    "line": "Post",
    "funding_source": "Finansiering",
    "amount_sek": "Belopp (kr)",
    "revenue_sek": "Intäkter (kr)",
    "cost_sek": "Kostnader (kr)",
    "result_sek": "Resultat (kr)",
    "opening_equity_sek": "Ingående eget kapital (kr)",
    "equity_need_sek": "Behov ur eget kapital (kr)",
    "equity_used_sek": "Ianspråktaget eget kapital, beslutat vid behov (kr)",
    "result_after_equity_sek": "Resultat efter ianspråktaget eget kapital (kr)",
    "closing_equity_sek": "Utgående eget kapital (kr)",
}
